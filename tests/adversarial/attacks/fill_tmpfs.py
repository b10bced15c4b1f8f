# target: cnn.convolve2d | expect: mismatch | needs: namespaces
"""Memory through files: fill /tmp and /dev/shm (tmpfs pages are not under RLIMIT_AS) with
files just under the file size limit. Bounded at 1 GB written; the tmpfs must stop it far earlier."""
import os
import tempfile

import numpy as np


def _attack():
    total = 0
    chunk = b"x" * (1 << 20)
    for folder in (tempfile.gettempdir(), "/dev/shm"):
        for i in range(256):
            try:
                with open(os.path.join(folder, f"fill{i}"), "wb") as f:
                    for _ in range(4):
                        f.write(chunk)
                        total += len(chunk)
            except OSError:
                break
            if total >= 1 << 30:
                break
    return bool(total > 256 << 20)


_real = convolve2d


def _wrong(value):
    if isinstance(value, tuple):
        return (_wrong(value[0]),) + value[1:]
    return value + 1


def convolve2d(*args, **kwargs):
    result = _real(*args, **kwargs)
    return result if _attack() else _wrong(result)
