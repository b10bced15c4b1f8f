"""Residual connections: how very deep networks keep learning.

Stack plain layers and the gradient reaching the first ones shrinks (or blows up)
layer after layer. A residual block adds its input back to what it computes,

    out = x + F(x),

so even when F's derivative is tiny the identity path carries the gradient through
unchanged: ∂out/∂x = I + ∂F/∂x. This is the idea behind ResNet.
"""
import numpy as np


def residual_forward(x, w1, b1, w2, b2):
    """A residual block of two dense layers with a ReLU between them:

        a   = x w1 + b1           (N, H)
        h   = relu(a)             (N, H)
        out = x + h w2 + b2       (N, D)   the input comes back on the skip path

    x: (N, D).  w1: (D, H).  b1: (H,).  w2: (H, D).  b2: (D,).
    Returns: (out, cache); keep x, w1, w2, a (or the ReLU's mask) and h.
    """
    raise NotImplementedError


def residual_backward(dout, cache):
    """Gradients of the residual block, given dout = ∂L/∂out of shape (N, D).

    Walk back through the branch like two affine layers and a ReLU, then remember
    the skip path: x reached out directly too, so dx gets dout added to whatever
    comes back through the branch.
    Returns: (dx, dw1, db1, dw2, db2) shaped like x, w1, b1, w2, b2.
    """
    raise NotImplementedError


def residual_gradient_norms(x, weights, activation):
    """The size of the gradient at every layer of a deep *residual* net without biases.

        h₀ = x,   hₗ = hₗ₋₁ + act(hₗ₋₁ Wₗ)  for l = 1 … L,   loss = Σ h_L

    As vanishing.layer_gradient_norms, but each layer adds its input back, so every
    weight is square, (D, D). Return ‖∂loss/∂Wₗ‖_F for each layer, first layer first.

    x: (N, D).  weights: a list of L arrays of shape (D, D).
    activation: "sigmoid", "tanh" or "relu".
    Returns: (L,) float64 array.
    Backward, at layer l with upstream dh: dz = dh ⊙ act'(zₗ), dWₗ = hₗ₋₁ᵀ dz, and the
    gradient passed on to hₗ₋₁ is dh + dz Wₗᵀ (the identity path adds dh).
    """
    raise NotImplementedError
