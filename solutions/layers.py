"""Dense layers and losses."""
import numpy as np


def affine_forward(x, w, b):
    return x @ w + b, (x, w)


def affine_backward(dout, cache):
    x, w = cache
    return dout @ w.T, x.T @ dout, dout.sum(axis=0)


def mse_loss(pred, y):
    diff = pred - y
    return np.mean(diff ** 2), 2 * diff / diff.size


def softmax_cross_entropy(scores, y):
    shifted = scores - scores.max(axis=1, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    N = scores.shape[0]
    loss = -log_probs[np.arange(N), y].mean()
    dscores = np.exp(log_probs)
    dscores[np.arange(N), y] -= 1
    return loss, dscores / N


def dropout_forward(x, p, train, rng):
    if not train:
        return x.copy(), None
    # Inverted dropout: scale the kept units now so evaluation needs no change.
    mask = (rng.random(x.shape) >= p) / (1 - p)
    return x * mask, mask


def dropout_backward(dout, cache):
    mask = cache
    return dout.copy() if mask is None else dout * mask


def batchnorm_forward(x, gamma, beta, eps=1e-5):
    mean = x.mean(axis=0)
    var = x.var(axis=0)                # biased: divides by N, as in training mode
    x_hat = (x - mean) / np.sqrt(var + eps)
    return gamma * x_hat + beta, (x_hat, gamma, var, eps)


def batchnorm_backward(dout, cache):
    x_hat, gamma, var, eps = cache
    N = dout.shape[0]
    dgamma = (dout * x_hat).sum(axis=0)
    dbeta = dout.sum(axis=0)
    dx_hat = dout * gamma
    # The compact form: every x_i also moves the batch mean and variance.
    dx = (N * dx_hat - dx_hat.sum(axis=0) - x_hat * (dx_hat * x_hat).sum(axis=0)) / (N * np.sqrt(var + eps))
    return dx, dgamma, dbeta


def triplet_loss(anchor, positive, negative, margin=0.2):
    to_pos, to_neg = anchor - positive, anchor - negative
    d = (to_pos ** 2).sum(axis=1) - (to_neg ** 2).sum(axis=1) + margin
    # Only the triplets still inside the margin cost anything, and only they get a gradient.
    active = (d > 0)[:, None] * (2.0 / len(d))
    return np.maximum(d, 0).mean(), active * (negative - positive), -active * to_pos, active * to_neg
