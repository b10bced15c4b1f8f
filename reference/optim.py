"""Reference: parameter updates. Plain arithmetic: nothing here to differentiate."""


def sgd_step(w, dw, lr):
    """w - lr * dw."""
    return w - lr * dw


def momentum_step(w, dw, v, lr, mu):
    """v_new = mu * v - lr * dw, w_new = w + v_new -> (w_new, v_new)."""
    v_new = mu * v - lr * dw
    return w + v_new, v_new
