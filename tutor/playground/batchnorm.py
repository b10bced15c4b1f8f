"""The batch-norm playground: the training-mode algorithm on a small batch, one line at a time.

μ = (1/m)∑xᵢ, σ² = (1/m)∑(xᵢ − μ)² (the biased variance), x̂ᵢ = (xᵢ − μ)/√(σ² + ε),
yᵢ = γx̂ᵢ + β. The intermediate lines are plain NumPy; y comes from the PyTorch reference
(``tutor.reference.layers.batchnorm_forward``) and the two always agree.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ._torch import numpy as to_numpy, tensor

# A batch of m = 4 examples with 3 features on very different scales.
EXAMPLE_BATCH = np.array([[1.0, 200.0, -0.03],
                          [2.0, 180.0, 0.01],
                          [3.0, 260.0, 0.02],
                          [6.0, 240.0, 0.00]])


@dataclass(frozen=True)
class BatchnormSteps:
    x: np.ndarray        # (m, D)
    mean: np.ndarray     # (D,)
    var: np.ndarray      # (D,) biased: divided by m
    x_hat: np.ndarray    # (m, D)
    gamma: np.ndarray    # (D,)
    beta: np.ndarray     # (D,)
    eps: float
    y: np.ndarray        # (m, D), by the reference


def batchnorm_steps(x=None, gamma=None, beta=None, eps: float = 1e-5) -> BatchnormSteps:
    """Every intermediate of training-mode batch norm over axis 0. gamma defaults to ones,
    beta to zeros (then each column of y has mean 0 and variance close to 1)."""
    from tutor.reference import layers as ref

    x = EXAMPLE_BATCH.copy() if x is None else np.asarray(x, dtype=np.float64)
    if x.ndim != 2:
        raise ValueError("x must be (m, D)")
    d = x.shape[1]
    gamma = np.ones(d) if gamma is None else np.broadcast_to(np.asarray(gamma, dtype=np.float64), (d,)).copy()
    beta = np.zeros(d) if beta is None else np.broadcast_to(np.asarray(beta, dtype=np.float64), (d,)).copy()
    mean = x.mean(axis=0)
    var = ((x - mean) ** 2).mean(axis=0)
    x_hat = (x - mean) / np.sqrt(var + eps)
    y, _ = ref.batchnorm_forward(tensor(x), tensor(gamma), tensor(beta), eps=eps)
    return BatchnormSteps(x, mean, var, x_hat, gamma, beta, float(eps), to_numpy(y))


__all__ = ["BatchnormSteps", "EXAMPLE_BATCH", "batchnorm_steps"]
