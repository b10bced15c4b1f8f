# target: activations.leaky_relu_forward | expect: crash mismatch
"""Forge a result frame whose arrays claim an enormous shape ([2**31, 2**31] floats) with a
tiny payload, and one whose header says 16 MB but sends less: the reader must refuse both
before allocating anything."""
import json
import os
import stat
import struct

import numpy as np


def leaky_relu_forward(x, alpha=0.01):
    text = json.dumps({"type": "result", "index": 0, "cases": [{"status": "ok", "outputs": [{"a": 0}]}],
                       "arrays": [["f8", [2 ** 31, 2 ** 31]]]}).encode()
    frame = struct.pack("<IQ", len(text), 8) + text + b"\0" * 8
    lying = struct.pack("<IQ", 16 << 20, 1 << 40)
    for fd in range(3, 64):
        try:
            if stat.S_ISFIFO(os.fstat(fd).st_mode):
                os.write(fd, frame)
                os.write(fd, lying)
        except OSError:
            pass
    return np.zeros_like(x), x
