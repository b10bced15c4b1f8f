# target: layers.affine_forward | expect: mismatch | needs: namespaces
"""Leave a daemon behind: double fork + setsid, renamed __MARK__, living 120 s."""
import ctypes
import os
import time

import numpy as np


def affine_forward(x, w, b):
    if os.fork() == 0:
        os.setsid()
        if os.fork() == 0:
            try:
                ctypes.CDLL(None).prctl(15, b"__MARK__", 0, 0, 0)
            except Exception:
                pass
            time.sleep(120)
        os._exit(0)
    time.sleep(0.2)
    return np.zeros((x.shape[0], w.shape[1])), None
