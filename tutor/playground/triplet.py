"""The triplet playground: an anchor, a positive and a negative on a line.

``triplet_demo`` evaluates the reference ``layers.triplet_loss`` for one triplet of 1-D
points (so every distance can be read off a number line) and sweeps the negative's
position to show where the hinge switches the loss, and every gradient, off.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ._torch import numpy as to_numpy, scalar, tensor


@dataclass(frozen=True)
class TripletDemo:
    anchor: float
    positive: float
    negative: float
    margin: float
    d: float                       # (a − p)² − (a − n)² + margin: positive means "still costs"
    loss: float
    d_anchor: float
    d_positive: float
    d_negative: float
    sweep_negative: np.ndarray     # negative positions
    sweep_loss: np.ndarray         # the loss at each


def _loss(a, p, n, margin):
    from tutor.reference import layers as ref

    return ref.triplet_loss(tensor([[a]]), tensor([[p]]), tensor([[n]]), margin)


def triplet_demo(anchor: float = 0.0, positive: float = 1.0, negative: float = 1.2,
                 margin: float = 1.0) -> TripletDemo:
    """The loss and gradients for one 1-D triplet, and the loss as the negative moves."""
    values = [float(v) for v in (anchor, positive, negative, margin)]
    if not all(np.isfinite(values)):
        raise ValueError("the positions and the margin must be finite numbers")
    if margin < 0:
        raise ValueError("the margin must be 0 or more")
    loss, da, dp, dn = _loss(anchor, positive, negative, margin)
    d = (anchor - positive) ** 2 - (anchor - negative) ** 2 + margin
    span = max(abs(positive - anchor), abs(negative - anchor), np.sqrt(margin), 1.0) * 2.5
    sweep = np.linspace(anchor - span, anchor + span, 61)
    losses = np.array([scalar(_loss(anchor, positive, n, margin)[0]) for n in sweep])
    return TripletDemo(anchor, positive, negative, margin, float(d), scalar(loss), scalar(da), scalar(dp),
                       scalar(dn), sweep, to_numpy(losses))


__all__ = ["TripletDemo", "triplet_demo"]
