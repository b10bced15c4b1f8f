"""Planted bugs in backprop.py."""
from . import WRONG_BACKWARD, bug

XYZ_FORWARD = """
def xyz_forward(x, y, z):
    return (x + y) * z, (x, y, z)
"""

TWO_LAYER_FORWARD = """
def two_layer_forward(X, W1, w2):
    h = 1 / (1 + np.exp(-(X @ W1)))
    out = 1 / (1 + np.exp(-(h @ w2)))
    return out, (X, W1, w2, h, out)
"""

BUGS = [
    bug("backprop.xyz_forward", "operator precedence: x + y * z", "mismatch", """
        def xyz_forward(x, y, z):
            return x + y * z, (x, y, z)
        """, also=("backprop.xyz_backward",)),
    bug("backprop.xyz_forward", "adds y into x in place", "modified_input", """
        def xyz_forward(x, y, z):
            x += y
            return x * z, (x, z)
        """, message=("input array x",), also=("backprop.xyz_backward",)),
    bug("backprop.xyz_backward", "forgets to multiply by df", (WRONG_BACKWARD, "known_mistake"), XYZ_FORWARD + """
        def xyz_backward(df, cache):
            x, y, z = cache
            return z, z, x + y
        """),
    bug("backprop.xyz_backward", "dz = z instead of x + y", WRONG_BACKWARD, XYZ_FORWARD + """
        def xyz_backward(df, cache):
            x, y, z = cache
            return df * z, df * z, df * z
        """),
    bug("backprop.xyz_backward", "every gradient negated", "sign", XYZ_FORWARD + """
        def xyz_backward(df, cache):
            x, y, z = cache
            return -df * z, -df * z, -df * (x + y)
        """, message=("negative of the expected",)),
    bug("backprop.two_layer_forward", "no sigmoid on the hidden layer", "mismatch", """
        def two_layer_forward(X, W1, w2):
            h = X @ W1
            out = 1 / (1 + np.exp(-(h @ w2)))
            return out, (X, W1, w2, h, out)
        """, also=("backprop.two_layer_backward",)),
    bug("backprop.two_layer_forward", "no sigmoid on the output", "mismatch", """
        def two_layer_forward(X, W1, w2):
            h = 1 / (1 + np.exp(-(X @ W1)))
            out = h @ w2
            return out, (X, W1, w2, h, out)
        """, also=("backprop.two_layer_backward",)),
    bug("backprop.two_layer_backward", "forgets the output sigmoid's derivative", WRONG_BACKWARD, TWO_LAYER_FORWARD + """
        def two_layer_backward(dout, cache):
            X, W1, w2, h, out = cache
            dz2 = dout
            dz1 = np.outer(dz2, w2) * h * (1 - h)
            return dz1 @ W1.T, X.T @ dz1, h.T @ dz2
        """),
    bug("backprop.two_layer_backward", "dW1 computed as dz1.T @ X: transposed", "transposed", TWO_LAYER_FORWARD + """
        def two_layer_backward(dout, cache):
            X, W1, w2, h, out = cache
            dz2 = dout * out * (1 - out)
            dz1 = np.outer(dz2, w2) * h * (1 - h)
            return dz1 @ W1.T, dz1.T @ X, h.T @ dz2
        """, message=("transpose",)),
    bug("backprop.two_layer_backward", "sigmoid derivative from the pre-activation", (WRONG_BACKWARD, "known_mistake"), TWO_LAYER_FORWARD + """
        def two_layer_backward(dout, cache):
            X, W1, w2, h, out = cache
            z2 = h @ w2
            dz2 = dout * z2 * (1 - z2)
            dz1 = np.outer(dz2, w2) * h * (1 - h)
            return dz1 @ W1.T, X.T @ dz1, h.T @ dz2
        """),
]
