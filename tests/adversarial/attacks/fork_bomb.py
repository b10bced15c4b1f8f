# target: layers.affine_forward | expect: mismatch timeout crash exception
"""A fork bomb (bounded: at most 600 processes in all, each named __MARK__ and living 20 s
at most), then an answer that counts them: the run must end with none of them left."""
import ctypes
import os
import time

import numpy as np


def affine_forward(x, w, b):
    made = 0
    for _ in range(600):
        try:
            pid = os.fork()
        except OSError:
            break
        if pid == 0:
            try:
                ctypes.CDLL(None).prctl(15, b"__MARK__", 0, 0, 0)
            except Exception:
                pass
            time.sleep(20)
            os._exit(0)
        made += 1
    return np.zeros((x.shape[0], w.shape[1])) + made, None
