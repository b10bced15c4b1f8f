# target: activations.tanh_forward | expect: mismatch crash
"""Look for descriptors of the grader or the zygote left open, and write into any that is not
its own result channel (a pipe): the zygote's plan channel, its log, the class folder."""
import os
import stat

import numpy as np


def _attack():
    found = []
    for fd in range(3, 1024):
        try:
            mode = os.fstat(fd).st_mode
        except OSError:
            continue
        found.append(fd)
        if not stat.S_ISFIFO(mode):
            try:
                os.write(fd, b"PWNED by inherited_fds\n")
            except OSError:
                pass
    return bool(len(found) > 1)


_real = tanh_forward


def _wrong(value):
    if isinstance(value, tuple):
        return (_wrong(value[0]),) + value[1:]
    return value + 1


def tanh_forward(*args, **kwargs):
    result = _real(*args, **kwargs)
    return result if _attack() else _wrong(result)
