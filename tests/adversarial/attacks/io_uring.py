# target: layers.softmax_cross_entropy | expect: mismatch | needs: namespaces
"""io_uring: system calls a seccomp filter never sees. Setting a ring up must fail."""
import numpy as np
import ctypes
import errno
import os

_libc = ctypes.CDLL(None, use_errno=True)


def _sys(number, *args):
    """A raw system call; True when the kernel said yes."""
    return _libc.syscall(ctypes.c_long(number), *[ctypes.c_long(a) for a in args]) >= 0

_NR = {'x86_64': dict(io_uring_setup=425), 'aarch64': dict(io_uring_setup=425)}.get(os.uname().machine)


def _attack():
    params = ctypes.create_string_buffer(120)
    return bool(_NR and _libc.syscall(ctypes.c_long(_NR["io_uring_setup"]), ctypes.c_long(8), params) >= 0)


_real = softmax_cross_entropy


def _wrong(value):
    if isinstance(value, tuple):
        return (_wrong(value[0]),) + value[1:]
    return value + 1


def softmax_cross_entropy(*args, **kwargs):
    result = _real(*args, **kwargs)
    return result if _attack() else _wrong(result)
