"""Planted bugs in activations.py."""
from . import KNOWN, WRONG_BACKWARD, bug

SIGMOID_FORWARD = """
def sigmoid_forward(x):
    e = np.exp(-np.abs(x))
    out = np.where(x >= 0, 1 / (1 + e), e / (1 + e))
    return out, (x, out)
"""

TANH_FORWARD = """
def tanh_forward(x):
    out = np.tanh(x)
    return out, (x, out)
"""

RELU_FORWARD = """
def relu_forward(x):
    return np.maximum(x, 0), x
"""

LEAKY_FORWARD = """
def leaky_relu_forward(x, alpha=0.01):
    return np.where(x > 0, x, alpha * x), (x, alpha)
"""

ELU_FORWARD = """
def elu_forward(x, alpha=1.0):
    out = np.where(x >= 0, x, alpha * np.expm1(np.minimum(x, 0)))
    return out, (x, out, alpha)
"""

BUGS = [
    # --- sigmoid -------------------------------------------------------------------------------
    bug("activations.sigmoid_forward", "exp(x) / (1 + exp(x)): inf / inf at x = 1000",
        ("edge_cases", "nonfinite"), """
        def sigmoid_forward(x):
            e = np.exp(x)
            out = e / (1 + e)
            return out, out
        """, message=("1000", "edge", "overflow", "nan", "inf"), also=("activations.sigmoid_backward",)),
    bug("activations.sigmoid_forward", "the textbook 1 / (1 + exp(-x)): overflows (warns) at x = -1000",
        "edge_cases", """
        def sigmoid_forward(x):
            out = 1 / (1 + np.exp(-x))
            return out, out
        """, message=("1000", "edge", "overflow", "warn"), also=("activations.sigmoid_backward",)),
    bug("activations.sigmoid_forward", "tanh instead of the sigmoid", "mismatch", """
        def sigmoid_forward(x):
            out = np.tanh(x)
            return out, out
        """, also=("activations.sigmoid_backward",)),
    bug("activations.sigmoid_backward", "forgets the (1 - sigma) factor", WRONG_BACKWARD, SIGMOID_FORWARD + """
        def sigmoid_backward(dout, cache):
            x, out = cache
            return dout * out
        """),
    bug("activations.sigmoid_backward", "derivative written with x instead of sigma(x)", WRONG_BACKWARD,
        SIGMOID_FORWARD + """
        def sigmoid_backward(dout, cache):
            x, out = cache
            return dout * x * (1 - x)
        """),
    bug("activations.sigmoid_backward", "forgets to multiply by dout", WRONG_BACKWARD, SIGMOID_FORWARD + """
        def sigmoid_backward(dout, cache):
            x, out = cache
            return out * (1 - out)
        """),
    # --- tanh -------------------------------------------------------------------------------------
    bug("activations.tanh_forward", "2 sigma(x) - 1 (forgets the 2x)", "mismatch", """
        def tanh_forward(x):
            out = 2 / (1 + np.exp(-x)) - 1
            return out, out
        """, also=("activations.tanh_backward",)),
    bug("activations.tanh_forward", "np.tanh(x, out=x) overwrites the input", "modified_input", """
        def tanh_forward(x):
            out = np.tanh(x, out=x)
            return out, out
        """, message=("input array x",), also=("activations.tanh_backward",)),
    bug("activations.tanh_backward", "1 - out instead of 1 - out squared", KNOWN, TANH_FORWARD + """
        def tanh_backward(dout, cache):
            x, out = cache
            return dout * (1 - out)
        """),
    bug("activations.tanh_backward", "1 - x squared: the input instead of the output", WRONG_BACKWARD, TANH_FORWARD + """
        def tanh_backward(dout, cache):
            x, out = cache
            return dout * (1 - x ** 2)
        """),
    # --- relu ----------------------------------------------------------------------------------------
    bug("activations.relu_forward", "clips the input in place", "modified_input", """
        def relu_forward(x):
            x[x < 0] = 0
            return x, x
        """, message=("input array x",), also=("activations.relu_backward",)),
    bug("activations.relu_forward", "abs instead of max(x, 0)", "mismatch", """
        def relu_forward(x):
            return np.abs(x), x
        """),
    bug("activations.relu_forward", "a leak of 0.01 on the negative side", "mismatch", """
        def relu_forward(x):
            return np.where(x > 0, x, 0.01 * x), x
        """),
    bug("activations.relu_backward", "mask taken from dout instead of x", WRONG_BACKWARD, RELU_FORWARD + """
        def relu_backward(dout, cache):
            return dout * (dout > 0)
        """),
    bug("activations.relu_backward", "returns the mask, forgets dout", WRONG_BACKWARD, RELU_FORWARD + """
        def relu_backward(dout, cache):
            x = cache
            return (x > 0).astype(float)
        """),
    bug("activations.relu_backward", "multiplies by x instead of the step", WRONG_BACKWARD, RELU_FORWARD + """
        def relu_backward(dout, cache):
            x = cache
            return dout * np.maximum(x, 0)
        """),
    # --- leaky relu -------------------------------------------------------------------------------------
    bug("activations.leaky_relu_forward", "ignores alpha (always 0.01)", "edge_cases", """
        def leaky_relu_forward(x, alpha=0.01):
            return np.where(x > 0, x, 0.01 * x), (x, alpha)
        """, message=("alpha", "edge")),
    bug("activations.leaky_relu_forward", "no leak: plain ReLU", "mismatch", """
        def leaky_relu_forward(x, alpha=0.01):
            return np.maximum(x, 0), (x, alpha)
        """),
    bug("activations.leaky_relu_forward", "alpha instead of alpha * x on the left", "mismatch", """
        def leaky_relu_forward(x, alpha=0.01):
            return np.where(x > 0, x, alpha), (x, alpha)
        """),
    bug("activations.leaky_relu_backward", "derivative 0 on the left (forgets alpha)", WRONG_BACKWARD, LEAKY_FORWARD + """
        def leaky_relu_backward(dout, cache):
            x, alpha = cache
            return dout * (x > 0)
        """),
    bug("activations.leaky_relu_backward", "alpha * x instead of alpha on the left", WRONG_BACKWARD, LEAKY_FORWARD + """
        def leaky_relu_backward(dout, cache):
            x, alpha = cache
            return dout * np.where(x > 0, 1.0, alpha * x)
        """),
    bug("activations.leaky_relu_backward", "hard-codes 0.01 in the backward", "edge_cases", """
        def leaky_relu_forward(x, alpha=0.01):
            return np.where(x > 0, x, alpha * x), x

        def leaky_relu_backward(dout, cache):
            x = cache
            return dout * np.where(x > 0, 1.0, 0.01)
        """, message=("alpha", "edge")),
    # --- elu -----------------------------------------------------------------------------------------------
    bug("activations.elu_forward", "alpha * exp(x) - 1: alpha outside the bracket", "edge_cases", """
        def elu_forward(x, alpha=1.0):
            out = np.where(x >= 0, x, alpha * np.exp(np.minimum(x, 0)) - 1)
            return out, (x, alpha)
        """, message=("alpha", "edge"), also=("activations.elu_backward",)),
    bug("activations.elu_forward", "branches swapped", "mismatch", """
        def elu_forward(x, alpha=1.0):
            out = np.where(x >= 0, alpha * np.expm1(np.minimum(x, 0)), x)
            return out, (x, alpha)
        """, also=("activations.elu_backward",)),
    bug("activations.elu_forward", "exponential branch without the -1", "mismatch", """
        def elu_forward(x, alpha=1.0):
            out = np.where(x >= 0, x, alpha * np.exp(np.minimum(x, 0)))
            return out, (x, alpha)
        """, also=("activations.elu_backward",)),
    bug("activations.elu_backward", "exp(x) without alpha on the left", "edge_cases", ELU_FORWARD + """
        def elu_backward(dout, cache):
            x, out, alpha = cache
            return dout * np.where(x >= 0, 1.0, np.exp(np.minimum(x, 0)))
        """, message=("alpha", "edge")),
    bug("activations.elu_backward", "derivative taken as out instead of out + alpha", WRONG_BACKWARD, ELU_FORWARD + """
        def elu_backward(dout, cache):
            x, out, alpha = cache
            return dout * np.where(x >= 0, 1.0, out)
        """),
    bug("activations.elu_backward", "derivative 1 everywhere", WRONG_BACKWARD, ELU_FORWARD + """
        def elu_backward(dout, cache):
            return dout.copy()
        """),
]
