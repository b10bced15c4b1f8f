# target: regularization.l2_penalty | expect: mismatch | needs: namespaces
"""Kernel keyrings are not namespaced like files: store a key for the next student, read the
session keyring. Both must be refused."""
import ctypes
import errno
import os

_libc = ctypes.CDLL(None, use_errno=True)


def _sys(number, *args):
    """A raw system call; True when the kernel said yes."""
    return _libc.syscall(ctypes.c_long(number), *[ctypes.c_long(a) for a in args]) >= 0

_NR = {'x86_64': dict(add_key=248, keyctl=250), 'aarch64': dict(add_key=217, keyctl=219)}.get(os.uname().machine)


def _attack():
    if not _NR:
        return False
    key = _libc.syscall(ctypes.c_long(_NR["add_key"]), b"user", b"tutor-answers", b"secret", ctypes.c_long(6),
                        ctypes.c_long(-3))        # KEY_SPEC_SESSION_KEYRING
    return key >= 0 or _sys(_NR["keyctl"], 0, -3, 0, 0)   # KEYCTL_GET_KEYRING_ID


_real = l2_penalty


def _wrong(value):
    if isinstance(value, tuple):
        return (_wrong(value[0]),) + value[1:]
    return value + 1


def l2_penalty(*args, **kwargs):
    result = _real(*args, **kwargs)
    return result if _attack() else _wrong(result)
