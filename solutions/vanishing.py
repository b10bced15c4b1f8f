"""How the gradient fades with depth: per-layer gradient norms of a plain deep net."""
import numpy as np

_ACTIVATIONS = {
    # name: (function, derivative written with the function's output h)
    "sigmoid": (lambda z: 1 / (1 + np.exp(-z)), lambda h: h * (1 - h)),
    "tanh": (np.tanh, lambda h: 1 - h ** 2),
    "relu": (lambda z: np.maximum(z, 0), lambda h: (h > 0).astype(np.float64)),
}


def layer_gradient_norms(x, weights, activation):
    act, act_grad = _ACTIVATIONS[activation]
    hs = [x]
    for W in weights:
        hs.append(act(hs[-1] @ W))
    dh = np.ones_like(hs[-1])          # d(sum of h_L) / d h_L
    norms = []
    for l in reversed(range(len(weights))):
        dz = dh * act_grad(hs[l + 1])
        norms.append(np.linalg.norm(hs[l].T @ dz))
        dh = dz @ weights[l].T
    return np.array(norms[::-1])
