"""The training playground: a two-layer sigmoid net learns XOR by gradient descent.

The net is the one of the ``backprop.two_layer_*`` exercises, out = σ(σ(X W₁) w₂), with a
constant 1 appended to each input so the hidden units get a bias. Each epoch is one
full-batch gradient-descent step on the mean squared error; the gradients come from the
PyTorch reference (``tutor.reference.backprop``, i.e. autograd). Change the learning rate
to see training crawl (too small) or bounce (too large).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ._torch import numpy as to_numpy, scalar, tensor

XOR_X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
XOR_Y = np.array([0.0, 1.0, 1.0, 0.0])


@dataclass(frozen=True)
class TrainingRun:
    lr: float
    hidden: int
    epochs: int
    losses: tuple[float, ...]     # mean squared error before each update, then after the last
    predictions: np.ndarray       # (4,) net outputs after training, for inputs 00, 01, 10, 11
    targets: np.ndarray           # (4,)
    W1: np.ndarray                # (3, hidden): the last row is the hidden biases
    w2: np.ndarray                # (hidden,)
    solved: bool                  # every prediction on the right side of 0.5


def train_two_layer(lr: float = 2.0, epochs: int = 2000, hidden: int = 4, seed: int = 0,
                    record_every: int = 1) -> TrainingRun:
    """Full-batch gradient descent on XOR: W ← W − lr · ∂C/∂W with C = mean((out − y)²).

    Weights start as N(0, 1) samples from `seed`. `losses` keeps every `record_every`-th
    loss (and the final one), so the app can plot a curve.
    """
    from tutor.reference import backprop as ref

    if epochs < 0 or hidden < 1 or record_every < 1:
        raise ValueError("need epochs ≥ 0, hidden ≥ 1 and record_every ≥ 1")
    rng = np.random.default_rng(seed)
    X = tensor(np.hstack([XOR_X, np.ones((4, 1))]))
    y = tensor(XOR_Y)
    W1 = tensor(rng.standard_normal((3, hidden)))
    w2 = tensor(rng.standard_normal(hidden))
    losses: list[float] = []
    for epoch in range(epochs + 1):
        out, cache = ref.two_layer_forward(X, W1, w2)
        loss = ((out - y) ** 2).mean()
        if epoch % record_every == 0 or epoch == epochs:
            losses.append(scalar(loss))
        if epoch == epochs:
            break
        dout = 2.0 * (out - y) / out.shape[0]          # ∂C/∂out
        _, dW1, dw2 = ref.two_layer_backward(dout, cache)
        W1 = W1 - lr * dW1
        w2 = w2 - lr * dw2
    predictions = to_numpy(out)
    solved = bool(np.all((predictions > 0.5) == (XOR_Y > 0.5)))
    return TrainingRun(float(lr), hidden, epochs, tuple(losses), predictions, XOR_Y.copy(),
                       to_numpy(W1), to_numpy(w2), solved)


__all__ = ["TrainingRun", "XOR_X", "XOR_Y", "train_two_layer"]
