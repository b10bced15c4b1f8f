"""Weight penalties: each returns (value, gradient with respect to w)."""
import numpy as np


def l1_penalty(w, alpha):
    return alpha * np.sum(np.abs(w)), alpha * np.sign(w)


def l2_penalty(w, alpha):
    return alpha / 2 * np.sum(w ** 2), alpha * w


def elastic_net_penalty(w, alpha, r):
    l1, dl1 = l1_penalty(w, alpha)
    l2, dl2 = l2_penalty(w, alpha)
    return r * l1 + (1 - r) * l2, r * dl1 + (1 - r) * dl2
