"""The vanilla recurrent network, one step and unrolled over time."""
import numpy as np


def rnn_step_forward(x, h_prev, Wx, Wh, b):
    h_next = np.tanh(x @ Wx + h_prev @ Wh + b)
    return h_next, (x, h_prev, Wx, Wh, h_next)


def rnn_step_backward(dh_next, cache):
    x, h_prev, Wx, Wh, h_next = cache
    da = dh_next * (1 - h_next ** 2)   # through tanh
    return da @ Wx.T, da @ Wh.T, x.T @ da, h_prev.T @ da, da.sum(axis=0)


def rnn_forward(x, h0, Wx, Wh, b):
    N, T, _ = x.shape
    h, caches = np.empty((N, T, h0.shape[1])), []
    h_prev = h0
    for t in range(T):
        h_prev, cache = rnn_step_forward(x[:, t], h_prev, Wx, Wh, b)
        h[:, t] = h_prev
        caches.append(cache)
    return h, caches


def rnn_backward(dh, cache):
    caches = cache
    T = dh.shape[1]
    dx = np.empty((dh.shape[0], T, caches[0][2].shape[0]))
    dWx, dWh, db = 0, 0, 0
    dh_prev = np.zeros_like(dh[:, 0])
    for t in reversed(range(T)):
        # h_t feeds both the loss directly and the next step: add the two gradients.
        dx[:, t], dh_prev, dWx_t, dWh_t, db_t = rnn_step_backward(dh[:, t] + dh_prev, caches[t])
        dWx, dWh, db = dWx + dWx_t, dWh + dWh_t, db + db_t
    return dx, dh_prev, dWx, dWh, db


def softmax(z):
    # Subtracting the row maximum changes nothing mathematically and keeps exp finite.
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)
