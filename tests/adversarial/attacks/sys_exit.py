# target: layers.affine_forward | expect: exception crash
"""sys.exit(0) in the middle of grading, hoping a clean exit reads as success."""
import sys


def affine_forward(x, w, b):
    print("All tests PASSED")
    sys.exit(0)
