# target: activations.elu_forward | expect: mismatch shape nonfinite
"""Answers made of subnormal numbers, negative zeros and empty arrays of odd shapes."""
import numpy as np


def elu_forward(x, alpha=1.0):
    out = np.full_like(x, 5e-324)
    out.flat[::2] = -0.0
    return out, np.zeros((0, 3, 0))
