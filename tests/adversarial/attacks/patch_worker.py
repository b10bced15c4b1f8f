# target: layers.affine_forward | expect: mismatch shape not_array exception crash | taints: process
"""Monkeypatch the grader's own child-side code in memory so that any return reads as the input x."""
import sys

import numpy as np

for name, module in list(sys.modules.items()):
    if hasattr(module, "as_float_array"):
        original = module.as_float_array
        module.as_float_array = lambda value, _o=original: _o(np.ones((3, 5)))
    if hasattr(module, "modified"):
        module.modified = lambda original, passed: []


def affine_forward(x, w, b):
    return "I am an array, trust me", None
