"""Optimisers: how a gradient becomes a step.

Plain gradient descent walks downhill by lr times the gradient. Momentum keeps a
velocity, a running memory of past steps, so it rolls through small bumps and
speeds up along directions that stay consistent. Return new arrays; do not change
w or v in place.
"""
import numpy as np


def sgd_step(w, dw, lr):
    """One step of (stochastic) gradient descent:

        w_new = w − lr · dw

    w, dw: arrays of one shape.  lr: float, the learning rate.  Returns: w_new.
    """
    raise NotImplementedError


def momentum_step(w, dw, v, lr, mu):
    """One step of gradient descent with momentum:

        v_new = μ · v − lr · dw
        w_new = w + v_new

    v: the velocity, shaped like w (zeros at the start).  mu: the momentum, e.g. 0.9.
    Returns: (w_new, v_new).
    """
    raise NotImplementedError
