# target: layers.affine_forward | expect: shape mismatch
"""A shape-(1,) answer that broadcasts against anything (the mean of the right answer)."""
import numpy as np


def affine_forward(x, w, b):
    return np.array([float((x @ w + b).mean())]), None
