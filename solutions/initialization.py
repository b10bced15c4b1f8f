"""Weight initialisation."""
import numpy as np


def xavier_normal(n_in, n_out, rng):
    std = np.sqrt(2 / (n_in + n_out))
    return rng.normal(0.0, std, size=(n_in, n_out))
