"""Regularisation: a penalty on large weights, added to the loss, fights overfitting.

L1 pushes weights to exactly zero (sparse models); L2 ("weight decay") shrinks them
all smoothly; elastic net mixes the two. Each function returns the penalty's value
and its gradient with respect to w, to add to the loss's gradient.
"""
import numpy as np


def l1_penalty(w, alpha):
    """The L1 (lasso) penalty:

        P(w) = α Σ |wᵢ|

    w: array of any shape.  alpha: float.
    Returns: (value, dw), value a float, dw shaped like w.
    |w| has a kink at 0: there, either one-sided derivative is accepted.
    """
    raise NotImplementedError


def l2_penalty(w, alpha):
    """The L2 (ridge, weight-decay) penalty:

        P(w) = (α / 2) Σ wᵢ²           the ½ makes the gradient tidy

    Returns: (value, dw).
    """
    raise NotImplementedError


def elastic_net_penalty(w, alpha, r):
    """Elastic net, a blend of L1 and L2 with mixing ratio r ∈ [0, 1]:

        P(w) = r · α Σ |wᵢ| + (1 − r) · (α / 2) Σ wᵢ²

    r = 1 is pure L1, r = 0 pure L2.  Returns: (value, dw).
    """
    raise NotImplementedError
