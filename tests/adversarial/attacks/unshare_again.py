# target: param_count.rnn_params | expect: mismatch | needs: namespaces
"""New namespaces from inside the sandbox (user: capabilities again; net, mount, PID), by
unshare, by setns and by clone with CLONE_NEW* flags. Every one must fail."""
import ctypes
import errno
import os

_libc = ctypes.CDLL(None, use_errno=True)


def _sys(number, *args):
    """A raw system call; True when the kernel said yes."""
    return _libc.syscall(ctypes.c_long(number), *[ctypes.c_long(a) for a in args]) >= 0

_NR = {'x86_64': dict(unshare=272, setns=308, clone=56), 'aarch64': dict(unshare=97, setns=268, clone=220)}.get(os.uname().machine)


def _attack():
    made = 0
    if _NR:
        for flag in (0x10000000, 0x40000000, 0x00020000, 0x20000000, 0x08000000, 0x00000080):
            made += _sys(_NR["unshare"], flag)
        made += _sys(_NR["setns"], 0, 0)
        pid = _libc.syscall(ctypes.c_long(_NR["clone"]), ctypes.c_long(0x10000000 | 17), ctypes.c_long(0),
                            ctypes.c_long(0), ctypes.c_long(0), ctypes.c_long(0))
        if pid == 0:
            os._exit(0)
        if pid > 0:
            made += 1
            os.waitpid(pid, 0)
    return bool(made)


_real = rnn_params


def _wrong(value):
    if isinstance(value, tuple):
        return (_wrong(value[0]),) + value[1:]
    return value + 1


def rnn_params(*args, **kwargs):
    result = _real(*args, **kwargs)
    return result if _attack() else _wrong(result)
