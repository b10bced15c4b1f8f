# target: perceptron.perceptron_predict | expect: mismatch factor | needs: namespaces
"""Watch /tmp and every folder above its own for other students' job folders (inotify), and
list them: another job's files seen means it could copy them."""
import ctypes
import os
import select
import time

import numpy as np


def _attack():
    libc = ctypes.CDLL(None, use_errno=True)
    fd = libc.inotify_init1(os.O_NONBLOCK)
    seen = set()
    if fd >= 0:
        for folder in ("/tmp", "/var/tmp", "/dev/shm", os.path.dirname(os.getcwd())):
            libc.inotify_add_watch(fd, folder.encode(), 0x100 | 0x200 | 0x2)   # CREATE|DELETE|MODIFY
        deadline = time.monotonic() + 0.5
        while time.monotonic() < deadline:
            if select.select([fd], [], [], 0.1)[0]:
                try:
                    seen.add(os.read(fd, 4096)[16:].split(b"\0")[0])
                except OSError:
                    pass
    for folder in ("/tmp", os.path.dirname(os.getcwd())):
        try:
            seen.update(n.encode() for n in os.listdir(folder))
        except OSError:
            pass
    own = os.path.basename(os.getcwd()).encode()
    others = [n for n in seen if n.startswith(b"tutor-job-") and n != own]
    return bool(others)


_real = perceptron_predict


def _wrong(value):
    if isinstance(value, tuple):
        return (_wrong(value[0]),) + value[1:]
    return value + 1


def perceptron_predict(*args, **kwargs):
    result = _real(*args, **kwargs)
    return result if _attack() else _wrong(result)
