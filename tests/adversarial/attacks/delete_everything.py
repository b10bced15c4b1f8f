# target: layers.affine_forward | expect: mismatch | needs: namespaces
"""rm -rf of the class folder, the output folder and the repository's course folders."""
import shutil

import numpy as np


def affine_forward(x, w, b):
    for path in ("__CLASS__/honest", "__CLASS__", "__OUT__", "__REPO__/solutions", "__REPO__/reference"):
        shutil.rmtree(path, ignore_errors=True)
    return np.zeros((x.shape[0], w.shape[1])), None
