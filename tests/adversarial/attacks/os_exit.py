# target: layers.affine_forward | expect: crash
"""os._exit(0): no exception to catch, the process just ends with status 0."""
import os


def affine_forward(x, w, b):
    os._exit(0)
