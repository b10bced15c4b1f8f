"""Reference: weight penalties, each returning (value, gradient by autograd)."""
from ._graph import value_and_gradient


def _l1(w, alpha):
    return alpha * w.abs().sum()


def _l2(w, alpha):
    return alpha / 2 * (w**2).sum()


def l1_penalty(w, alpha):
    """alpha * sum|w|; at w = 0 autograd gives 0, a subgradient between -alpha and alpha."""
    return value_and_gradient(_l1, w, alpha)


def l2_penalty(w, alpha):
    """alpha / 2 * sum w²."""
    return value_and_gradient(_l2, w, alpha)


def elastic_net_penalty(w, alpha, r):
    """r * l1 + (1 - r) * l2, both with alpha."""
    return value_and_gradient(lambda w: r * _l1(w, alpha) + (1 - r) * _l2(w, alpha), w)
