# target: layers.affine_forward | expect: mismatch timeout
"""Scan this process's memory (a fork of the grader's worker) for another student's source.
Answers right only if it finds one, so a leak shows up as marks it did not earn."""
import ctypes
import os

import numpy as np

MARKER = bytes(reversed(b"ETON-ETAVIRP-TNEDUTS-TSENOH"))   # built at run time: no copy in the source


def _scan():
    libc = ctypes.CDLL(None)
    probe = os.open("probe.bin", os.O_RDWR | os.O_CREAT, 0o600)   # pwrite from an unmapped address: EFAULT, no crash
    anchors = {id(MARKER), id(np), id(os), id(ctypes), id([]), ctypes.addressof(ctypes.c_char(0))}
    step = 1 << 16
    seen = set()
    try:
        for anchor in sorted(anchors):
            base = anchor & ~(step - 1)
            for direction in (1, -1):
                misses = 0
                for i in range(1024):               # up to 64 MB each way
                    page = base + direction * i * step
                    if page in seen or page <= 0:
                        continue
                    seen.add(page)
                    if libc.pwrite(probe, ctypes.c_void_p(page), ctypes.c_size_t(step), ctypes.c_long(0)) != step:
                        misses += 1
                        if misses > 64:
                            break
                        continue
                    data = ctypes.string_at(page, step)
                    at = data.find(MARKER)
                    if at >= 0 and page + at != id(MARKER) + 32:     # not the needle itself
                        return True
    finally:
        os.close(probe)
    return False


def affine_forward(x, w, b):
    if _scan():
        return x @ w + b, None
    return np.zeros((x.shape[0], w.shape[1])), None
