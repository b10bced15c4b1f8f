# target: layers.affine_forward | expect: exception crash mismatch
"""Ask for 10 GB (touching at most 512 MB of it, so a failed limit cannot hurt the machine)."""
import numpy as np


def affine_forward(x, w, b):
    big = np.empty(10 << 30, dtype=np.uint8)
    big[: 512 << 20 : 4096] = 1
    return np.zeros((x.shape[0], w.shape[1])), None
