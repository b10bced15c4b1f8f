# target: layers.affine_forward | expect: mismatch | taints: process
"""Monkeypatch builtins the grader might use to compare (all, any, abs, max), then answer wrong."""
import builtins

import numpy as np

_all, _any = builtins.all, builtins.any
builtins.all = lambda iterable: True
builtins.any = lambda iterable: False
builtins.abs = lambda value: value * 0
builtins.max = lambda *args, **kwargs: 0.0


def affine_forward(x, w, b):
    return (x @ w + b) + 0.5, None
