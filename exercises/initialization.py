"""Weight initialisation.

Start every weight at the same value and every unit of a layer learns the same
thing; start them too large or too small and activations and gradients explode or
vanish layer after layer. Xavier (Glorot) initialisation picks the spread so that
the variance of the signal stays about the same going forwards and backwards.
"""
import numpy as np


def xavier_normal(n_in, n_out, rng):
    """A (n_in, n_out) weight matrix of samples from N(0, std²) with

        std = √(2 / (n_in + n_out))

    n_in, n_out: ints, the layer's fan-in and fan-out.
    rng: a numpy.random.Generator; draw every random number from it (never from
    np.random directly), so a run can be repeated.
    Returns: float64 array of shape (n_in, n_out).
    """
    raise NotImplementedError
