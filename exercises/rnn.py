"""The vanilla recurrent neural network.

An RNN reads a sequence one step at a time, carrying a hidden state h that
summarises what it has seen so far. The same weights serve every step:

    hₜ = tanh(xₜ Wx + hₜ₋₁ Wh + b)

Backpropagation through time unrolls the loop into one long graph: the gradient of
hₜ reaches Wx, Wh and b at every step, and flows on to hₜ₋₁.
Row-vector convention: x (N, D), h (N, H), Wx (D, H), Wh (H, H), b (H,).
"""
import numpy as np


def rnn_step_forward(x, h_prev, Wx, Wh, b):
    """One time step:

        h_next = tanh(x Wx + h_prev Wh + b)

    x: (N, D).  h_prev: (N, H).  Wx: (D, H).  Wh: (H, H).  b: (H,).
    Returns: (h_next, cache) with h_next (N, H); keep the inputs and h_next.
    The lecture's example: with the one-hot x₁ = (1, 0, 0, 0) and h₀ = 0, the
    pre-activation is (0.6, 0.2, 0.9) and h₁ ≈ (0.54, 0.20, 0.72).
    """
    raise NotImplementedError


def rnn_step_backward(dh_next, cache):
    """Backward through one step, given dh_next = ∂L/∂h_next of shape (N, H).

    First through tanh (tanh' = 1 − tanh²), then through the sum of two products
    and the bias.
    Returns: (dx, dh_prev, dWx, dWh, db), shaped like x, h_prev, Wx, Wh, b.
    """
    raise NotImplementedError


def rnn_forward(x, h0, Wx, Wh, b):
    """Run the RNN over a whole sequence.

    x: (N, T, D), a batch of N sequences of T steps.  h0: (N, H), the initial state.
    Returns: (h, cache) with h (N, T, H) holding every hidden state h₁ … h_T
    (not h0). Build it from rnn_step_forward and keep every step's cache.
    """
    raise NotImplementedError


def rnn_backward(dh, cache):
    """Backpropagation through time.

    dh: (N, T, H), the upstream gradient of every hidden state (from the loss at
    each step). Walk from t = T down to 1: the gradient reaching hₜ is dh[:, t]
    plus what flows back from step t + 1. The weights are shared, so their
    gradients add up over the steps.
    Returns: (dx, dh0, dWx, dWh, db), shaped (N, T, D), (N, H), (D, H), (H, H), (H,).
    """
    raise NotImplementedError


def softmax(z):
    """Turn scores into probabilities along the last axis:

        softmax(z)ᵢ = e^{zᵢ} / Σⱼ e^{zⱼ}

    z: any shape; returns the same shape, each row summing to 1.
    Must stay finite for scores as large as 1000 (e¹⁰⁰⁰ overflows): softmax does
    not change if you subtract the same constant from every score of a row.
    """
    raise NotImplementedError
