# target: layers.affine_forward | expect: exception mismatch | needs: bwrap
"""Import the instructor's solution (as a checkout and as an installed package)."""
import numpy as np


def affine_forward(x, w, b):
    for name in ("solutions.layers", "tutor.solutions.layers", "reference.layers", "tutor.reference.layers"):
        try:
            module = __import__(name, fromlist=["affine_forward"])
            return module.affine_forward(x, w, b)
        except Exception:
            pass
    import tutor.engine.grader  # noqa: F401 - hoping for the expected values in memory
    return np.zeros((x.shape[0], w.shape[1])), None
