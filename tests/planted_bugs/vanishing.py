"""Planted bugs in vanishing.py."""
import textwrap

from . import bug

HEAD = """
def layer_gradient_norms(x, weights, activation):
    act = {"sigmoid": lambda z: 1 / (1 + np.exp(-z)), "tanh": np.tanh, "relu": lambda z: np.maximum(z, 0)}[activation]
    grad = {"sigmoid": lambda h: h * (1 - h), "tanh": lambda h: 1 - h ** 2,
            "relu": lambda h: (h > 0).astype(float)}[activation]
    hs = [x]
    for W in weights:
        hs.append(act(hs[-1] @ W))
    dh = np.ones_like(hs[-1])
    norms = []
    for l in reversed(range(len(weights))):
"""


def norms(loop_body: str, result: str = "np.array(norms[::-1])") -> str:
    """The function above with `loop_body` inside the backward loop and `return result`."""
    return HEAD + textwrap.indent(textwrap.dedent(loop_body).strip(), " " * 8) + f"\n    return {result}\n"


BUGS = [
    bug("vanishing.layer_gradient_norms", "forgets the activation's derivative", "mismatch", norms("""
        dz = dh
        norms.append(np.linalg.norm(hs[l].T @ dz))
        dh = dz @ weights[l].T
        """)),
    bug("vanishing.layer_gradient_norms", "last layer first", ("mismatch", "known_mistake"), norms("""
        dz = dh * grad(hs[l + 1])
        norms.append(np.linalg.norm(hs[l].T @ dz))
        dh = dz @ weights[l].T
        """, result="np.array(norms)")),
    bug("vanishing.layer_gradient_norms", "norm of the gradient of h, not of W", ("mismatch", "factor"), norms("""
        dz = dh * grad(hs[l + 1])
        dh = dz @ weights[l].T
        norms.append(np.linalg.norm(dh))
        """)),
    bug("vanishing.layer_gradient_norms", "the sigmoid's derivative for every activation", "mismatch", norms("""
        dz = dh * hs[l + 1] * (1 - hs[l + 1])
        norms.append(np.linalg.norm(hs[l].T @ dz))
        dh = dz @ weights[l].T
        """)),
]
