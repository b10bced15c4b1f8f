# target: activations.sigmoid_forward | expect: mismatch crash | needs: namespaces
"""SIGKILL and SIGSTOP to the parent, to PID 1 and to every process it may signal (-1)."""
import os
import signal

import numpy as np


def sigmoid_forward(x):
    for sig in (signal.SIGSTOP, signal.SIGKILL):
        for pid in (os.getppid(), 1):
            try:
                os.kill(pid, sig)
            except OSError:
                pass
    if os.fork() == 0:          # a helper does kill(-1): it would hit its own caller otherwise
        try:
            os.kill(-1, signal.SIGKILL)
        finally:
            os._exit(0)
    os.wait()
    return np.zeros_like(x) + 0.25, x
