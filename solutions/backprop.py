"""The chain rule on a graph: f = (x + y)·z, and a two-layer sigmoid network."""
import numpy as np


def xyz_forward(x, y, z):
    q = x + y
    return q * z, (q, z)


def xyz_backward(df, cache):
    q, z = cache
    dq = df * z          # ∂f/∂q = z
    return dq, dq, df * q  # ∂q/∂x = ∂q/∂y = 1, ∂f/∂z = q


def _sigmoid(z):
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1 / (1 + e), e / (1 + e))


def two_layer_forward(X, W1, w2):
    h = _sigmoid(X @ W1)
    out = _sigmoid(h @ w2)
    return out, (X, W1, w2, h, out)


def two_layer_backward(dout, cache):
    X, W1, w2, h, out = cache
    dz2 = dout * out * (1 - out)       # through the output sigmoid, shape (N,)
    dw2 = h.T @ dz2
    dh = np.outer(dz2, w2)
    dz1 = dh * h * (1 - h)             # through the hidden sigmoid, shape (N, H)
    return dz1 @ W1.T, X.T @ dz1, dw2
