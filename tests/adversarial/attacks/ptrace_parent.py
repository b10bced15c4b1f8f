# target: activations.relu_forward | expect: mismatch | needs: namespaces
"""ptrace the process above (the trusted PID 1, the zygote when visible) and itself."""
import numpy as np
import ctypes
import errno
import os

_libc = ctypes.CDLL(None, use_errno=True)


def _sys(number, *args):
    """A raw system call; True when the kernel said yes."""
    return _libc.syscall(ctypes.c_long(number), *[ctypes.c_long(a) for a in args]) >= 0

_NR = {'x86_64': dict(ptrace=101), 'aarch64': dict(ptrace=117)}.get(os.uname().machine)


def _attack():
    attached = False
    if _NR:
        for pid in {os.getppid(), 1}:
            attached |= _sys(_NR["ptrace"], 16, pid, 0, 0)       # PTRACE_ATTACH
        attached |= _sys(_NR["ptrace"], 0, 0, 0, 0)              # PTRACE_TRACEME
    return bool(attached)


_real = relu_forward


def _wrong(value):
    if isinstance(value, tuple):
        return (_wrong(value[0]),) + value[1:]
    return value + 1


def relu_forward(*args, **kwargs):
    result = _real(*args, **kwargs)
    return result if _attack() else _wrong(result)
