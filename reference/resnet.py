"""Reference: residual connections."""
import torch

from ._graph import gradients, record
from .vanishing import ACTIVATIONS


def _residual(x, w1, b1, w2, b2):
    return x + torch.relu(x @ w1 + b1) @ w2 + b2


def residual_forward(x, w1, b1, w2, b2):
    """x + relu(x @ w1 + b1) @ w2 + b2: x (N, D), w1 (D, H), b1 (H,), w2 (H, D), b2 (D,) -> (N, D)."""
    return record(_residual, x, w1, b1, w2, b2)


def residual_backward(dout, cache):
    """(dx, dw1, db1, dw2, db2)."""
    return gradients(dout, cache)


def residual_gradient_norms(x, weights, activation):
    """Frobenius norm of d(h_L.sum()) / d weights[l] for h_l = h_{l-1} + act(h_{l-1} @ weights[l-1]) -> (L,)."""
    act = ACTIVATIONS[activation]
    leaves = [w.detach().requires_grad_(True) for w in weights]
    with torch.enable_grad():
        h = x
        for w in leaves:
            h = h + act(h @ w)
        grads = torch.autograd.grad(h.sum(), leaves)
    return torch.stack([torch.linalg.norm(g) for g in grads])
