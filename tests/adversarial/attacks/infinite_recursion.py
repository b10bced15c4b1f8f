# target: layers.affine_forward | expect: exception crash timeout
"""Unbounded recursion (and a raised recursion limit, to push toward a C stack overflow)."""
import sys


def affine_forward(x, w, b):
    sys.setrecursionlimit(10 ** 6)
    return affine_forward(x, w, b)
