"""Update rules."""


def sgd_step(w, dw, lr):
    return w - lr * dw


def momentum_step(w, dw, v, lr, mu):
    # v is a velocity: it remembers a decaying sum of past steps.
    v_new = mu * v - lr * dw
    return w + v_new, v_new
