"""Small helpers shared by the playground modules (torch imported lazily, inside)."""
from __future__ import annotations

import numpy as np


def tensor(a):
    """A float64 torch tensor from a number, list or NumPy array."""
    import torch

    return torch.tensor(np.array(a, dtype=np.float64))  # a copy: inputs stay untouched


def numpy(t) -> np.ndarray:
    """A NumPy float64 copy of a tensor (or anything array-like)."""
    if hasattr(t, "detach"):
        t = t.detach().cpu().numpy()
    return np.array(t, dtype=np.float64)


def scalar(t) -> float:
    """A Python float from a 0-d (or one-element) tensor or array."""
    return float(numpy(t).reshape(-1)[0])
