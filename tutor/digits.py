"""The 8×8 handwritten digits scikit-learn ships (no download), split once for the whole course.

Loaded only in trusted processes (the grader's parent, the playgrounds): learner code
receives the training split as case inputs and never sees the held-out split its
classifier is graded on. The split is fixed, so a grade never depends on luck.
"""
from __future__ import annotations

from functools import lru_cache

import numpy as np

HELD_OUT = 500                 # digits the capstone is graded on
SPLIT_SEED = 20240917
PIXEL_MAX = 16.0               # load_digits' pixels are 0 … 16


class MissingDigits(RuntimeError):
    """scikit-learn is not installed."""


@lru_cache(maxsize=1)
def _all() -> tuple[np.ndarray, np.ndarray]:
    try:
        from sklearn.datasets import load_digits
    except ImportError as error:  # pragma: no cover - a dependency of tutor
        raise MissingDigits("the digits need scikit-learn: pip install scikit-learn") from error
    data = load_digits()
    X = np.asarray(data.data, dtype=np.float64) / PIXEL_MAX
    y = np.asarray(data.target, dtype=np.int64)
    order = np.random.default_rng(SPLIT_SEED).permutation(len(y))
    X, y = X[order], y[order]
    X.setflags(write=False)
    y.setflags(write=False)
    return X, y


def train_split() -> tuple[np.ndarray, np.ndarray]:
    """(X (1297, 64) in [0, 1], y (1297,) int64): what a learner's classifier trains on."""
    X, y = _all()
    return X[HELD_OUT:].copy(), y[HELD_OUT:].copy()


def held_out_split() -> tuple[np.ndarray, np.ndarray]:
    """(X (500, 64), y (500,)): graded on, never sent to learner code."""
    X, y = _all()
    return X[:HELD_OUT].copy(), y[:HELD_OUT].copy()


def images(X: np.ndarray) -> np.ndarray:
    """Rows of 64 pixels as 8×8 images."""
    return np.asarray(X).reshape(-1, 8, 8)
