"""The perceptron playground: Rosenblatt's rule on the AND, OR and XOR gates, one sample
update at a time.

Predictions use the reference step function (``tutor.reference.perceptron.step``: 1 where
z > 0, else 0, the threshold the exercises use). AND and OR are linearly separable, so the
weights settle after a few epochs; XOR is not, so an epoch without errors never comes.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from tutor.marks import FAILED

from ._torch import scalar, tensor

GATES: tuple[str, ...] = ("AND", "OR", "XOR")
INPUTS = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
TARGETS: dict[str, np.ndarray] = {
    "AND": np.array([0.0, 0.0, 0.0, 1.0]),
    "OR": np.array([0.0, 1.0, 1.0, 1.0]),
    "XOR": np.array([0.0, 1.0, 1.0, 0.0]),
}


@dataclass(frozen=True)
class Boundary:
    """The decision boundary w₁x₁ + w₂x₂ + b = 0 (on it and below: output 0)."""
    w1: float
    w2: float
    b: float
    text: str      # e.g. "x₂ = -1·x₁ + 1.5", "x₁ = 0.5", or "no boundary (w = 0)"


@dataclass(frozen=True)
class PerceptronState:
    epoch: int              # 1-based
    sample: int             # index into INPUTS, 0..3
    x: tuple[float, float]
    target: float
    prediction: float       # step(w·x + b) with the weights *before* this update
    error: float            # target − prediction: -1, 0 or 1
    w: tuple[float, float]  # weights *after* this update
    b: float                # bias after this update
    errors_in_epoch: int    # mistakes so far in this epoch, this sample included
    boundary: Boundary      # of the weights after this update
    epoch_done: bool        # last sample of the epoch
    settled: bool           # an epoch just ended with no mistakes


def gate_data(gate: str) -> tuple[np.ndarray, np.ndarray]:
    """(X, y) for a two-input gate: X (4, 2) in the order 00, 01, 10, 11; y (4,)."""
    try:
        return INPUTS.copy(), TARGETS[gate.upper()].copy()
    except KeyError:
        raise ValueError(f"unknown gate {gate!r}; choose one of {', '.join(GATES)}") from None


def _num(v: float) -> str:
    v = round(v, 6) + 0.0  # no "-0"
    return f"{v:g}"


def boundary(w1: float, w2: float, b: float) -> Boundary:
    if w2 != 0:
        slope, intercept = -w1 / w2, -b / w2
        text = f"x₂ = {_num(slope)}·x₁ + {_num(intercept)}"
    elif w1 != 0:
        text = f"x₁ = {_num(-b / w1)}"
    else:
        text = "no boundary yet (w = 0): every input gets " + ("1" if b > 0 else "0")
    return Boundary(w1, w2, b, text)


def perceptron_steps(gate: str, lr: float = 1.0, epochs: int = 20,
                     stop_when_settled: bool = True) -> list[PerceptronState]:
    """Every sample update of Rosenblatt's rule on a gate, from w = 0, b = 0.

    For each epoch and each sample i in order: e = y[i] − step(x[i]·w + b),
    w ← w + lr·e·x[i], b ← b + lr·e (as ``perceptron.perceptron_train``). Stops after the
    first epoch without mistakes when `stop_when_settled`, else runs all `epochs`.
    """
    from tutor.reference import perceptron as ref

    X, y = gate_data(gate)
    w = np.zeros(2)
    b = 0.0
    states: list[PerceptronState] = []
    for epoch in range(1, epochs + 1):
        errors = 0
        for i in range(len(X)):
            prediction = scalar(ref.step(tensor(X[i] @ w + b)))
            e = y[i] - prediction
            w = w + lr * e * X[i]
            b = b + lr * e
            errors += int(e != 0)
            last = i == len(X) - 1
            states.append(PerceptronState(
                epoch, i, (float(X[i, 0]), float(X[i, 1])), float(y[i]), prediction, float(e),
                (float(w[0]), float(w[1])), float(b), errors, boundary(float(w[0]), float(w[1]), float(b)),
                last, last and errors == 0))
        if stop_when_settled and errors == 0:
            break
    return states


def converged_epoch(states: list[PerceptronState]) -> int | None:
    """The first epoch with no mistakes, or None (XOR: never)."""
    for state in states:
        if state.settled:
            return state.epoch
    return None


def errors_per_epoch(states: list[PerceptronState]) -> list[int]:
    """Mistakes made in each epoch, in order."""
    return [s.errors_in_epoch for s in states if s.epoch_done]


def render_gate(w: tuple[float, float], b: float, gate: str, size: int = 9) -> str:
    """A small text picture of the unit square: '·' where the perceptron says 0, '░' where it
    says 1, and the four gate inputs as their targets ('0' or '1', or the failed mark ✗ when
    misclassified).
    Row 0 is x₂ = 1 (top), like a plot.
    """
    X, y = gate_data(gate)
    rows = []
    for r in range(size):
        x2 = 1.0 - r / (size - 1)
        row = []
        for c in range(size):
            x1 = c / (size - 1)
            out = 1.0 if w[0] * x1 + w[1] * x2 + b > 0 else 0.0
            cell = "░" if out else "·"
            for (p1, p2), target in zip(X, y):
                if p1 == x1 and p2 == x2:
                    cell = ("1" if target else "0") if out == target else FAILED.symbol
            row.append(cell)
        rows.append(" ".join(row))
    return "\n".join(rows)


__all__ = ["Boundary", "GATES", "INPUTS", "PerceptronState", "TARGETS", "boundary",
           "converged_epoch", "errors_per_epoch", "gate_data", "perceptron_steps", "render_gate"]
