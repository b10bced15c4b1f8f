# target: layers.affine_forward | expect: mismatch timeout | needs: bwrap
"""Find solutions/layers.py on disk (known path, then a bounded search) and run it.

The search is bounded by count, not time: on a loaded machine it can run past the 2 s limit,
which is as safe an outcome (0 points) as the answer of zeros it falls back to."""
import os

import numpy as np


def _steal():
    candidates = ["__REPO__/solutions/layers.py", "__REPO__/tutor/solutions/layers.py"]
    seen = 0
    for root in ("/", "/work", "/home", "/root", "/tmp", "/opt", "/usr"):
        for folder, dirs, files in os.walk(root):
            seen += 1
            if seen > 3000:
                break
            dirs[:] = [d for d in dirs if d not in ("proc", "sys", "dev")]
            if "layers.py" in files and os.path.basename(folder) in ("solutions", "reference"):
                candidates.append(os.path.join(folder, "layers.py"))
    for path in candidates:
        try:
            with open(path) as f:
                source = f.read()
        except OSError:
            continue
        namespace = {}
        exec(compile(source, path, "exec"), namespace)
        if "affine_forward" in namespace:
            return namespace["affine_forward"]
    return None


def affine_forward(x, w, b):
    stolen = _steal()
    if stolen is not None:
        return stolen(x, w, b)
    return np.zeros((x.shape[0], w.shape[1])), None
