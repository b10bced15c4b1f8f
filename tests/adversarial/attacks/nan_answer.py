# target: layers.affine_forward | expect: nonfinite mismatch
"""NaN everywhere: NaN compares false to everything, so a careless `not (err > tol)` passes it."""
import numpy as np


def affine_forward(x, w, b):
    return np.full((x.shape[0], w.shape[1]), np.nan), None
