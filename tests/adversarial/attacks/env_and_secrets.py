# target: layers.affine_forward | expect: mismatch | needs: namespaces
"""Look for the grader's secrets: environment variables, home folder, the gradebook."""
import glob
import os

import numpy as np


def affine_forward(x, w, b):
    found = [k for k in os.environ if "TOKEN" in k or "SECRET" in k or "KEY" in k]
    found += glob.glob("__OUT__/*") + glob.glob(os.path.expanduser("~/.ssh/*")) + glob.glob("__CLASS__/*/*.py")
    if found:
        raise RuntimeError("found: " + ", ".join(found)[:500])
    return np.zeros((x.shape[0], w.shape[1])), None
