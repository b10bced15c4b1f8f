"""The residual and transfer playground.

``residual_vs_plain`` gives the per-layer gradient norms of a plain deep net (reference
``vanishing.layer_gradient_norms``) and of the residual net with the same weights
(reference ``resnet.residual_gradient_norms``). ``transfer`` pre-trains a 64–32–5 network on
the digits 0–4, freezes its hidden layer and trains a new head on a few labelled digits
5–9, against the same network trained from scratch on those few labels; both are scored on
held-out digits 5–9 (tutor/digits.py).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ._torch import numpy as to_numpy, tensor
from .vanishing import ACTIVATIONS, init_weights


@dataclass(frozen=True)
class ResidualVsPlain:
    activation: str
    depth: int
    width: int
    plain: tuple[float, ...]       # ‖∂loss/∂Wₗ‖, first layer first
    residual: tuple[float, ...]


def residual_vs_plain(activation: str = "sigmoid", depth: int = 20, width: int = 16,
                      seed: int = 0) -> ResidualVsPlain:
    """Both nets on the same N(0, 1) inputs and the same Xavier weights."""
    from tutor.reference import resnet, vanishing

    if activation not in ACTIVATIONS:
        raise ValueError(f"unknown activation {activation!r}; choose one of {', '.join(ACTIVATIONS)}")
    if not 1 <= depth <= 60:
        raise ValueError("depth between 1 and 60")
    rng = np.random.default_rng(seed)
    x = tensor(rng.standard_normal((8, width)))
    weights = [tensor(w) for w in init_weights("xavier", depth, width, rng)]
    plain = to_numpy(vanishing.layer_gradient_norms(x, weights, activation))
    residual = to_numpy(resnet.residual_gradient_norms(x, weights, activation))
    return ResidualVsPlain(activation, depth, width, tuple(map(float, plain)), tuple(map(float, residual)))


@dataclass(frozen=True)
class Transfer:
    labels_per_class: int
    pretrain_accuracy: float        # the pre-trained net on held-out digits 0–4
    transfer_accuracy: float        # frozen features + new head, on held-out digits 5–9
    scratch_accuracy: float         # the whole net trained on the few labels, same digits


def _fit(params, X, y, steps, lr=0.05):
    import torch
    import torch.nn.functional as F

    optimiser = torch.optim.Adam([p for p in params if p.requires_grad], lr=lr)
    for _ in range(steps):
        optimiser.zero_grad()
        F.cross_entropy(_forward(X, *params), y).backward()
        optimiser.step()


def _forward(X, W1, b1, W2, b2):
    import torch

    return torch.relu(X @ W1 + b1) @ W2 + b2


def _new_net(rng, hidden=32, classes=5, frozen=None):
    import torch

    def param(shape, scale):
        return torch.tensor(rng.normal(0, scale, shape), requires_grad=True)

    W1, b1 = frozen if frozen is not None else (param((64, hidden), np.sqrt(2 / (64 + hidden))),
                                                torch.zeros(hidden, dtype=torch.float64, requires_grad=True))
    return [W1, b1, param((hidden, classes), np.sqrt(2 / (hidden + classes))),
            torch.zeros(classes, dtype=torch.float64, requires_grad=True)]


def _accuracy(params, X, y) -> float:
    import torch

    with torch.no_grad():
        return float((_forward(X, *params).argmax(1) == y).double().mean())


def transfer(labels_per_class: int = 5, seed: int = 0, steps: int = 200) -> Transfer:
    """Pre-train on 0–4, then a new head on `labels_per_class` digits of each of 5–9."""
    import torch

    from tutor import digits

    if not 1 <= labels_per_class <= 100:
        raise ValueError("labels per class between 1 and 100")
    X, y = digits.train_split()
    Xh, yh = digits.held_out_split()
    rng = np.random.default_rng(seed)
    low, high = y < 5, y >= 5
    pre = _new_net(rng)
    _fit(pre, torch.tensor(X[low]), torch.tensor(y[low]), steps)
    few = np.concatenate([rng.choice(np.flatnonzero(y == c), labels_per_class, replace=False) for c in range(5, 10)])
    Xf, yf = torch.tensor(X[few]), torch.tensor(y[few] - 5)
    frozen = (pre[0].detach(), pre[1].detach())     # no gradient: the features stay as they are
    head = _new_net(rng, frozen=frozen)
    _fit(head, Xf, yf, steps)
    scratch = _new_net(rng)
    _fit(scratch, Xf, yf, steps)
    test_high = torch.tensor(Xh[yh >= 5]), torch.tensor(yh[yh >= 5] - 5)
    return Transfer(labels_per_class, _accuracy(pre, torch.tensor(Xh[yh < 5]), torch.tensor(yh[yh < 5])),
                    _accuracy(head, *test_high), _accuracy(scratch, *test_high))


__all__ = ["ResidualVsPlain", "Transfer", "residual_vs_plain", "transfer"]
