"""Update rules, learning-rate schedules and mini-batches."""
import numpy as np


def sgd_step(w, dw, lr):
    return w - lr * dw


def momentum_step(w, dw, v, lr, mu):
    # v is a velocity: it remembers a decaying sum of past steps.
    v_new = mu * v - lr * dw
    return w + v_new, v_new


def lr_step_decay(lr0, epoch, drop=0.5, every=10):
    return lr0 * drop ** (epoch // every)


def lr_exponential_decay(lr0, epoch, k):
    return lr0 * np.exp(-k * epoch)


def minibatches(n, batch_size, rng):
    order = rng.permutation(n)
    return [order[i:i + batch_size] for i in range(0, n, batch_size)]
