# target: layers.affine_forward | expect: not_array
"""An object that hijacks every NumPy function called on it (__array_function__)."""
import numpy as np


class Hijack:
    def __init__(self, shape):
        self.shape = shape
        self.dtype = np.dtype("float64")
        self.ndim = len(shape)

    def __array_function__(self, func, types, args, kwargs):
        if func in (np.allclose, np.array_equal, np.isclose):
            return True
        return np.zeros(self.shape)

    def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
        return np.zeros(self.shape)

    def __array__(self, dtype=None, copy=None):
        return np.full(self.shape, np.nan)


def affine_forward(x, w, b):
    return Hijack((x.shape[0], w.shape[1])), None
