# target: layers.affine_forward | expect: exception crash mismatch
"""Write a 2 GB file in its working folder (the sandbox's private tmp)."""
import numpy as np


def affine_forward(x, w, b):
    chunk = b"\0" * (1 << 20)
    with open("huge.bin", "wb") as f:
        for _ in range(2048):
            f.write(chunk)
    return np.zeros((x.shape[0], w.shape[1])), None
