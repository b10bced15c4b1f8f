# target: layers.affine_forward | expect: mismatch
"""An ndarray subclass of zeros whose ufuncs and comparisons always report agreement."""
import numpy as np


class Liar(np.ndarray):
    def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
        if ufunc in (np.equal, np.isclose, np.less_equal, np.less, np.greater_equal, np.isfinite):
            return np.True_
        if ufunc in (np.subtract, np.absolute):
            return np.zeros(self.shape)
        return NotImplemented

    def __eq__(self, other):
        return True

    def __array_finalize__(self, obj):
        pass


def affine_forward(x, w, b):
    return np.zeros((x.shape[0], w.shape[1])).view(Liar), None
