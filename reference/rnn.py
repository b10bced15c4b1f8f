"""Reference: the vanilla recurrent network, h_t = tanh(x_t Wx + h_{t-1} Wh + b)."""
import torch

from ._graph import gradients, record


def _step(x, h_prev, Wx, Wh, b):
    return torch.tanh(x @ Wx + h_prev @ Wh + b)


def rnn_step_forward(x, h_prev, Wx, Wh, b):
    """One step: x (N, D), h_prev (N, H), Wx (D, H), Wh (H, H), b (H,) -> h_next (N, H)."""
    return record(_step, x, h_prev, Wx, Wh, b)


def rnn_step_backward(dh_next, cache):
    """(dx, dh_prev, dWx, dWh, db)."""
    return gradients(dh_next, cache)


def _unroll(x, h0, Wx, Wh, b):
    h, states = h0, []
    for t in range(x.shape[1]):
        h = _step(x[:, t], h, Wx, Wh, b)
        states.append(h)
    return torch.stack(states, dim=1)


def rnn_forward(x, h0, Wx, Wh, b):
    """Every hidden state: x (N, T, D), h0 (N, H) -> h (N, T, H)."""
    return record(_unroll, x, h0, Wx, Wh, b)


def rnn_backward(dh, cache):
    """dh (N, T, H), the upstream gradient of every state -> (dx, dh0, dWx, dWh, db)."""
    return gradients(dh, cache)


def softmax(z):
    """Softmax along the last axis; torch.softmax subtracts the max, so 1000 is fine."""
    return torch.softmax(z, dim=-1)
