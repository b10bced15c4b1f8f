"""Reference: how the gradient fades with depth."""
import torch

ACTIVATIONS = {"sigmoid": torch.sigmoid, "tanh": torch.tanh, "relu": torch.relu}


def layer_gradient_norms(x, weights, activation):
    """Frobenius norm of d(h_L.sum()) / d weights[l] for each layer, first layer first -> (L,).

    h_0 = x, h_l = act(h_{l-1} @ weights[l-1]), no biases.
    """
    act = ACTIVATIONS[activation]
    leaves = [w.detach().requires_grad_(True) for w in weights]
    with torch.enable_grad():
        h = x
        for w in leaves:
            h = act(h @ w)
        grads = torch.autograd.grad(h.sum(), leaves)
    return torch.stack([torch.linalg.norm(g) for g in grads])
