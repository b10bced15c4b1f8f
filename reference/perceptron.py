"""Reference: the perceptron and the sigmoid neuron, in PyTorch."""
import torch


def step(z):
    """1.0 where z > 0, else 0.0 (z = 0 gives 0: the threshold is strict)."""
    z = torch.as_tensor(z)
    return (z > 0).to(z.dtype if z.is_floating_point() else torch.float64)


def perceptron_predict(X, w, b):
    """step(X @ w + b): X (N, D), w (D,), b a float -> (N,)."""
    return step(X @ w + b)


def perceptron_train(X, y, lr=1.0, epochs=10):
    """Rosenblatt's rule, sample by sample in order, from w = 0, b = 0.

    Returns (w, b) with w (D,) and b a 0-d tensor, both in X's dtype and device.
    """
    w = torch.zeros(X.shape[1], dtype=X.dtype, device=X.device)
    b = torch.zeros((), dtype=X.dtype, device=X.device)
    for _ in range(epochs):
        for i in range(X.shape[0]):
            e = y[i] - step(X[i] @ w + b)
            w = w + lr * e * X[i]
            b = b + lr * e
    return w, b


def sigmoid_neuron(X, w, b):
    """sigmoid(X @ w + b): X (N, D), w (D,), b a float -> (N,)."""
    return torch.sigmoid(X @ w + b)
