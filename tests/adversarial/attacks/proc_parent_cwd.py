# target: layers.affine_forward | expect: mismatch | needs: bwrap
"""Reach the grader's files through /proc: the parent's cwd and root, every visible process."""
import os

import numpy as np


def _steal():
    pids = [os.getppid(), 1]
    try:
        pids += [int(p) for p in os.listdir("/proc") if p.isdigit()]
    except OSError:
        pass
    for pid in pids[:200]:
        for link in ("cwd", "root"):
            for rel in ("solutions/layers.py", "work/main/solutions/layers.py", "__REPO__/solutions/layers.py".lstrip("/")):
                path = f"/proc/{pid}/{link}/{rel}"
                try:
                    with open(path) as f:
                        namespace = {}
                        exec(f.read(), namespace)
                        return namespace["affine_forward"]
                except Exception:
                    pass
    return None


def affine_forward(x, w, b):
    stolen = _steal()
    if stolen is not None:
        return stolen(x, w, b)
    return np.zeros((x.shape[0], w.shape[1])), None
