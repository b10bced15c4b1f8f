"""Reference: a two-layer classifier, trained with autograd and mini-batch SGD."""
import numpy as np
import torch
import torch.nn.functional as F


def _scores(X, W1, b1, W2, b2):
    return torch.relu(X @ W1 + b1) @ W2 + b2


def predict(X, W1, b1, W2, b2):
    """argmax over classes of relu(X @ W1 + b1) @ W2 + b2 -> (N,) int64."""
    return _scores(X, W1, b1, W2, b2).argmax(dim=1)


def _xavier(n_in, n_out, rng, like):
    # The same draws as the exercise: NumPy's normal from the learner's rng.
    return torch.as_tensor(rng.normal(0.0, np.sqrt(2 / (n_in + n_out)), size=(n_in, n_out)),
                           dtype=like.dtype, device=like.device)


def train_classifier(X, y, hidden_size, num_classes, epochs, lr, batch_size, rng):
    """(W1, b1, W2, b2) after `epochs` of SGD on softmax cross-entropy; rng a numpy.random.Generator."""
    if isinstance(rng, torch.Generator):
        rng = np.random.default_rng(rng.initial_seed())
    params = [_xavier(X.shape[1], hidden_size, rng, X), torch.zeros(hidden_size, dtype=X.dtype, device=X.device),
              _xavier(hidden_size, num_classes, rng, X), torch.zeros(num_classes, dtype=X.dtype, device=X.device)]
    params = [p.requires_grad_(True) for p in params]
    for _ in range(epochs):
        order = torch.as_tensor(rng.permutation(len(X)), device=X.device)
        for batch in torch.split(order, batch_size):
            with torch.enable_grad():
                loss = F.cross_entropy(_scores(X[batch], *params), y[batch])
                grads = torch.autograd.grad(loss, params)
            with torch.no_grad():
                for p, g in zip(params, grads):
                    p -= lr * g
    return tuple(p.detach() for p in params)
