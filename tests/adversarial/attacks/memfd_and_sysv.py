# target: optim.momentum_step | expect: mismatch | needs: namespaces
"""Memory outside RLIMIT_AS: a memfd filled with write() (no mapping) and SysV shared memory
and semaphores. Each must be refused."""
import ctypes
import errno
import os

_libc = ctypes.CDLL(None, use_errno=True)


def _sys(number, *args):
    """A raw system call; True when the kernel said yes."""
    return _libc.syscall(ctypes.c_long(number), *[ctypes.c_long(a) for a in args]) >= 0

_NR = {'x86_64': dict(memfd_create=319, shmget=29, semget=64, msgget=68), 'aarch64': dict(memfd_create=279, shmget=194, semget=190, msgget=186)}.get(os.uname().machine)


def _attack():
    got = 0
    if _NR:
        fd = _libc.syscall(ctypes.c_long(_NR["memfd_create"]), b"hoard", ctypes.c_long(0))
        if fd >= 0:
            got += 1
            chunk = b"x" * (1 << 20)
            for _ in range(64):        # bounded: 64 MB if the defence failed
                os.write(fd, chunk)
            os.close(fd)
        got += _sys(_NR["shmget"], 0, 64 << 20, 0o1000 | 0o600)     # IPC_PRIVATE, IPC_CREAT
        got += _sys(_NR["semget"], 0, 1, 0o1000 | 0o600)
        got += _sys(_NR["msgget"], 0, 0o1000 | 0o600)
    return bool(got)


_real = momentum_step


def _wrong(value):
    if isinstance(value, tuple):
        return (_wrong(value[0]),) + value[1:]
    return value + 1


def momentum_step(*args, **kwargs):
    result = _real(*args, **kwargs)
    return result if _attack() else _wrong(result)
