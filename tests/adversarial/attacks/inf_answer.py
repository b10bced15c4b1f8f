# target: layers.affine_forward | expect: nonfinite mismatch
"""inf and -inf: relative error inf/inf is NaN."""
import numpy as np


def affine_forward(x, w, b):
    out = np.full((x.shape[0], w.shape[1]), np.inf)
    out[::2] = -np.inf
    return out, None
