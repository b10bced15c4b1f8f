"""The momentum playground: plain gradient descent and momentum side by side in a ravine.

The cost is C(w) = ½(a·w₁² + b·w₂²) with b much larger than a: steep across the ravine,
almost flat along it. Updates use the reference optimisers (``tutor.reference.optim``):
w′ = w − η∇C, and v′ = μv − η∇C, w′ = w + v′.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ._torch import numpy as to_numpy, tensor


@dataclass(frozen=True)
class DescentPaths:
    lr: float
    mu: float
    curvature: tuple[float, float]
    sgd: np.ndarray              # (steps + 1, 2): plain gradient descent, start first
    momentum: np.ndarray         # (steps + 1, 2): with momentum
    sgd_cost: np.ndarray         # (steps + 1,)
    momentum_cost: np.ndarray    # (steps + 1,)


def ravine_cost(w, curvature=(1.0, 20.0)) -> float:
    w = np.asarray(w, dtype=np.float64)
    return 0.5 * (curvature[0] * w[..., 0] ** 2 + curvature[1] * w[..., 1] ** 2)


def descent_paths(lr: float = 0.04, mu: float = 0.8, steps: int = 60, start=(-10.0, 1.0),
                  curvature=(1.0, 20.0)) -> DescentPaths:
    """Both optimisers from `start` for `steps` updates, with learning rate η = lr and
    momentum coefficient μ = mu. Plain descent crawls along the flat direction; momentum
    builds up speed there and arrives far sooner."""
    from tutor.reference import optim as ref

    a, b = (float(c) for c in curvature)
    grad_scale = tensor([a, b])
    w_sgd = tensor(start)
    w_mom = tensor(start)
    v = tensor([0.0, 0.0])
    sgd, mom = [to_numpy(w_sgd)], [to_numpy(w_mom)]
    for _ in range(steps):
        w_sgd = ref.sgd_step(w_sgd, grad_scale * w_sgd, lr)
        w_mom, v = ref.momentum_step(w_mom, grad_scale * w_mom, v, lr, mu)
        sgd.append(to_numpy(w_sgd))
        mom.append(to_numpy(w_mom))
    sgd_a, mom_a = np.array(sgd), np.array(mom)
    return DescentPaths(float(lr), float(mu), (a, b), sgd_a, mom_a,
                        ravine_cost(sgd_a, (a, b)), ravine_cost(mom_a, (a, b)))


__all__ = ["DescentPaths", "descent_paths", "ravine_cost"]
