"""tutor/digits.py: the 8×8 digits, split once into training and held-out sets."""
from __future__ import annotations

import numpy as np

from tutor import digits


def test_the_split_is_fixed_disjoint_and_complete():
    X, y = digits.train_split()
    Xh, yh = digits.held_out_split()
    assert X.shape == (1297, 64) and Xh.shape == (digits.HELD_OUT, 64)
    assert X.dtype == np.float64 and y.dtype == np.int64
    assert 0 <= X.min() and X.max() <= 1
    assert set(y) == set(yh) == set(range(10))
    again, _ = digits.train_split()
    assert np.array_equal(X, again)
    assert X.flags.writeable and not np.shares_memory(X, again)     # copies: a caller cannot spoil the cache
    rows = {row.tobytes() for row in X}
    assert sum(row.tobytes() in rows for row in Xh) < 10            # (a few digits are pixel-identical)


def test_images_are_eight_by_eight():
    X, _ = digits.held_out_split()
    assert digits.images(X[:3]).shape == (3, 8, 8)
