"""Randomness for the reference: a torch.Generator from whatever the caller passes.

The exercises take a `numpy.random.Generator`; the reference also accepts a
`torch.Generator` so that it can draw directly on a GPU.
"""
import numpy as np
import torch


def torch_generator(rng, device):
    """A torch.Generator on `device`.

    - a `torch.Generator` is used as it is (it must live on `device`);
    - a `numpy.random.Generator` gives one seed (drawn from it, so it advances) for a
      fresh torch generator: the same numpy seed always gives the same torch draws,
      though not the same numbers NumPy itself would draw.
    """
    if isinstance(rng, torch.Generator):
        return rng
    if isinstance(rng, np.random.Generator):
        seed = int(rng.integers(0, 2**63 - 1))
        return torch.Generator(device=device).manual_seed(seed)
    raise TypeError(f"rng must be a numpy.random.Generator or a torch.Generator, not {type(rng).__name__}")
