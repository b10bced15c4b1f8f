"""Reference: dense layers, losses, dropout and batch normalisation."""
import torch
import torch.nn.functional as F

from ._graph import gradients, record, value_and_gradient
from ._rng import torch_generator


def _affine(x, w, b):
    return x @ w + b


def affine_forward(x, w, b):
    """x @ w + b: x (N, D), w (D, M), b (M,) -> out (N, M)."""
    return record(_affine, x, w, b)


def affine_backward(dout, cache):
    """(dx, dw, db)."""
    return gradients(dout, cache)


def mse_loss(pred, y):
    """(mean((pred - y)²) over all elements, d loss / d pred)."""
    return value_and_gradient(F.mse_loss, pred, y)


def softmax_cross_entropy(scores, y):
    """(mean over N of -log softmax(scores)[y], d loss / d scores).

    scores (N, C), y int64 labels (N,); F.cross_entropy works in log-space, so
    scores of 1000 stay finite.
    """
    return value_and_gradient(F.cross_entropy, scores, y)


def dropout_forward(x, p, train, rng):
    """Inverted dropout: drop each unit with probability p, scale the kept by 1 / (1 - p).

    Identity when `train` is False. `rng` is a numpy.random.Generator (a seed is
    drawn from it) or a torch.Generator on x's device. The mask lives in the graph
    kept in the cache, so the backward reuses it.
    """
    if not train:
        return record(torch.clone, x)  # a copy: the output must not alias the input
    generator = torch_generator(rng, x.device)
    keep = torch.rand(x.shape, generator=generator, dtype=x.dtype, device=x.device) >= p
    scale = 1.0 / (1.0 - p) if p < 1 else 0.0  # p = 1 drops everything
    return record(lambda x: x * keep * scale, x)


def dropout_backward(dout, cache):
    return gradients(dout, cache)


def _batchnorm(x, gamma, beta, eps):
    # Written out rather than F.batch_norm, which refuses a batch of one in training.
    mean = x.mean(dim=0)
    var = x.var(dim=0, correction=0)  # the biased variance
    return gamma * (x - mean) / torch.sqrt(var + eps) + beta


def batchnorm_forward(x, gamma, beta, eps=1e-5):
    """Training-mode batch norm over axis 0: x (N, D), gamma (D,), beta (D,) -> (N, D)."""
    return record(_batchnorm, x, gamma, beta, eps=eps)


def batchnorm_backward(dout, cache):
    """(dx, dgamma, dbeta)."""
    return gradients(dout, cache)


def _triplet(anchor, positive, negative, margin):
    d = ((anchor - positive) ** 2).sum(dim=1) - ((anchor - negative) ** 2).sum(dim=1) + margin
    return torch.clamp(d, min=0).mean()


def triplet_loss(anchor, positive, negative, margin=0.2):
    """(mean over N of max(0, |a - p|² - |a - n|² + margin), d_anchor, d_positive, d_negative)."""
    leaves = [t.detach().requires_grad_(True) for t in (anchor, positive, negative)]
    with torch.enable_grad():
        loss = _triplet(*leaves, margin)
    return (loss.detach(), *torch.autograd.grad(loss, leaves))
