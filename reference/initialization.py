"""Reference: Xavier (Glorot) normal initialisation."""
import math

import torch

from ._rng import torch_generator


def xavier_normal(n_in, n_out, rng):
    """(n_in, n_out) float64 samples of N(0, std²), std = sqrt(2 / (n_in + n_out)).

    `rng` is a numpy.random.Generator (a seed is drawn from it) or a torch.Generator,
    whose device the samples are drawn on.
    """
    device = rng.device if isinstance(rng, torch.Generator) else torch.device("cpu")
    generator = torch_generator(rng, device)
    std = math.sqrt(2.0 / (n_in + n_out))
    return std * torch.randn(n_in, n_out, generator=generator, dtype=torch.float64, device=device)
