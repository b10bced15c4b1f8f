# target: regularization.l1_penalty | expect: mismatch | needs: namespaces
"""userfaultfd: the usual tool to win a kernel race. It must be refused."""
import ctypes
import errno
import os

_libc = ctypes.CDLL(None, use_errno=True)


def _sys(number, *args):
    """A raw system call; True when the kernel said yes."""
    return _libc.syscall(ctypes.c_long(number), *[ctypes.c_long(a) for a in args]) >= 0

_NR = {'x86_64': dict(userfaultfd=323), 'aarch64': dict(userfaultfd=282)}.get(os.uname().machine)


def _attack():
    return bool(_NR and _sys(_NR["userfaultfd"], 0))


_real = l1_penalty


def _wrong(value):
    if isinstance(value, tuple):
        return (_wrong(value[0]),) + value[1:]
    return value + 1


def l1_penalty(*args, **kwargs):
    result = _real(*args, **kwargs)
    return result if _attack() else _wrong(result)
