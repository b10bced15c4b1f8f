"""The perceptron and the sigmoid neuron."""
import numpy as np


def step(z):
    # Strictly greater than 0: the lectures differ (z > 0 vs z >= 0); the contract picks z > 0.
    return (np.asarray(z) > 0).astype(np.float64)


def perceptron_predict(X, w, b):
    return step(X @ w + b)


def perceptron_train(X, y, lr=1.0, epochs=10):
    w, b = np.zeros(X.shape[1]), 0.0
    for _ in range(epochs):
        for xi, yi in zip(X, y):
            error = yi - step(xi @ w + b)
            w = w + lr * error * xi
            b = b + lr * error
    return w, float(b)


def _sigmoid(z):
    # exp of a non-positive number only, so |z| = 1000 neither overflows nor warns.
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1 / (1 + e), e / (1 + e))


def sigmoid_neuron(X, w, b):
    return _sigmoid(X @ w + b)
