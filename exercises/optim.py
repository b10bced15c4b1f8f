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


def lr_step_decay(lr0, epoch, drop=0.5, every=10):
    """A learning rate that drops in steps: multiplied by `drop` every `every` epochs.

        lr = lr0 · drop ^ ⌊epoch / every⌋

    Epochs count from 0: epochs 0 … every − 1 use lr0 itself, epoch `every` is the
    first to use lr0 · drop.
    lr0: float, the starting rate.  epoch: int ≥ 0.  drop: float in (0, 1].  every: int ≥ 1.
    Returns: a float.
    """
    raise NotImplementedError


def lr_exponential_decay(lr0, epoch, k):
    """A learning rate that shrinks smoothly:

        lr = lr0 · e^(−k · epoch)

    Epoch 0 uses lr0 itself; every epoch multiplies the rate by e^(−k).
    lr0: float.  epoch: int ≥ 0.  k: float ≥ 0, the decay rate.
    Returns: a float.
    """
    raise NotImplementedError


def minibatches(n, batch_size, rng):
    """One epoch's mini-batches: the indices 0 … n − 1 shuffled, then cut in order.

        order = rng.permutation(n)
        batches = order[0 : b], order[b : 2b], …    (b = batch_size)

    Every index appears in exactly one batch; the last batch is shorter when
    batch_size does not divide n (keep it: those samples count too). Call this once
    per epoch, so that every epoch sees the data in a new order.
    n: int, the number of samples.  batch_size: int ≥ 1.
    rng: numpy.random.Generator; draw the order from it, with one call to permutation.
    Returns: a list of 1-D integer arrays.
    """
    raise NotImplementedError
