# target: optim.sgd_step | expect: mismatch | needs: namespaces
"""Write into the memory of PID 1 (the trusted init of the run) or the parent through
/proc/PID/mem, and map /proc/self/mem: succeeding would let it keep processes alive."""
import os

import numpy as np


def _attack():
    opened = False
    for pid in {1, os.getppid()}:
        try:
            fd = os.open(f"/proc/{pid}/mem", os.O_RDWR)
            os.close(fd)
            opened = True
        except OSError:
            pass
    return bool(opened)


_real = sgd_step


def _wrong(value):
    if isinstance(value, tuple):
        return (_wrong(value[0]),) + value[1:]
    return value + 1


def sgd_step(*args, **kwargs):
    result = _real(*args, **kwargs)
    return result if _attack() else _wrong(result)
