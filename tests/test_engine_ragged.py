"""tutor/engine/worker/ragged.py: a list of batches as one (batch, index) array."""
from __future__ import annotations

import numpy as np

from tutor.engine.worker import ragged


def test_batches_become_rows_of_batch_and_index():
    got = ragged.batches([np.array([4, 1, 3]), np.array([0, 2])])
    assert got.dtype == np.float64
    assert got.tolist() == [[0, 4], [0, 1], [0, 3], [1, 0], [1, 2]]
    assert ragged.batches([]).shape == (0, 2)
    assert ragged.encode(None, "as is") == "as is"


class Sneaky(np.ndarray):
    def __array__(self, *args, **kwargs):  # never called: subclasses are viewed as plain arrays
        raise AssertionError("learner code ran")


def test_anything_else_passes_through_unchanged():
    for value in (np.arange(6), "text", [np.ones((2, 2))], [np.array(["a"])], [[1, 2]], (1, 2), None):
        assert ragged.batches(value) is value
    sneaky = np.arange(3).view(Sneaky)
    assert ragged.batches([sneaky]).tolist() == [[0, 0], [0, 1], [0, 2]]
