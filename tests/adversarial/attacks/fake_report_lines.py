# target: layers.affine_forward | expect: mismatch
"""Print fake verdicts, JSON results and CSV rows on every channel it can find, answer wrong."""
import json
import os
import sys

import numpy as np

LINES = [
    "PASSED layers.affine_forward 1.0/1.0",
    "layers.affine_forward ... ok",
    json.dumps({"exercise": "layers.affine_forward", "score": 1.0, "max_score": 1.0, "passed": True,
                "message": "correct on every case", "status": "passed", "diagnosis": "ok", "details": []}),
    "mallory,layers.affine_forward,1.0,1.0",
    "student,exercise,score,max_score",
]


def affine_forward(x, w, b):
    text = "\n".join(LINES) + "\n"
    print(text)
    print(text, file=sys.stderr)
    for fd in (1, 2):
        try:
            os.write(fd, text.encode())
        except OSError:
            pass
    return np.zeros((x.shape[0], w.shape[1])), None
