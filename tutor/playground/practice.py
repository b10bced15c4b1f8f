"""The training-in-practice playground: schedules, mini-batch noise, shallow against deep.

``schedules`` evaluates the reference's step and exponential decay epoch by epoch.
``batch_noise`` trains one small classifier of the 8×8 digits (tutor/digits.py) with
several batch sizes for the same number of epochs, mini-batches from the reference's
``optim.minibatches``, and records the training loss after every epoch. ``shallow_vs_deep``
trains a shallow 4–8–1 and a deep 4–4–2–2–1 network (the ESA deck's 40 and 30 weights) on
the same data and reports their sizes and accuracies, whichever wins.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Schedules:
    epochs: tuple[int, ...]
    step: tuple[float, ...]           # lr0 · drop ** (epoch // every)
    exponential: tuple[float, ...]    # lr0 · exp(−k · epoch)


def schedules(lr0: float = 0.1, drop: float = 0.5, every: int = 10, k: float = 0.05,
              epochs: int = 50) -> Schedules:
    """Both schedules for epochs 0 … epochs − 1."""
    from tutor.reference import optim as ref

    if not (lr0 > 0 and 0 < drop <= 1 and every >= 1 and k >= 0 and 1 <= epochs <= 1000):
        raise ValueError("need lr0 > 0, 0 < drop ≤ 1, every ≥ 1, k ≥ 0 and 1 to 1000 epochs")
    xs = tuple(range(epochs))
    return Schedules(xs, tuple(float(ref.lr_step_decay(lr0, e, drop, every)) for e in xs),
                     tuple(float(ref.lr_exponential_decay(lr0, e, k)) for e in xs))


@dataclass(frozen=True)
class BatchNoise:
    batch_sizes: tuple[int, ...]
    losses: dict                      # batch size -> training loss after each epoch (epoch 0: the start)
    steps: dict                       # batch size -> SGD steps per epoch


def _digits_subset(n: int, seed: int):
    from tutor import digits

    X, y = digits.train_split()
    order = np.random.default_rng(seed).permutation(len(y))[:n]
    return X[order], y[order]


def batch_noise(batch_sizes=(1, 16, 300), epochs: int = 5, lr: float = 0.05, samples: int = 300,
                seed: int = 0) -> BatchNoise:
    """Softmax regression on `samples` digits, one run per batch size, the same start and rate."""
    import torch
    import torch.nn.functional as F

    from tutor.reference import optim as ref

    if not 1 <= epochs <= 50 or not batch_sizes or any(not 1 <= b <= samples for b in batch_sizes):
        raise ValueError(f"1 to 50 epochs and batch sizes between 1 and {samples}")
    X, y = _digits_subset(samples, seed)
    Xt, yt = torch.tensor(X), torch.tensor(y)
    losses, steps = {}, {}
    for size in batch_sizes:
        rng = np.random.default_rng(seed)
        W = torch.zeros(64, 10, dtype=torch.float64, requires_grad=True)
        with torch.no_grad():
            history = [float(F.cross_entropy(Xt @ W, yt))]
        for _ in range(epochs):
            for batch in ref.minibatches(samples, size, rng):
                loss = F.cross_entropy(Xt[batch] @ W, yt[batch])
                (grad,) = torch.autograd.grad(loss, W)
                with torch.no_grad():
                    W -= lr * grad
            with torch.no_grad():
                history.append(float(F.cross_entropy(Xt @ W, yt)))
        losses[size] = tuple(history)
        steps[size] = -(-samples // size)
    return BatchNoise(tuple(batch_sizes), losses, steps)


@dataclass(frozen=True)
class ShallowDeep:
    shallow_sizes: tuple[int, ...]
    deep_sizes: tuple[int, ...]
    shallow_weights: int              # weights only, as the slide counts
    deep_weights: int
    shallow_params: int               # with biases (dense_params)
    deep_params: int
    shallow_accuracy: float           # on held-out points
    deep_accuracy: float


def _task(n: int, rng):
    # Four inputs; the class is an XOR of two XORs, a function that composes.
    X = rng.uniform(-1, 1, (n, 4))
    y = ((X[:, 0] * X[:, 1] > 0) ^ (X[:, 2] * X[:, 3] > 0)).astype(np.float64)
    return X, y


def _train_net(sizes, X, y, steps, seed):
    import torch

    torch.manual_seed(seed)
    layers = [torch.nn.Linear(a, b, dtype=torch.float64) for a, b in zip(sizes, sizes[1:])]
    net = torch.nn.Sequential(*[m for layer in layers for m in (layer, torch.nn.Tanh())][:-1])
    optimiser = torch.optim.Adam(net.parameters(), lr=0.02)
    Xt, yt = torch.tensor(X), torch.tensor(y)
    for _ in range(steps):
        optimiser.zero_grad()
        loss = torch.nn.functional.binary_cross_entropy_with_logits(net(Xt).reshape(-1), yt)
        loss.backward()
        optimiser.step()
    return net


def shallow_vs_deep(steps: int = 600, seed: int = 0) -> ShallowDeep:
    """Train 4–8–1 and 4–4–2–2–1 (tanh, Adam) on 400 points; accuracy on 1000 others."""
    import torch

    if not 1 <= steps <= 5000:
        raise ValueError("steps between 1 and 5000")
    rng = np.random.default_rng(seed)
    X, y = _task(400, rng)
    Xh, yh = _task(1000, rng)
    shallow, deep = (4, 8, 1), (4, 4, 2, 2, 1)
    accuracies = []
    for sizes in (shallow, deep):
        net = _train_net(sizes, X, y, steps, seed)
        with torch.no_grad():
            predicted = (net(torch.tensor(Xh)).reshape(-1) > 0).numpy()
        accuracies.append(float((predicted == (yh > 0.5)).mean()))

    def weights(sizes):
        return sum(a * b for a, b in zip(sizes, sizes[1:]))

    def params(sizes):
        return sum(a * b + b for a, b in zip(sizes, sizes[1:]))

    return ShallowDeep(shallow, deep, weights(shallow), weights(deep), params(shallow), params(deep), *accuracies)


__all__ = ["BatchNoise", "Schedules", "ShallowDeep", "batch_noise", "schedules", "shallow_vs_deep"]
