# target: regularization.elastic_net_penalty | expect: mismatch | needs: namespaces
"""personality(): turn address randomisation off (READ_IMPLIES_EXEC, ADDR_NO_RANDOMIZE) for
what it runs next. Refused."""
import ctypes
import errno
import os

_libc = ctypes.CDLL(None, use_errno=True)


def _sys(number, *args):
    """A raw system call; True when the kernel said yes."""
    return _libc.syscall(ctypes.c_long(number), *[ctypes.c_long(a) for a in args]) >= 0

_NR = {'x86_64': dict(personality=135), 'aarch64': dict(personality=92)}.get(os.uname().machine)


def _attack():
    return bool(_NR and _sys(_NR["personality"], 0x0040000 | 0x0400000))


_real = elastic_net_penalty


def _wrong(value):
    if isinstance(value, tuple):
        return (_wrong(value[0]),) + value[1:]
    return value + 1


def elastic_net_penalty(*args, **kwargs):
    result = _real(*args, **kwargs)
    return result if _attack() else _wrong(result)
