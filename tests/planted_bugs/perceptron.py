"""Planted bugs in perceptron.py."""
from . import Bug, bug

# solutions/ builds perceptron_predict and perceptron_train on step, as learners do.
USES_STEP = ("perceptron.perceptron_predict", "perceptron.perceptron_train")

BUGS = [
    bug("perceptron.step", "threshold z >= 0 instead of z > 0", "edge_cases", """
        def step(z):
            return (np.asarray(z) >= 0).astype(np.float64)
        """, message=("edge case", "exactly 0"), also=USES_STEP),
    bug("perceptron.step", "sign(z): -1 below the threshold", ("mismatch",), """
        def step(z):
            return np.sign(z)
        """, also=USES_STEP),
    bug("perceptron.step", "thresholds the caller's array in place", "modified_input", """
        def step(z):
            z[z > 0] = 1.0
            z[z <= 0] = 0.0
            return z
        """, message=("input array z",), also=USES_STEP),
    bug("perceptron.perceptron_predict", "forgets the bias", "mismatch", """
        def perceptron_predict(X, w, b):
            return (X @ w > 0).astype(np.float64)
        """),
    bug("perceptron.perceptron_predict", "predicts 1 at a net input of exactly 0", "edge_cases", """
        def perceptron_predict(X, w, b):
            return (X @ w + b >= 0).astype(np.float64)
        """, message=("edge", "exactly 0")),
    bug("perceptron.perceptron_predict", "returns the net input, not the step of it", "mismatch", """
        def perceptron_predict(X, w, b):
            return X @ w + b
        """),
    bug("perceptron.perceptron_train", "updates with the wrong sign", ("mismatch", "sign"), """
        def perceptron_train(X, y, lr=1.0, epochs=10):
            w, b = np.zeros(X.shape[1]), 0.0
            for _ in range(epochs):
                for xi, yi in zip(X, y):
                    e = yi - float(xi @ w + b > 0)
                    w = w - lr * e * xi
                    b = b - lr * e
            return w, b
        """),
    bug("perceptron.perceptron_train", "forgets the learning rate in the bias update", "mismatch", """
        def perceptron_train(X, y, lr=1.0, epochs=10):
            w, b = np.zeros(X.shape[1]), 0.0
            for _ in range(epochs):
                for xi, yi in zip(X, y):
                    e = yi - float(xi @ w + b > 0)
                    w = w + lr * e * xi
                    b = b + e
            return w, b
        """),
    bug("perceptron.perceptron_train", "one epoch too few", "mismatch", """
        def perceptron_train(X, y, lr=1.0, epochs=10):
            w, b = np.zeros(X.shape[1]), 0.0
            for _ in range(epochs - 1):
                for xi, yi in zip(X, y):
                    e = yi - float(xi @ w + b > 0)
                    w = w + lr * e * xi
                    b = b + lr * e
            return w, b
        """),
    bug("perceptron.perceptron_train", "batch update instead of sample by sample", "mismatch", """
        def perceptron_train(X, y, lr=1.0, epochs=10):
            w, b = np.zeros(X.shape[1]), 0.0
            for _ in range(epochs):
                e = y - (X @ w + b > 0)
                w = w + lr * e @ X
                b = b + lr * e.sum()
            return w, b
        """),
    # The function's name misspelt: the grader finds no sigmoid_neuron at all.
    Bug("perceptron.sigmoid_neuron", "misspelt function name", ("missing_function",), {"sigmoid_neuron": (
        "def sigmoid_nueron(X, w, b):\n"
        "    return 1 / (1 + np.exp(-(X @ w + b)))\n")}, message=("sigmoid_neuron",)),
    bug("perceptron.sigmoid_neuron", "forgets the bias", "mismatch", """
        def sigmoid_neuron(X, w, b):
            return 1 / (1 + np.exp(-(X @ w)))
        """),
    bug("perceptron.sigmoid_neuron", "exp(+z): computes sigma(-z)", "mismatch", """
        def sigmoid_neuron(X, w, b):
            return 1 / (1 + np.exp(X @ w + b))
        """),
    bug("perceptron.sigmoid_neuron", "tanh instead of the sigmoid", "mismatch", """
        def sigmoid_neuron(X, w, b):
            return np.tanh(X @ w + b)
        """),
]


# Graded with a short time limit by tests/test_planted_bugs.py (test_an_endless_loop_times_out):
# "train until every sample is right" never ends on data no plane separates.
ENDLESS = bug("perceptron.perceptron_train", "trains until no errors: endless on unseparable data", "timeout", """
    def perceptron_train(X, y, lr=1.0, epochs=10):
        w, b = np.zeros(X.shape[1]), 0.0
        errors = True
        while errors:
            errors = False
            for xi, yi in zip(X, y):
                e = yi - float(xi @ w + b > 0)
                if e:
                    errors = True
                    w = w + lr * e * xi
                    b = b + lr * e
        return w, b
    """, message=("time",))
