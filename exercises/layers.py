"""Building blocks of a network: dense layers, losses, dropout, batch normalisation.

A layer is a pair: `NAME_forward(...) -> (out, cache)` and
`NAME_backward(dout, cache) -> gradients`, in the order of the forward's array
arguments, each shaped like its argument. A loss returns (loss, gradient) at once.
Row vectors, batch first: x is (N, D).
"""
import numpy as np


def affine_forward(x, w, b):
    """A fully connected (affine) layer:

        out = x w + b

    x: (N, D).  w: (D, M).  b: (M,), added to every row.
    Returns: (out, cache) with out (N, M); keep x, w and b.
    """
    raise NotImplementedError


def affine_backward(dout, cache):
    """Gradients of the affine layer, given dout = ∂L/∂out of shape (N, M).

    Every gradient has the shape of its array, and each is a product of dout with
    one of the cached arrays (or a sum): let the shapes tell you which and in what
    order. The bias was broadcast over N rows.
    Returns: (dx, dw, db) shaped (N, D), (D, M), (M,).
    """
    raise NotImplementedError


def mse_loss(pred, y):
    """Mean squared error and its gradient:

        L = (1/n) Σ (predᵢ − yᵢ)²       the mean over all n elements

    pred, y: arrays of the same shape.
    Returns: (loss, dpred) with loss a float and dpred = ∂L/∂pred shaped like pred.
    Do not forget the 1/n in the gradient.
    """
    raise NotImplementedError


def softmax_cross_entropy(scores, y):
    """Softmax followed by the cross-entropy loss, averaged over the batch:

        pᵢ = softmax(scoresᵢ)
        L  = −(1/N) Σᵢ log pᵢ[yᵢ]

    scores: (N, C) class scores.  y: (N,) integer labels in 0 … C−1.
    Returns: (loss, dscores) with loss a float and dscores (N, C).
    Must stay finite for scores as large as 1000: compute log pᵢ with the max
    subtracted (log-softmax) rather than taking the log of a probability that
    underflowed to 0.
    """
    raise NotImplementedError


def dropout_forward(x, p, train, rng):
    """Inverted dropout.

    While training, drop each unit independently with probability p (set it to 0)
    and scale the kept units by 1 / (1 − p), so the expected output equals x:

        out = x ⊙ m / (1 − p),   mᵢ = 1 with probability 1 − p, else 0

    When `train` is False, return x unchanged: with inverted dropout there is
    nothing to undo at test time.
    x: any shape.  p: float in [0, 1).  train: bool.
    rng: numpy.random.Generator; draw the mask from it.
    Returns: (out, cache); keep the mask (and p): the backward must reuse it.
    """
    raise NotImplementedError


def dropout_backward(dout, cache):
    """dx for dropout: the gradient flows only through the kept units, with the
    same scaling as the forward; in test mode, it flows through unchanged.
    """
    raise NotImplementedError


def batchnorm_forward(x, gamma, beta, eps=1e-5):
    """Batch normalisation in training mode, feature by feature over the batch:

        μ  = (1/N) Σᵢ xᵢ                  mean over axis 0, (D,)
        σ² = (1/N) Σᵢ (xᵢ − μ)²           the biased variance, (D,)
        x̂  = (x − μ) / √(σ² + ε)
        out = γ ⊙ x̂ + β

    x: (N, D).  gamma, beta: (D,).  eps: a small float.
    Returns: (out, cache); keep what the backward needs (x̂, γ, σ² + ε, …).
    """
    raise NotImplementedError


def batchnorm_backward(dout, cache):
    """Gradients of batch normalisation, given dout of shape (N, D).

    dγ and dβ are easy. For dx remember that μ and σ² depend on every xᵢ of the
    batch: draw the graph (x → μ → σ² → x̂ → out) and add up every path.
    Returns: (dx, dgamma, dbeta) shaped (N, D), (D,), (D,).
    """
    raise NotImplementedError


def triplet_loss(anchor, positive, negative, margin=0.2):
    """The triplet loss: pull an anchor towards a positive (same kind), push it away
    from a negative (another kind), until the negative is farther by a margin:

        dᵢ = ‖aᵢ − pᵢ‖² − ‖aᵢ − nᵢ‖² + margin      squared Euclidean distances
        L  = (1/N) Σᵢ max(0, dᵢ)

    A triplet whose negative is already farther than the positive by the margin
    costs nothing and gets no gradient: that is what the max(0, ·) is for.
    anchor, positive, negative: (N, D).  margin: float.
    Returns: (loss, d_anchor, d_positive, d_negative), the gradients shaped (N, D).
    """
    raise NotImplementedError
