"""The perceptron and the sigmoid neuron.

Rosenblatt's perceptron (1958) is the first learning machine of the course: a
weighted sum of the inputs, a bias, and a hard threshold. It learns by nudging its
weights towards every example it gets wrong. Swap the threshold for the smooth
sigmoid and you get the neuron that gradient descent can train.

Conventions: NumPy float64 arrays, one sample per row, never modify the inputs.
"""
import numpy as np


def step(z):
    """The threshold (Heaviside step) activation.

        step(z) = 1  if z > 0
                  0  otherwise        (so step(0) = 0: the threshold is strict)

    z: an array of any shape.  Returns: a float array of the same shape, 1.0 or 0.0.
    Some slides write z ≥ 0; this course uses z > 0.
    """
    raise NotImplementedError


def perceptron_predict(X, w, b):
    """The perceptron's predictions, one per sample.

        ŷᵢ = step(xᵢ · w + b)

    X: (N, D) one sample per row.  w: (D,).  b: a float.
    Returns: (N,) of 1.0 and 0.0.
    """
    raise NotImplementedError


def perceptron_train(X, y, lr=1.0, epochs=10):
    """Train a perceptron with Rosenblatt's rule and return (w, b).

    Start from w = 0 (D zeros) and b = 0.0. Then, `epochs` times, visit the samples
    in order i = 0, 1, …, N-1 and for each:

        eᵢ = yᵢ − step(xᵢ · w + b)      the error: -1, 0 or +1
        w ← w + lr · eᵢ · xᵢ
        b ← b + lr · eᵢ

    A correctly classified sample (e = 0) changes nothing. Follow the order exactly:
    the grader compares the weights exactly.

    X: (N, D).  y: (N,) of 0 and 1.  Returns: w (D,) and b (a float).
    """
    raise NotImplementedError


def sigmoid_neuron(X, w, b):
    """A neuron with the sigmoid activation, σ(z) = 1 / (1 + e⁻ᶻ).

        ŷᵢ = σ(xᵢ · w + b)         a soft, differentiable version of the perceptron

    X: (N, D).  w: (D,).  b: a float.  Returns: (N,), each in (0, 1).
    """
    raise NotImplementedError
