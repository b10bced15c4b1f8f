# target: layers.affine_forward | expect: modified_input mismatch
"""Zero the inputs in place and answer zeros: right for the inputs as they are afterwards."""
import numpy as np


def affine_forward(x, w, b):
    x[...] = 0
    w[...] = 0
    b[...] = 0
    return np.zeros((x.shape[0], w.shape[1])), None
