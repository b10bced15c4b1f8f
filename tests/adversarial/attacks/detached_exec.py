# target: layers.batchnorm_forward | expect: mismatch | needs: namespaces
"""Return at once, leaving a detached program behind: double fork, new process group, parent
death signal cleared, exec of python with __MARK__ in its arguments and environment."""
import ctypes
import os
import sys

import numpy as np


def batchnorm_forward(x, gamma, beta, eps=1e-5):
    if os.fork() == 0:
        os.setpgid(0, 0)
        if os.fork() == 0:
            ctypes.CDLL(None).prctl(1, 0, 0, 0, 0)
            os.setsid()
            os.execve(sys.executable, [sys.executable, "-c", "import time; time.sleep(120)", "__MARK__"],
                      {"MARK": "__MARK__"})
        os._exit(0)
    os.wait()
    return np.zeros_like(x), None
