"""Backpropagation: the chain rule, applied node by node on a computational graph.

Every computation is a graph of small operations. The forward pass computes the
output and remembers what each node needs; the backward pass starts from the
upstream gradient ∂L/∂out and multiplies by each node's local derivative, walking
the graph backwards:

    ∂L/∂input = ∂L/∂output · ∂output/∂input

Each layer here is a pair: `*_forward(...) -> (out, cache)` keeps in `cache`
whatever the backward will need; `*_backward(dout, cache)` returns the gradients in
the order of the forward's array arguments.
"""
import numpy as np


def xyz_forward(x, y, z):
    """The lecture's graph: f = (x + y) · z.

    Think of it as two nodes: q = x + y, then f = q · z.
    x, y, z: Python floats or arrays of one shape (elementwise).
    Returns: (f, cache); the cache keeps what the backward needs: the inputs, and q.
    Check: x = -2, y = 5, z = -4 gives f = -12.
    """
    raise NotImplementedError


def xyz_backward(df, cache):
    """Gradients of f = (x + y) · z, given the upstream gradient df = ∂L/∂f.

    Walk backwards: through the product node first (each factor's local derivative
    is the other factor), then through the sum node (which passes its gradient on
    unchanged to both inputs).

    Returns: (dx, dy, dz), each shaped like its input.
    Check: x = -2, y = 5, z = -4, df = 1 gives (-4, -4, 3).
    """
    raise NotImplementedError


def two_layer_forward(X, W1, w2):
    """A two-layer network with sigmoid units and no biases.

        h   = σ(X W1)          hidden activations, (N, H)
        out = σ(h w2)          one output per sample, (N,)

    with σ(z) = 1 / (1 + e⁻ᶻ).
    X: (N, D).  W1: (D, H).  w2: (H,).
    Returns: (out, cache); keep X, W1, w2, h and out: σ's derivative can be written
    with σ's own output, σ'(z) = σ(z)(1 − σ(z)).
    """
    raise NotImplementedError


def two_layer_backward(dout, cache):
    """Backpropagate dout = ∂L/∂out, shape (N,), through the two-layer network.

    Go backwards one node at a time: output sigmoid, the product with w2, hidden
    sigmoid, the product with W1. Check every intermediate's shape against the
    array it is the gradient of.

    Returns: (dX, dW1, dw2), shaped (N, D), (D, H), (H,).
    """
    raise NotImplementedError
