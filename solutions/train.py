"""A two-layer classifier trained with mini-batch SGD (self-contained: in a workspace the
same steps can come from your own layers, activations, initialization and optim modules)."""
import numpy as np


def predict(X, W1, b1, W2, b2):
    scores = np.maximum(X @ W1 + b1, 0) @ W2 + b2
    return scores.argmax(axis=1)


def _xavier(n_in, n_out, rng):
    return rng.normal(0.0, np.sqrt(2 / (n_in + n_out)), size=(n_in, n_out))


def _loss_and_gradients(X, y, W1, b1, W2, b2):
    a = X @ W1 + b1
    h = np.maximum(a, 0)
    scores = h @ W2 + b2
    shifted = scores - scores.max(axis=1, keepdims=True)
    p = np.exp(shifted)
    p /= p.sum(axis=1, keepdims=True)
    N = len(y)
    loss = -np.log(p[np.arange(N), y]).mean()
    dscores = p
    dscores[np.arange(N), y] -= 1
    dscores /= N
    da = (dscores @ W2.T) * (a > 0)
    return loss, (X.T @ da, da.sum(axis=0), h.T @ dscores, dscores.sum(axis=0))


def train_classifier(X, y, hidden_size, num_classes, epochs, lr, batch_size, rng):
    params = [_xavier(X.shape[1], hidden_size, rng), np.zeros(hidden_size),
              _xavier(hidden_size, num_classes, rng), np.zeros(num_classes)]
    for epoch in range(epochs):
        order = rng.permutation(len(X))          # a fresh order every epoch
        for start in range(0, len(X), batch_size):
            batch = order[start:start + batch_size]
            _, grads = _loss_and_gradients(X[batch], y[batch], *params)
            params = [p - lr * g for p, g in zip(params, grads)]
    return tuple(params)
