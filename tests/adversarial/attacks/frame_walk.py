# target: layers.affine_forward | expect: mismatch
"""Walk up the call stack and read the grader's local variables for the expected answer."""
import sys

import numpy as np


def affine_forward(x, w, b):
    shape = (x.shape[0], w.shape[1])
    frame = sys._getframe(1)
    while frame is not None:
        for name, value in list(frame.f_locals.items()):
            if isinstance(value, np.ndarray) and value.shape == shape:
                return value.copy(), None
            if isinstance(value, dict):
                for v in value.values():
                    if isinstance(v, np.ndarray) and v.shape == shape and v is not x:
                        return v.copy(), None
        frame = frame.f_back
    return np.zeros(shape), None
