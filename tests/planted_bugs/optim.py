"""Planted bugs in optim.py."""
from . import bug

BUGS = [
    bug("optim.sgd_step", "steps uphill: w + lr * dw", ("mismatch", "known_mistake"), """
        def sgd_step(w, dw, lr):
            return w + lr * dw
        """),
    bug("optim.sgd_step", "updates w in place", "modified_input", """
        def sgd_step(w, dw, lr):
            w -= lr * dw
            return w
        """, message=("input array w",)),
    bug("optim.sgd_step", "forgets the learning rate", "mismatch", """
        def sgd_step(w, dw, lr):
            return w - dw
        """),
    bug("optim.sgd_step", "still the exercise stub", "not_implemented", """
        def sgd_step(w, dw, lr):
            raise NotImplementedError("sgd_step")
        """),
    bug("optim.momentum_step", "returns only the new weights", "not_array", """
        def momentum_step(w, dw, v, lr, mu):
            v_new = mu * v - lr * dw
            return w + v_new
        """),
    bug("optim.momentum_step", "velocity pushes uphill: mu v + lr dw", "mismatch", """
        def momentum_step(w, dw, v, lr, mu):
            v_new = mu * v + lr * dw
            return w + v_new, v_new
        """),
    bug("optim.momentum_step", "moves w by the old velocity", "mismatch", """
        def momentum_step(w, dw, v, lr, mu):
            v_new = mu * v - lr * dw
            return w + v, v_new
        """),
    bug("optim.momentum_step", "updates the velocity in place", "modified_input", """
        def momentum_step(w, dw, v, lr, mu):
            v *= mu
            v -= lr * dw
            return w + v, v
        """, message=("input array v",)),
]
