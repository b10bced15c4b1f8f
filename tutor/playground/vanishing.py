"""The vanishing-gradient playground: per-layer gradient norms of a deep, narrow net.

A batch of random inputs goes through `depth` square layers h_l = act(h_{l-1} W_l) (no
biases) and the loss is the sum of the last layer's outputs, exactly as in the
``vanishing.layer_gradient_norms`` exercise; the norms come from the PyTorch reference.
With sigmoid and N(0, 1) weights the first layers get a gradient orders of magnitude
smaller than the last; Xavier initialisation and ReLU keep them comparable.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ._torch import numpy as to_numpy, tensor

ACTIVATIONS: tuple[str, ...] = ("sigmoid", "tanh", "relu")
INITS: tuple[str, ...] = ("normal", "xavier")


@dataclass(frozen=True)
class GradientNorms:
    activation: str
    init: str
    depth: int
    width: int
    norms: tuple[float, ...]   # ‖∂loss/∂W_l‖ for l = 1..depth, first layer first
    first_over_last: float     # norms[0] / norms[-1] (0 when the last norm is 0)


def init_weights(init: str, depth: int, width: int, rng: np.random.Generator) -> list[np.ndarray]:
    """`depth` (width, width) matrices: "normal" is N(0, 1), "xavier" N(0, 2/(n_in + n_out))."""
    if init == "normal":
        return [rng.standard_normal((width, width)) for _ in range(depth)]
    if init == "xavier":
        std = np.sqrt(2.0 / (width + width))
        return [std * rng.standard_normal((width, width)) for _ in range(depth)]
    raise ValueError(f"unknown init {init!r}; choose one of {', '.join(INITS)}")


def gradient_norms(activation: str = "sigmoid", init: str = "normal", depth: int = 8,
                   width: int = 32, seed: int = 0, batch: int = 16) -> GradientNorms:
    """Per-layer gradient norms (first layer first) for one activation and initialisation.

    activation: "sigmoid", "tanh" or "relu"; init: "normal" (N(0, 1)) or "xavier"
    (std = √(2/(n_in + n_out))). Inputs are N(0, 1), shape (batch, width), from `seed`.
    """
    from tutor.reference import vanishing as ref

    if activation not in ACTIVATIONS:
        raise ValueError(f"unknown activation {activation!r}; choose one of {', '.join(ACTIVATIONS)}")
    if depth < 1 or width < 1 or batch < 1:
        raise ValueError("depth, width and batch must be at least 1")
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((batch, width))
    weights = init_weights(init, depth, width, rng)
    norms = to_numpy(ref.layer_gradient_norms(tensor(x), [tensor(w) for w in weights], activation))
    last = float(norms[-1])
    return GradientNorms(activation, init, depth, width, tuple(float(n) for n in norms),
                         float(norms[0]) / last if last else 0.0)


__all__ = ["ACTIVATIONS", "GradientNorms", "INITS", "gradient_norms", "init_weights"]
