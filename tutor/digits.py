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
    pixels, target = _read_shipped() or _load_digits()
    X = np.asarray(pixels, dtype=np.float64) / PIXEL_MAX
    y = np.asarray(target, dtype=np.int64)
    order = np.random.default_rng(SPLIT_SEED).permutation(len(y))
    X, y = X[order], y[order]
    X.setflags(write=False)
    y.setflags(write=False)
    return X, y


def _read_shipped():
    """(pixels, labels) read from scikit-learn's digits.csv.gz as load_digits reads it, or None.
    Importing scikit-learn takes over a second, spent before grading a capstone; its data file
    is read the same way (np.loadtxt, the last column the label) without it."""
    import gzip
    import importlib.util
    from pathlib import Path

    spec = importlib.util.find_spec("sklearn")   # finds the package without importing it
    for folder in (spec.submodule_search_locations or []) if spec else []:
        path = Path(folder) / "datasets" / "data" / "digits.csv.gz"
        try:
            with gzip.open(path, mode="rt", encoding="utf-8") as f:
                data = np.loadtxt(f, delimiter=",")
        except (OSError, ValueError, EOFError):
            continue
        if data.ndim == 2 and data.shape[1] == 65:
            return data[:, :-1], data[:, -1].astype(int, copy=False)
    return None


def _load_digits():
    try:
        from sklearn.datasets import load_digits
    except ImportError as error:  # pragma: no cover - a dependency of tutor
        raise MissingDigits("the digits need scikit-learn: pip install scikit-learn") from error
    data = load_digits()
    return data.data, data.target


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
