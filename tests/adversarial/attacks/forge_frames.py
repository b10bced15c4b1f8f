# target: layers.affine_forward | expect: crash mismatch exception
"""Write forged protocol frames ("passed", then a result with the right shape) into every open
pipe: the grader's result channel is one of them."""
import json
import os
import stat
import struct

import numpy as np


def _frame(header):
    text = json.dumps(header).encode()
    return struct.pack("<IQ", len(text), 0) + text


def affine_forward(x, w, b):
    forged = [
        _frame({"type": "result", "index": i, "cases": [{"status": "ok", "outputs": []}], "stdout": "", "seconds": 0.0,
                "passed": True, "score": 1.0, "arrays": []})
        for i in range(64)
    ] + [_frame({"type": "done", "arrays": []})]
    for fd in range(3, 64):
        try:
            if stat.S_ISFIFO(os.fstat(fd).st_mode):
                for data in forged:
                    os.write(fd, data)
        except OSError:
            pass
    return np.zeros((x.shape[0], w.shape[1])), None
