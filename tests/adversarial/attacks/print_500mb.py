# target: layers.affine_forward | expect: mismatch timeout
"""Print 500 MB, through print() and straight to fd 1 and 2."""
import os

import numpy as np

CHUNK = "x" * (1 << 20) + "\n"


def affine_forward(x, w, b):
    for _ in range(250):
        print(CHUNK, end="")
    data = CHUNK.encode()
    for _ in range(125):
        for fd in (1, 2):
            try:
                os.write(fd, data)
            except OSError:
                return np.zeros((x.shape[0], w.shape[1])), None
    return np.zeros((x.shape[0], w.shape[1])), None
