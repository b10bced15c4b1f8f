# target: layers.batchnorm_forward | expect: mismatch | needs: namespaces
"""Return at once, leaving a detached program behind: double fork, new process group, parent
death signal cleared, exec of a shell with __MARK__ in its arguments and environment (/bin/sh: the
sandbox shows it wherever the venv lies; sys.executable under /tmp, as in a CI clone, it does not)."""
import ctypes
import os

import numpy as np


def batchnorm_forward(x, gamma, beta, eps=1e-5):
    if os.fork() == 0:
        os.setpgid(0, 0)
        if os.fork() == 0:
            ctypes.CDLL(None).prctl(1, 0, 0, 0, 0)
            os.setsid()
            try:
                os.execve("/bin/sh", ["/bin/sh", "-c", "while :; do sleep 1; done", "__MARK__"],
                          {"MARK": "__MARK__"})
            finally:
                os._exit(0)
        os._exit(0)
    os.wait()
    return np.zeros_like(x), None
