"""The RNN playground: the lecture's vanilla RNN at t = 1, step by step.

The matrices are lecture 001's (``tutor.worked_examples``); the numbers are computed live
by the PyTorch reference (``tutor.reference.rnn``). The slides print x₁ = (1, 0, 0), but
W_X has four columns, so x₁ is the one-hot (1, 0, 0, 0).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ._torch import numpy as to_numpy, tensor


@dataclass(frozen=True)
class RnnStep:
    name: str            # "x₁", "a₁", "h₁", "y₁"
    formula: str         # "a₁ = Wₓx₁ + Wₕh₀"
    value: np.ndarray


@dataclass(frozen=True)
class RnnExample:
    W_H: np.ndarray      # (3, 3) hidden -> hidden, column-vector convention as on the slides
    W_X: np.ndarray      # (3, 4) input -> hidden
    W_Y: np.ndarray      # (4, 3) hidden -> output
    h0: np.ndarray       # (3,)
    x1: np.ndarray       # (4,) one-hot
    a1: np.ndarray       # (3,)
    h1: np.ndarray       # (3,)
    scores: np.ndarray   # (4,) W_Y h₁, before the softmax
    y1: np.ndarray       # (4,)
    steps: tuple[RnnStep, ...]


def rnn_worked_example(x1=None, h0=None) -> RnnExample:
    """x₁, a₁ = Wₓx₁ + Wₕh₀, h₁ = tanh(a₁), y₁ = softmax(W_Y h₁) with lecture 001's matrices.

    x1, h0 default to the lecture's one-hot (1, 0, 0, 0) and zeros; pass others to explore.
    h₁ ≈ (0.54, 0.20, 0.72) and y₁ ≈ (0.32, 0.21, 0.24, 0.22) for the defaults.
    """
    from tutor import worked_examples as we
    from tutor.reference import rnn as ref

    x1 = we.RNN_X1.copy() if x1 is None else np.asarray(x1, dtype=np.float64)
    h0 = we.RNN_H0.copy() if h0 is None else np.asarray(h0, dtype=np.float64)
    if x1.shape != (we.RNN_WX.shape[1],):
        raise ValueError(f"x₁ needs {we.RNN_WX.shape[1]} entries (W_X has that many columns), got {x1.shape}")
    if h0.shape != (we.RNN_WH.shape[0],):
        raise ValueError(f"h₀ needs {we.RNN_WH.shape[0]} entries, got {h0.shape}")
    # The reference works with row vectors (x @ Wx), so it gets the transposes.
    a1 = x1 @ we.RNN_WX.T + h0 @ we.RNN_WH.T
    h1_t, _ = ref.rnn_step_forward(tensor(x1[None]), tensor(h0[None]), tensor(we.RNN_WX.T),
                                   tensor(we.RNN_WH.T), tensor(np.zeros(we.RNN_WH.shape[0])))
    h1 = to_numpy(h1_t)[0]
    scores = h1 @ we.RNN_WY.T
    y1 = to_numpy(ref.softmax(tensor(scores)))
    steps = (
        RnnStep("x₁", "x₁ = one-hot of the first symbol", x1),
        RnnStep("a₁", "a₁ = Wₓx₁ + Wₕh₀", a1),
        RnnStep("h₁", "h₁ = tanh(a₁)", h1),
        RnnStep("y₁", "y₁ = softmax(W_Y h₁)", y1),
    )
    return RnnExample(we.RNN_WH.copy(), we.RNN_WX.copy(), we.RNN_WY.copy(), h0, x1, a1, h1,
                      scores, y1, steps)


__all__ = ["RnnExample", "RnnStep", "rnn_worked_example"]
