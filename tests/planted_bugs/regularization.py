"""Planted bugs in regularization.py."""
from . import KNOWN, SCALAR_MISMATCH, bug

# elastic_net_penalty is built on the other two, as learners are told to.
USED_BY_ELASTIC = ("regularization.elastic_net_penalty",)

BUGS = [
    bug("regularization.l1_penalty", "the L2 gradient alpha * w", SCALAR_MISMATCH, """
        def l1_penalty(w, alpha):
            return alpha * np.sum(np.abs(w)), alpha * w
        """, also=USED_BY_ELASTIC),
    bug("regularization.l1_penalty", "gradient without alpha", "factor", """
        def l1_penalty(w, alpha):
            return alpha * np.sum(np.abs(w)), np.sign(w)
        """, message=("10 times",), also=USED_BY_ELASTIC),
    bug("regularization.l1_penalty", "sum of w, not of |w|", SCALAR_MISMATCH, """
        def l1_penalty(w, alpha):
            return alpha * np.sum(w), alpha * np.sign(w)
        """, also=USED_BY_ELASTIC),
    bug("regularization.l2_penalty", "forgets the 1/2 in the value", KNOWN, """
        def l2_penalty(w, alpha):
            return alpha * np.sum(w ** 2), alpha * w
        """, message=("twice the expected", "extra factor 2", "left out the ½"), also=USED_BY_ELASTIC),
    bug("regularization.l2_penalty", "gradient 2 alpha w", "factor", """
        def l2_penalty(w, alpha):
            return alpha / 2 * np.sum(w ** 2), 2 * alpha * w
        """, message=("twice the expected", "extra factor 2"), also=USED_BY_ELASTIC),
    bug("regularization.elastic_net_penalty", "r and 1 - r swapped", (SCALAR_MISMATCH, KNOWN), """
        def elastic_net_penalty(w, alpha, r):
            return ((1 - r) * alpha * np.sum(np.abs(w)) + r * alpha / 2 * np.sum(w ** 2),
                    (1 - r) * alpha * np.sign(w) + r * alpha * w)
        """),
    bug("regularization.elastic_net_penalty", "L2 part without the 1/2", SCALAR_MISMATCH, """
        def elastic_net_penalty(w, alpha, r):
            return (r * alpha * np.sum(np.abs(w)) + (1 - r) * alpha * np.sum(w ** 2),
                    r * alpha * np.sign(w) + (1 - r) * 2 * alpha * w)
        """),
    bug("regularization.elastic_net_penalty", "alpha only on the L1 part", (SCALAR_MISMATCH, KNOWN), """
        def elastic_net_penalty(w, alpha, r):
            return (r * alpha * np.sum(np.abs(w)) + (1 - r) / 2 * np.sum(w ** 2),
                    r * alpha * np.sign(w) + (1 - r) * w)
        """),
]
