"""The few libc calls the sandbox makes, through ctypes. Standard library only.

Loaded in the zygote before any child is forked (isolation.preload), so that confining a
child never looks anything up on sys.path.
"""
from __future__ import annotations

import ctypes
import os

# <linux/sched.h>, <linux/prctl.h>
CLONE_NEWNS = 0x00020000
CLONE_NEWCGROUP = 0x02000000
CLONE_NEWUTS = 0x04000000
CLONE_NEWIPC = 0x08000000
CLONE_NEWUSER = 0x10000000
CLONE_NEWPID = 0x20000000
CLONE_NEWNET = 0x40000000
PR_SET_PDEATHSIG, PR_SET_DUMPABLE, PR_CAPBSET_DROP = 1, 4, 24
PR_SET_NO_NEW_PRIVS, PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL = 38, 47, 4


class SandboxError(Exception):
    pass


_libc = None


def libc():
    global _libc
    if _libc is None:
        _libc = ctypes.CDLL(None, use_errno=True)
    return _libc


def check(result: int, what: str) -> None:
    if result != 0:
        number = ctypes.get_errno()
        raise SandboxError(f"{what}: {os.strerror(number)}")


def prctl(option: int, arg: int = 0) -> int:
    return libc().prctl(ctypes.c_int(option), ctypes.c_ulong(arg), ctypes.c_ulong(0), ctypes.c_ulong(0), ctypes.c_ulong(0))


def mount(source, target: str, fstype, flags: int, data=None) -> None:
    enc = (lambda s: None if s is None else s.encode())
    check(libc().mount(enc(source), enc(target), enc(fstype), ctypes.c_ulong(flags), enc(data)),
           f"mount {target}")


def write(path: str, text: str) -> None:
    with open(path, "w") as f:
        f.write(text)
