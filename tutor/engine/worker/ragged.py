"""Return values that are not one array, turned into one float64 array on both sides.

`minibatches` returns a list of index arrays of different lengths, which no single
array holds. The child encodes the learner's list, and the parent the reference's, the
same way: one row (batch number, index) per index, in order, so that comparing the two
arrays compares the batches, their sizes and their order at once. NumPy only: this runs
in the sandboxed child, on learner objects, so nothing of theirs is called.
"""
from __future__ import annotations

import numpy as np

MAX_BATCHES = 100_000


def batches(value):
    """The (total, 2) array of (batch number, index) rows, or `value` unchanged when it is not
    a list or tuple of 1-D numeric arrays (the ordinary checks then say what it is)."""
    if type(value) not in (list, tuple) or len(value) > MAX_BATCHES:
        return value
    rows = []
    for number, item in enumerate(value):
        if not isinstance(item, np.ndarray):
            return value
        plain = item if type(item) is np.ndarray else np.ndarray.view(item, np.ndarray)
        if plain.ndim != 1 or plain.dtype.kind not in "iuf":
            return value
        indices = np.array(plain, dtype=np.float64, copy=True)
        rows.append(np.column_stack([np.full(indices.shape, float(number)), indices]))
    return np.concatenate(rows) if rows else np.zeros((0, 2))


ENCODINGS = {"batches": batches}


def encode(name: str | None, value):
    return ENCODINGS[name](value) if name else value
