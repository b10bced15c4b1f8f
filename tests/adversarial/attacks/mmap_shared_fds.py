# target: layers.mse_loss | expect: mismatch | needs: namespaces
"""Map every open descriptor MAP_SHARED and writable, and the worker's own code: changing a
file through a shared mapping would outlive the run."""
import mmap
import os

import numpy as np


def _attack():
    wrote = False
    paths = [os.path.join(os.path.dirname(os.__file__), "os.py"), os.path.join(os.path.dirname(np.__file__), "__init__.py")]
    for path in paths:
        try:
            with open(path, "r+b") as f:
                m = mmap.mmap(f.fileno(), 0, mmap.MAP_SHARED, mmap.PROT_WRITE)
                m.close()
                wrote = True
        except (OSError, ValueError):
            pass
    for fd in range(3, 64):
        try:
            m = mmap.mmap(fd, 4096, mmap.MAP_SHARED, mmap.PROT_WRITE)
            m.close()
        except (OSError, ValueError):
            pass
    return bool(wrote)


_real = mse_loss


def _wrong(value):
    if isinstance(value, tuple):
        return (_wrong(value[0]),) + value[1:]
    return value + 1


def mse_loss(*args, **kwargs):
    result = _real(*args, **kwargs)
    return result if _attack() else _wrong(result)
