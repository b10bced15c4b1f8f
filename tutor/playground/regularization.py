"""The dropout playground: inverted dropout on a row of units, and the weight penalties.

Both come from the PyTorch reference (``tutor.reference.layers.dropout_forward`` and
``tutor.reference.regularization``).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ._torch import numpy as to_numpy, scalar, tensor


@dataclass(frozen=True)
class DropoutDemo:
    p: float                 # probability of dropping a unit
    train: bool
    x: np.ndarray            # the input activations
    out: np.ndarray          # after dropout
    kept: np.ndarray         # boolean mask of the units that survived
    scale: float             # 1 / (1 − p) while training, 1 at test time
    mean_in: float
    mean_out: float          # close to mean_in on average: that is what the scaling is for


def dropout_demo(p: float = 0.5, n: int = 1000, seed: int = 0, train: bool = True,
                 x=None) -> DropoutDemo:
    """Inverted dropout of `x` (default: n activations drawn uniformly from [0, 2))."""
    from tutor.reference import layers as ref

    if not 0.0 <= p < 1.0:
        raise ValueError("p must be in [0, 1)")
    rng = np.random.default_rng(seed)
    x = rng.uniform(0.0, 2.0, size=n) if x is None else np.asarray(x, dtype=np.float64)
    out_t, _ = ref.dropout_forward(tensor(x), p, train, rng)
    out = to_numpy(out_t)
    kept = out != 0 if train else np.ones(x.shape, dtype=bool)
    scale = 1.0 / (1.0 - p) if train else 1.0
    return DropoutDemo(float(p), bool(train), x, out, kept, scale, float(x.mean()), float(out.mean()))


@dataclass(frozen=True)
class Penalties:
    w: np.ndarray
    alpha: float
    r: float
    l1: float
    l2: float
    elastic_net: float
    dl1: np.ndarray
    dl2: np.ndarray
    delastic_net: np.ndarray


def penalties(w=(-2.0, -0.5, 0.0, 0.5, 2.0), alpha: float = 0.1, r: float = 0.5) -> Penalties:
    """L1 = α∑|w|, L2 = α/2 ∑w², ElasticNet = r·L1 + (1 − r)·L2, with their gradients."""
    from tutor.reference import regularization as ref

    w = np.asarray(w, dtype=np.float64)
    l1, d1 = ref.l1_penalty(tensor(w), alpha)
    l2, d2 = ref.l2_penalty(tensor(w), alpha)
    en, de = ref.elastic_net_penalty(tensor(w), alpha, r)
    return Penalties(w, float(alpha), float(r), scalar(l1), scalar(l2), scalar(en),
                     to_numpy(d1), to_numpy(d2), to_numpy(de))


__all__ = ["DropoutDemo", "Penalties", "dropout_demo", "penalties"]
