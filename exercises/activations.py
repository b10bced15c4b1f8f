"""Activation functions and their derivatives.

Without a non-linearity between them, any stack of layers collapses into a single
linear map. Each activation below is applied elementwise; its backward multiplies
the upstream gradient by the activation's local derivative:

    ∂L/∂x = ∂L/∂out ⊙ f'(x)          (⊙: elementwise product)

Each `*_forward(x)` returns (out, cache); each `*_backward(dout, cache)` returns dx
with x's shape. At a kink (x exactly 0) either one-sided derivative is accepted.
"""
import numpy as np


def sigmoid_forward(x):
    """The logistic sigmoid, squashing any number into (0, 1):

        σ(x) = 1 / (1 + e⁻ˣ)

    x: array of any shape. Returns (out, cache) with out shaped like x.
    Must stay finite and raise no overflow warning at |x| = 1000: e⁻ˣ for x = -1000
    overflows float64. The same number can be written without a huge exponential.
    Keep in the cache what makes the backward cheapest (hint: σ' uses σ itself).
    """
    raise NotImplementedError


def sigmoid_backward(dout, cache):
    """dx for the sigmoid, using σ'(x) = σ(x) (1 − σ(x)).

    Note σ' is at most 1/4: stacked sigmoids shrink the gradient, the vanishing gradient.
    """
    raise NotImplementedError


def tanh_forward(x):
    """The hyperbolic tangent, a zero-centred sigmoid with range (-1, 1):

        tanh(x) = (eˣ − e⁻ˣ) / (eˣ + e⁻ˣ) = 2σ(2x) − 1

    x: any shape. Returns (out, cache); like σ', tanh' can be written with the
    output alone, so the output is all the cache needs.
    """
    raise NotImplementedError


def tanh_backward(dout, cache):
    """dx for tanh, using tanh'(x) = 1 − tanh²(x)."""
    raise NotImplementedError


def relu_forward(x):
    """The rectified linear unit:

        relu(x) = max(0, x)

    Cheap, and it does not saturate for x > 0. x: any shape.
    Returns (out, cache); the backward needs to know where x was positive.
    """
    raise NotImplementedError


def relu_backward(dout, cache):
    """dx for ReLU: its slope is 1 where x > 0 and 0 where x < 0.

    A unit whose input stays negative passes no gradient at all: a "dead ReLU".
    """
    raise NotImplementedError


def leaky_relu_forward(x, alpha=0.01):
    """Leaky ReLU: a small slope alpha instead of a flat zero for negative inputs.

        f(x) = x       for x > 0
               α · x   otherwise

    x: any shape; alpha: a float.
    Returns (out, cache); keep x, and alpha: the backward needs both.
    """
    raise NotImplementedError


def leaky_relu_backward(dout, cache):
    """dx for leaky ReLU: slope 1 for x > 0 and α for x < 0."""
    raise NotImplementedError


def elu_forward(x, alpha=1.0):
    """The exponential linear unit: smooth below zero, saturating at -α.

        f(x) = x               for x ≥ 0
               α · (eˣ − 1)    for x < 0

    x: any shape; alpha: a float. Returns (out, cache); keep x and alpha.
    Careful with large positive x: eˣ overflows even where you do not keep it.
    """
    raise NotImplementedError


def elu_backward(dout, cache):
    """dx for ELU: slope 1 for x > 0 and α · eˣ (that is, f(x) + α) for x < 0."""
    raise NotImplementedError
