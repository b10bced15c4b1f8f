"""A network of your own: train a classifier of handwritten digits.

Everything you need is already in your workspace: affine layers, ReLU, softmax
cross-entropy, Xavier initialisation, mini-batches and the SGD step. Here they come
together. Your network sees 8×8 images of the digits 0–9 (64 pixels, scaled to
[0, 1]) and learns to name them; it is graded on digits it never saw while training.

You may import your own modules, e.g.

    from layers import affine_forward, affine_backward, softmax_cross_entropy
    from activations import relu_forward, relu_backward
    from initialization import xavier_normal
    from optim import minibatches, sgd_step

To watch your network learn in the tutor, call `report(epoch=..., loss=..., accuracy=...)`
once per epoch (it is defined below and does nothing outside the tutor).
"""
import numpy as np

try:  # inside the tutor's sandbox, report() draws your curves live
    from tutor_progress import report
except ImportError:  # anywhere else it does nothing
    def report(**numbers):
        """Progress for the tutor to draw, e.g. report(epoch=3, loss=0.41, accuracy=0.88);
        plain numbers only. Outside the tutor this does nothing."""


def predict(X, W1, b1, W2, b2):
    """The predicted class of every sample of a two-layer network:

        scores = relu(X W1 + b1) W2 + b2      (N, C)
        class  = the index of the largest score of each row

    X: (N, D).  W1: (D, H).  b1: (H,).  W2: (H, C).  b2: (C,).
    Returns: (N,) integer array.
    """
    raise NotImplementedError


def train_classifier(X, y, hidden_size, num_classes, epochs, lr, batch_size, rng):
    """Train the network of `predict` with softmax cross-entropy and mini-batch SGD.

    1. W1 (D, hidden_size) and W2 (hidden_size, num_classes) Xavier-normal, drawn
       from rng (W1 first); b1 and b2 zeros.
    2. For each epoch, for each mini-batch of indices (a fresh shuffle from rng
       every epoch): forward (affine, ReLU, affine), softmax cross-entropy on the
       batch, backward, and one SGD step with learning rate lr on all four arrays.

    X: (N, D) float64 in [0, 1].  y: (N,) integer labels in 0 … num_classes − 1.
    hidden_size, num_classes, epochs, batch_size: ints.  lr: float.
    rng: numpy.random.Generator; draw every random number from it.
    Returns: (W1, b1, W2, b2). Graded by the accuracy of predict() on held-out
    digits: at least 90 %.
    """
    raise NotImplementedError
