"""The vanishing gradient: why deep sigmoid networks learn slowly at the bottom.

Backpropagation multiplies one local derivative per layer. σ' is at most 1/4, so
through many sigmoid layers the gradient reaching the first layers shrinks
geometrically; ReLU's slope of 1 lets it through. Measure it.
"""
import numpy as np


def layer_gradient_norms(x, weights, activation):
    """The size of the gradient at every layer of a deep net without biases.

        h₀ = x,   hₗ = act(hₗ₋₁ Wₗ)  for l = 1 … L,   loss = Σ h_L  (sum of all entries)

    Return ‖∂loss/∂Wₗ‖_F (the Frobenius norm: √ of the sum of squares) for each layer,
    first layer first.

    x: (N, D₀).  weights: a list of L arrays, weights[l] of shape (D_l, D_{l+1}).
    activation: "sigmoid", "tanh" or "relu".
    Returns: (L,) float64 array.
    Run a forward pass keeping every hₗ, then one backward pass from ∂loss/∂h_L = 1.
    """
    raise NotImplementedError
