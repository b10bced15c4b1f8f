"""The exercise manifest: one ordered list, one entry per graded function.

Everything else is derived from this file: the grader's checks, `tutor check`
and `tutor hint`, the class gradebook, the nbgrader notebooks and the terminal
app's exercise panel. Order matters: it is the order a learner meets them in.

An entry says *what* to grade; the engine (tutor/engine/) says *how*:

kind (Kind)
    "forward"   the function returns (out, cache); `out` is compared with the reference.
    "function"  every returned value is compared with the reference (names in `outputs`).
    "backward"  the learner's own `forward` runs on the case's inputs, then this function
                on a random upstream gradient with the learner's cache; the gradients are
                compared with autograd through the reference.
    "random"    randomness from the rng the grader passes in: graded by `properties`, the
                name of a statistical judge of tutor/engine/properties.py (inputs, outputs)
                -> list of problems, run in the parent.
cases
    Each case's `make(rng)` returns the keyword arguments of the call, made in the trusted
    parent from a seeded generator. Shapes are non-square so a transpose never fits.
    `edge=True` marks edge cases (overflow, kinks) for the "right on ordinary inputs,
    wrong on edge cases" diagnosis. `kink=True` marks an edge case at a kink of the contract,
    where either one-sided derivative is right (see Case).
The grading rules an entry declares as data, never inferred from names: `kink` on a case,
`ties` (which answers a tie may route to), `pair` (a random function that returns
(out, cache), of which out is graded), `exact`, `rtol`, `encode`.
"""
from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Callable

import numpy as np

# Tolerances for float64 work, as relative error in CS231n's sense:
# max |a - b| / max(|a| + |b|, tiny).
OUTPUT_RTOL = 1e-7
GRADIENT_RTOL = 1e-6


class Kind(str, Enum):
    """What an exercise's function is, and so how it is graded (see the module docstring)."""
    FORWARD = "forward"
    FUNCTION = "function"
    BACKWARD = "backward"
    RANDOM = "random"

    # A Kind is its value wherever text is made of it (messages, JSON, the worker's plan).
    __str__ = str.__str__
    __format__ = str.__format__


# Tie rules (Exercise.ties): which answers an edge case with tied inputs also accepts.
TIES_ANY_MAXIMAL = "any_maximal"   # max-pool: each window's gradient on any one of its tied maxima


@dataclass(frozen=True)
class Case:
    name: str
    make: Callable[[np.random.Generator], dict]
    edge: bool = False
    # At a kink of the contract (ReLU, leaky ReLU, ELU and L1 at 0, max-pool ties): either
    # one-sided derivative is right, so the grader also accepts the references just left and
    # right of the zeros (tutor/engine/plan.py). Zeros anywhere else are compared exactly.
    kink: bool = False

    def __post_init__(self):
        if self.kink and not self.edge:
            raise ValueError(f"case {self.name!r}: a kink is an edge case (edge=True)")


@dataclass(frozen=True)
class Exercise:
    id: str                       # "MODULE.FUNCTION", as in grade reports
    lesson: str                   # id of the lesson it belongs to (tutor/lessons/)
    kind: Kind                    # given as its value: "forward" | "function" | "backward" | "random"
    points: int
    hints: tuple[str, ...]        # two or three, from a nudge to nearly the answer
    cases: tuple[Case, ...] = ()
    outputs: tuple[str, ...] = ("out",)   # names of the graded return values
    forward: str | None = None    # for kind="backward": the forward it pairs with
    rtol: float | None = None     # None: OUTPUT_RTOL, or GRADIENT_RTOL for gradients
    properties: str | None = None  # kind="random": the statistical judge it is graded by (tutor/engine/properties.py)
    exact: bool = False           # compare exactly (perceptron_train, param counts)
    encode: str | None = None     # a result that is not one array (engine/worker/ragged.py)
    mistakes: tuple = ()          # known mistakes, named when a wrong answer matches one (tutor/mistake_variants.py)
    ties: str | None = None       # a tie rule (TIES_*) for its kink cases with tied inputs
    pair: bool = False            # kind "random" only: returns (out, cache), and out is graded

    def __post_init__(self):
        object.__setattr__(self, "kind", Kind(self.kind))   # a kind that is not one raises here
        if self.kind == Kind.BACKWARD and not self.forward:
            raise ValueError(f"{self.id}: a backward names the forward it pairs with")
        if self.ties not in (None, TIES_ANY_MAXIMAL):
            raise ValueError(f"{self.id}: unknown tie rule {self.ties!r}")
        if (self.kind == Kind.RANDOM) != (self.properties is not None):
            raise ValueError(f"{self.id}: a random exercise, and only one, names its statistical judge (properties)")

    @property
    def style(self) -> str:
        """How the grader calls it: "backward" (the learner's forward, then this on an upstream
        gradient), "pair" (returns (out, cache), out graded) or "values" (every value graded)."""
        if self.forward:
            return "backward"
        return "pair" if self.kind == Kind.FORWARD or self.pair else "values"

    @property
    def module(self) -> str:
        return self.id.split(".")[0]

    @property
    def function(self) -> str:
        return self.id.split(".")[1]


# ---------------------------------------------------------------------------
# Case builders. Every `make(rng)` draws only from the generator it is given, so a
# case is a pure function of the seed. Shapes are small (grading the whole syllabus
# must cost tens of milliseconds) and deliberately non-square: N, D, M, H, T are
# pairwise different wherever they meet, so a transposed answer never has the
# expected shape. The only square inputs are the ones the contract makes square
# (the recurrent weight Wh is (H, H)); see SQUARE_BY_CONTRACT.
# ---------------------------------------------------------------------------

SQUARE_BY_CONTRACT = frozenset({"Wh"})


def _randn(rng: np.random.Generator, *shape: int, scale: float = 1.0, shift: float = 0.0) -> np.ndarray:
    return shift + scale * rng.standard_normal(shape)


def _nonzero(rng: np.random.Generator, *shape: int) -> np.ndarray:
    """Standard-normal-sized values bounded away from 0 (|x| in [0.25, 2]), random sign."""
    return rng.uniform(0.25, 2.0, shape) * rng.choice([-1.0, 1.0], shape)


# A case at a kink of the contract (ReLU, leaky ReLU, ELU and L1 at 0, max-pool ties), where
# either one-sided derivative is right, is declared Case(..., edge=True, kink=True): the grader
# then also accepts the references just left and right of the zeros (tutor/engine/plan.py).
# Zeros anywhere else (step's threshold) are compared exactly.


def _with_zeros(rng: np.random.Generator, *shape: int, scale: float = 1.0) -> np.ndarray:
    """Random values with a third of the entries exactly 0 (and one -0.0): the kinks."""
    x = _randn(rng, *shape, scale=scale)
    x.flat[::3] = 0.0
    x.flat[1] = -0.0
    return x


def _cases(*items: Case) -> tuple[Case, ...]:
    return tuple(items)


# --- perceptron --------------------------------------------------------------

def _step_cases():
    return _cases(
        Case("z (4, 5)", lambda rng: {"z": _randn(rng, 4, 5, scale=2.0)}),
        Case("z (7,)", lambda rng: {"z": _randn(rng, 7)}),
        # Not a kink: step(0) is 0, exactly (the grader accepts either side only in kink=True cases).
        Case("z exactly 0 (and -0.0): the threshold is strict", lambda rng: {"z": _with_zeros(rng, 3, 4)}, edge=True),
    )


def _ints(rng, *shape, low=-3, high=3):
    return rng.integers(low, high + 1, shape).astype(np.float64)


def _predict_zero_net(rng):
    # Net inputs exactly 0 from nonzero integers that cancel: with w > 0, the row
    # k · (w1 + w2, -w0, -w0) is orthogonal to w, and b = 0.
    w = _ints(rng, 3, low=1, high=3)
    X = _ints(rng, 6, 3, low=1, high=3) * rng.choice([-1.0, 1.0], (6, 3))
    for row, k in zip(range(3), (1.0, -1.0, 2.0)):
        X[row] = k * np.array([w[1] + w[2], -w[0], -w[0]])
    return {"X": X, "w": w, "b": 0.0}


def _perceptron_data(rng, n, d, lr=None, epochs=None):
    # Small integers and a dyadic learning rate keep every update exact in float64,
    # so the learner's weights must match the reference bit for bit.
    X = _ints(rng, n, d)
    w_true, b_true = _ints(rng, d), 0.5
    y = (X @ w_true + b_true > 0).astype(np.float64)
    kw = {"X": X, "y": y}
    if lr is not None:
        kw["lr"] = lr
    if epochs is not None:
        kw["epochs"] = epochs
    return kw


def _perceptron_unseparable(rng):
    # Fixed data that no plane separates, on which the weights still change in epochs
    # 2, 3 and 4: a loop that runs one epoch too few or too many gets other weights.
    X = np.array([[0, 0, 1], [0, 1, 0], [1, 0, 0], [1, 1, 1], [2, 1, 0], [1, 2, 2]], dtype=np.float64)
    y = np.array([0, 1, 1, 0, 0, 1], dtype=np.float64)
    return {"X": X, "y": y, "lr": 0.5, "epochs": 3}


def _neuron_inputs(rng, n, d):
    return {"X": _randn(rng, n, d), "w": _randn(rng, d), "b": float(rng.normal())}


# --- backprop -----------------------------------------------------------------

def _xyz_arrays(rng, *shape):
    return {"x": _randn(rng, *shape), "y": _randn(rng, *shape), "z": _randn(rng, *shape)}


_XYZ_CASES = _cases(
    Case("arrays (3, 4)", lambda rng: _xyz_arrays(rng, 3, 4)),
    Case("arrays (5,)", lambda rng: _xyz_arrays(rng, 5)),
    Case("the slides' example x=-2, y=5, z=-4", lambda rng: {"x": -2.0, "y": 5.0, "z": -4.0}),
)


def _two_layer_inputs(rng, n, d, h):
    return {"X": _randn(rng, n, d), "W1": _randn(rng, d, h, scale=0.7), "w2": _randn(rng, h, scale=0.7)}


_TWO_LAYER_CASES = _cases(
    Case("N=4, D=5, H=3", lambda rng: _two_layer_inputs(rng, 4, 5, 3)),
    Case("one sample, N=1, D=3, H=6", lambda rng: _two_layer_inputs(rng, 1, 3, 6)),
)


def _affine_inputs(rng, n, d, m):
    return {"x": _randn(rng, n, d), "w": _randn(rng, d, m, scale=0.5), "b": _randn(rng, m)}


_AFFINE_CASES = _cases(
    Case("N=4, D=5, M=3", lambda rng: _affine_inputs(rng, 4, 5, 3)),
    Case("one sample, N=1, D=6, M=2", lambda rng: _affine_inputs(rng, 1, 6, 2)),
    Case("N=7, D=2, M=5", lambda rng: _affine_inputs(rng, 7, 2, 5)),
)


# --- activations ----------------------------------------------------------------

def _big_sigmoid_inputs(rng):
    x = _randn(rng, 4, 5, scale=3.0)
    x[0, :3] = (1000.0, -1000.0, 750.0)
    x[2, 1:3] = (-50.0, 1000.0)
    return {"x": x}


def _activation_cases(big: bool = False, alpha: float | None = None, kink: bool = False) -> tuple[Case, ...]:
    def with_alpha(kw):
        if alpha is not None:
            kw["alpha"] = alpha
        return kw
    cases = [
        Case("x (4, 5)", lambda rng: {"x": _randn(rng, 4, 5, scale=2.0)}),
        Case("x (1, 7)", lambda rng: {"x": _randn(rng, 1, 7, scale=2.0)}),
    ]
    if big:
        cases.append(Case("|x| as large as 1000", _big_sigmoid_inputs, edge=True))
    if alpha is not None:
        cases.append(Case(f"alpha = {alpha} (not the default)",
                          lambda rng: with_alpha({"x": _randn(rng, 3, 6, scale=2.0)}), edge=True))
    if kink:
        cases.append(Case("x exactly 0 (a kink: either one-sided derivative is accepted)",
                          lambda rng: with_alpha({"x": _with_zeros(rng, 3, 5)}), edge=True, kink=True))
    return tuple(cases)


def _vanishing_case(name, n, dims, activation):
    def make(rng):
        x = _randn(rng, n, dims[0])
        weights = [_randn(rng, a, b, scale=1.5 / np.sqrt(a)) for a, b in zip(dims, dims[1:])]
        return {"x": x, "weights": weights, "activation": activation}
    return Case(name, make)


# --- rnn --------------------------------------------------------------------------

def _rnn_step_inputs(rng, n, d, h):
    return {"x": _randn(rng, n, d), "h_prev": _randn(rng, n, h, scale=0.5),
            "Wx": _randn(rng, d, h, scale=0.5), "Wh": _randn(rng, h, h, scale=0.5), "b": _randn(rng, h, scale=0.3)}


_RNN_STEP_CASES = _cases(
    Case("N=4, D=5, H=3", lambda rng: _rnn_step_inputs(rng, 4, 5, 3)),
    Case("one sample, N=1, D=2, H=6", lambda rng: _rnn_step_inputs(rng, 1, 2, 6)),
)


def _rnn_inputs(rng, n, t, d, h):
    return {"x": _randn(rng, n, t, d), "h0": _randn(rng, n, h, scale=0.5),
            "Wx": _randn(rng, d, h, scale=0.5), "Wh": _randn(rng, h, h, scale=0.5), "b": _randn(rng, h, scale=0.3)}


_RNN_CASES = _cases(
    Case("N=2, T=3, D=5, H=4", lambda rng: _rnn_inputs(rng, 2, 3, 5, 4)),
    Case("one sequence, N=1, T=4, D=3, H=5", lambda rng: _rnn_inputs(rng, 1, 4, 3, 5)),
    Case("a single step, N=3, T=1, D=5, H=4", lambda rng: _rnn_inputs(rng, 3, 1, 5, 4)),
)


def _big_logits(rng, n, c):
    z = _randn(rng, n, c, scale=2.0)
    z[0, 1] = 1000.0
    z[1, :2] = (1000.0, 999.0)
    z[-1, -1] = -1000.0
    return z


# --- layers -------------------------------------------------------------------------

def _labels(rng, n, c):
    return rng.integers(0, c, n).astype(np.int64)


def _big_scores(rng):
    scores = _big_logits(rng, 3, 4)
    # Row 0's label is not its 1000-logit: its loss is about 1000, large but finite.
    return {"scores": scores, "y": np.array([2, 0, 3], dtype=np.int64)}


def _batchnorm_inputs(rng, n, d, eps=None):
    # A mean far from 0 and a spread far from 1, so forgetting either step shows.
    kw = {"x": _randn(rng, n, d, scale=3.0, shift=2.0), "gamma": _randn(rng, d, scale=0.5, shift=1.0),
          "beta": _randn(rng, d)}
    if eps is not None:
        kw["eps"] = eps
    return kw


_BATCHNORM_CASES = _cases(
    Case("N=6, D=4", lambda rng: _batchnorm_inputs(rng, 6, 4)),
    Case("N=8, D=3, eps=0.1", lambda rng: _batchnorm_inputs(rng, 8, 3, eps=0.1)),
    Case("a small batch, N=3, D=5: the biased variance matters", lambda rng: _batchnorm_inputs(rng, 3, 5),
         edge=True),
)


# --- cnn ------------------------------------------------------------------------------

def _conv_inputs(rng, n, c, h, w, f, hh, ww, stride=None, pad=None):
    kw = {"x": _randn(rng, n, c, h, w), "w": _randn(rng, f, c, hh, ww, scale=0.5), "b": _randn(rng, f)}
    if stride is not None:
        kw["stride"] = stride
    if pad is not None:
        kw["pad"] = pad
    return kw


_CONV_CASES = _cases(
    Case("N=2, C=3, 9×6 input, F=4, 3×2 kernel", lambda rng: _conv_inputs(rng, 2, 3, 9, 6, 4, 3, 2)),
    Case("one image, N=1, C=2, 5×7 input, F=3, 2×3 kernel", lambda rng: _conv_inputs(rng, 1, 2, 5, 7, 3, 2, 3)),
    Case("stride=2, pad=1", lambda rng: _conv_inputs(rng, 2, 3, 9, 6, 4, 3, 2, stride=2, pad=1), edge=True),
    Case("pad=2", lambda rng: _conv_inputs(rng, 1, 2, 5, 6, 3, 3, 2, pad=2), edge=True),
    Case("stride=3", lambda rng: _conv_inputs(rng, 1, 2, 8, 6, 2, 2, 3, stride=3), edge=True),
)


def _pool_inputs(rng, shape, size=None, stride=None, ties=False):
    x = _ints(rng, *shape, low=0, high=2) if ties else _randn(rng, *shape)
    kw = {"x": x}
    if size is not None:
        kw["size"] = size
    if stride is not None:
        kw["stride"] = stride
    return kw


_POOL_CASES = _cases(
    Case("N=2, C=3, 6×4, size=2, stride=2", lambda rng: _pool_inputs(rng, (2, 3, 6, 4))),
    Case("one image, N=1, C=2, 4×8", lambda rng: _pool_inputs(rng, (1, 2, 4, 8))),
    Case("overlapping windows, size=3, stride=1", lambda rng: _pool_inputs(rng, (1, 2, 5, 4), 3, 1), edge=True),
    Case("size=3, stride=2", lambda rng: _pool_inputs(rng, (2, 2, 7, 5), 3, 2), edge=True),
)


def _dropout_case(name, shape, p, train, edge=False):
    def make(rng):
        return {"x": _nonzero(rng, *shape), "p": p, "train": train}
    return Case(name, make, edge=edge)


_DROPOUT_CASES = (
    # 200 × 50 = 10,000 units: Hoeffding's t for 1e-10 is 0.034, far below any wrong rate.
    _dropout_case("training, p = 0.3, x (200, 50)", (200, 50), 0.3, True),
    _dropout_case("training, p = 0.75, x (40, 250)", (40, 250), 0.75, True),
    _dropout_case("evaluation mode (train=False): the identity", (4, 6), 0.3, False, edge=True),
)


# ---------------------------------------------------------------------------------------
# The manifest: every function of shared/EXERCISES.md, in syllabus (lesson) order.
# ---------------------------------------------------------------------------------------

EXERCISES: list[Exercise] = [
    # ===== lesson "perceptron" =====
    Exercise(
        "perceptron.step", "perceptron", "function", 1,
        hints=(
            "The output is 1.0 where z is positive and 0.0 everywhere else, including at z = 0.",
            "A comparison gives a boolean array; turn it into floats.",
            "(z > 0).astype(float) — note the strict >: some slides use z ≥ 0, this course does not.",
        ),
        cases=_step_cases(),
    ),
    Exercise(
        "perceptron.perceptron_predict", "perceptron", "function", 1,
        hints=(
            "First the net input of every sample, then the threshold.",
            "X @ w + b is one net input per row of X, shape (N,).",
            "return step(X @ w + b)",
        ),
        cases=_cases(
            Case("N=5, D=3", lambda rng: _neuron_inputs(rng, 5, 3)),
            Case("one sample, N=1, D=4", lambda rng: _neuron_inputs(rng, 1, 4)),
            Case("a net input exactly 0 (predicts 0)", _predict_zero_net, edge=True),
        ),
    ),
    Exercise(
        "perceptron.perceptron_train", "perceptron", "function", 2,
        hints=(
            "Start from w = 0 and b = 0, and visit the samples one at a time, in order, epoch after epoch.",
            "The error e = y[i] − step(X[i] · w + b) is +1, 0 or −1; a correct prediction changes nothing.",
            "w += lr · e · X[i] and b += lr · e, inside a loop over epochs and an inner loop over samples.",
        ),
        cases=_cases(
            Case("N=8, D=2, defaults", lambda rng: _perceptron_data(rng, 8, 2)),
            Case("N=6, D=3, lr=0.5, epochs=3, labels no plane separates", _perceptron_unseparable),
            Case("one sample, N=1, D=4, epochs=2", lambda rng: _perceptron_data(rng, 1, 4, epochs=2)),
        ),
        outputs=("w", "b"),
        exact=True,
    ),
    Exercise(
        "perceptron.sigmoid_neuron", "perceptron", "function", 1,
        hints=(
            "The same net input as the perceptron; only the activation changes.",
            "σ(z) = 1 / (1 + e⁻ᶻ) squashes the net input into (0, 1) smoothly.",
            "z = X @ w + b, then 1 / (1 + np.exp(-z)).",
        ),
        cases=_cases(
            Case("N=5, D=3", lambda rng: _neuron_inputs(rng, 5, 3)),
            Case("one sample, N=1, D=4", lambda rng: _neuron_inputs(rng, 1, 4)),
        ),
    ),
    # ===== lesson "backprop" =====
    Exercise(
        "backprop.xyz_forward", "backprop", "forward", 1,
        hints=(
            "Two nodes: an addition q = x + y, then a multiplication f = q · z.",
            "Keep in the cache whatever the backward pass needs: x, y and z (or q and z).",
            "f = (x + y) * z; return f, (x, y, z)",
        ),
        cases=_XYZ_CASES,
        outputs=("f",),
    ),
    Exercise(
        "backprop.xyz_backward", "backprop", "backward", 1,
        hints=(
            "Go backwards through the graph: first the multiplication, then the addition.",
            "∂f/∂z = x + y, and ∂f/∂q = z; an addition passes its gradient unchanged to both inputs.",
            "dz = df · (x + y); dx = dy = df · z. Multiply by df — it is not always 1.",
        ),
        cases=_XYZ_CASES,
        outputs=("dx", "dy", "dz"),
        forward="backprop.xyz_forward",
    ),
    # ===== lesson "training" =====
    Exercise(
        "backprop.two_layer_forward", "training", "forward", 1,
        hints=(
            "Two sigmoid layers, one after the other, with no biases.",
            "h = σ(X @ W1) has shape (N, H); out = σ(h @ w2) has shape (N,).",
            "Cache X, W1, w2, h and out: the backward needs every one of them.",
        ),
        cases=_TWO_LAYER_CASES,
    ),
    Exercise(
        "backprop.two_layer_backward", "training", "backward", 3,
        hints=(
            "Walk back through the forward in reverse: the output sigmoid, the second product, the hidden "
            "sigmoid, the first product.",
            "σ'(z) = σ(z)(1 − σ(z)), computed from the sigmoid's output: dz2 = dout · out · (1 − out), "
            "then dw2 = hᵀ · dz2 and dh = outer(dz2, w2).",
            "dz1 = dh · h · (1 − h); dW1 = Xᵀ @ dz1; dX = dz1 @ W1ᵀ.",
        ),
        cases=_TWO_LAYER_CASES,
        outputs=("dX", "dW1", "dw2"),
        forward="backprop.two_layer_forward",
    ),
    Exercise(
        "layers.affine_forward", "training", "forward", 1,
        hints=(
            "Every row of x is one sample; every column of w is one output unit.",
            "x (N, D) @ w (D, M) is (N, M); the bias b (M,) is added to every row by broadcasting.",
            "out = x @ w + b; cache (x, w, b).",
        ),
        cases=_AFFINE_CASES,
    ),
    Exercise(
        "layers.affine_backward", "training", "backward", 2,
        hints=(
            "Each gradient has the shape of its argument: match the shapes and the formulas follow.",
            "dw collects x's contribution from every row of the batch; the bias was added to every row, "
            "so its gradient collects dout from every row.",
            "dx = dout @ wᵀ; dw = xᵀ @ dout; db = dout.sum(axis=0) — a sum over the batch, not a mean.",
        ),
        cases=_AFFINE_CASES,
        outputs=("dx", "dw", "db"),
        forward="layers.affine_forward",
    ),
    Exercise(
        "optim.sgd_step", "training", "function", 1,
        hints=(
            "Step against the gradient: it points uphill.",
            "The step is the gradient scaled by the learning rate.",
            "return w - lr * dw — a new array; `w -= ...` would change the caller's w.",
        ),
        cases=_cases(
            Case("w (4, 3), lr=0.1", lambda rng: {"w": _randn(rng, 4, 3), "dw": _randn(rng, 4, 3), "lr": 0.1}),
            Case("w (6,), lr=0.01", lambda rng: {"w": _randn(rng, 6), "dw": _randn(rng, 6), "lr": 0.01}),
        ),
        outputs=("w",),
    ),
    # ===== lesson "activations" =====
    Exercise(
        "activations.sigmoid_forward", "activations", "forward", 2,
        hints=(
            "1 / (1 + e⁻ˣ) is right in exact arithmetic, but e⁻ˣ overflows for x = −1000.",
            "Compute it in a form that only ever exponentiates a non-positive number: for x < 0, "
            "σ(x) = eˣ / (1 + eˣ).",
            "Split on the sign: np.where(x >= 0, 1 / (1 + exp(−|x|)), exp(−|x|) / (1 + exp(−|x|))); "
            "exp(−|x|) never overflows.",
        ),
        cases=_activation_cases(big=True),
    ),
    Exercise(
        "activations.sigmoid_backward", "activations", "backward", 1,
        hints=(
            "The sigmoid's derivative can be written with its own output.",
            "σ'(x) = σ(x) · (1 − σ(x)); keep σ(x) from the forward in the cache.",
            "dx = dout * out * (1 - out)",
        ),
        cases=_activation_cases(big=True),
        outputs=("dx",),
        forward="activations.sigmoid_forward",
    ),
    Exercise(
        "activations.tanh_forward", "activations", "forward", 1,
        hints=(
            "NumPy has the hyperbolic tangent built in.",
            "tanh(x) = 2σ(2x) − 1: a sigmoid stretched to (−1, 1).",
            "out = np.tanh(x); cache out for the backward.",
        ),
        cases=_activation_cases(),
    ),
    Exercise(
        "activations.tanh_backward", "activations", "backward", 1,
        hints=(
            "Like the sigmoid, tanh's derivative is a function of its output.",
            "d tanh(x)/dx = 1 − tanh²(x).",
            "dx = dout * (1 - out ** 2)",
        ),
        cases=_activation_cases(),
        outputs=("dx",),
        forward="activations.tanh_forward",
    ),
    Exercise(
        "activations.relu_forward", "activations", "forward", 1,
        hints=(
            "Negative inputs become 0; positive ones pass unchanged.",
            "np.maximum compares elementwise — and returns a new array, leaving x alone.",
            "out = np.maximum(x, 0); cache x.",
        ),
        cases=_activation_cases(kink=True),
    ),
    Exercise(
        "activations.relu_backward", "activations", "backward", 1,
        hints=(
            "The gradient passes where the unit was active and stops where it was not.",
            "The derivative is 1 for x > 0 and 0 for x < 0 (at exactly 0 either is accepted).",
            "dx = dout * (x > 0)",
        ),
        cases=_activation_cases(kink=True),
        outputs=("dx",),
        forward="activations.relu_forward",
    ),
    Exercise(
        "activations.leaky_relu_forward", "activations", "forward", 1,
        hints=(
            "Like ReLU, but negative inputs keep a small slope alpha instead of dying.",
            "Use the alpha argument: callers pass values other than 0.01.",
            "out = np.where(x > 0, x, alpha * x)",
        ),
        cases=_activation_cases(alpha=0.2, kink=True),
    ),
    Exercise(
        "activations.leaky_relu_backward", "activations", "backward", 1,
        hints=(
            "The slope is 1 on the right and alpha on the left.",
            "Keep alpha in the cache alongside x: the backward does not receive it.",
            "dx = dout * np.where(x > 0, 1.0, alpha)",
        ),
        cases=_activation_cases(alpha=0.2, kink=True),
        outputs=("dx",),
        forward="activations.leaky_relu_forward",
    ),
    Exercise(
        "activations.elu_forward", "activations", "forward", 1,
        hints=(
            "Two branches: the identity for x ≥ 0, a saturating exponential below.",
            "The negative branch is alpha · (eˣ − 1): alpha multiplies the bracket, so it tends to −alpha.",
            "out = np.where(x >= 0, x, alpha * (np.exp(np.minimum(x, 0)) - 1)); the minimum keeps exp "
            "from overflowing on the branch np.where throws away.",
        ),
        cases=_activation_cases(alpha=0.5, kink=True),
    ),
    Exercise(
        "activations.elu_backward", "activations", "backward", 2,
        hints=(
            "Differentiate each branch separately.",
            "For x < 0 the derivative of alpha · (eˣ − 1) is alpha · eˣ, which equals out + alpha.",
            "dx = dout * np.where(x >= 0, 1.0, alpha * np.exp(x)) — and keep alpha in the cache.",
        ),
        cases=_activation_cases(alpha=0.5, kink=True),
        outputs=("dx",),
        forward="activations.elu_forward",
    ),
    Exercise(
        "initialization.xavier_normal", "activations", "random", 1,
        hints=(
            "Draw from a normal distribution with mean 0, using the rng you are given.",
            "The standard deviation is √(2 / (n_in + n_out)): it keeps the signal's variance roughly "
            "constant in both directions.",
            "rng.normal(0.0, np.sqrt(2 / (n_in + n_out)), size=(n_in, n_out)) — the second argument is "
            "the std, not the variance.",
        ),
        cases=_cases(
            Case("n_in=300, n_out=200", lambda rng: {"n_in": 300, "n_out": 200}),
            Case("a small layer, n_in=40, n_out=25", lambda rng: {"n_in": 40, "n_out": 25}),
        ),
        outputs=("w",),
        properties="xavier_normal",
    ),
    Exercise(
        "vanishing.layer_gradient_norms", "activations", "function", 3,
        hints=(
            "Run the forward pass keeping every layer's input h and output; then walk back from "
            "d loss / d h_L = 1 (the loss is a plain sum).",
            "At layer l: da = dh · act'(a) (for the sigmoid, h(1 − h); tanh, 1 − h²; ReLU, a > 0), "
            "then dW = h_prevᵀ @ da and the gradient flowing on is da @ Wᵀ.",
            "Collect np.linalg.norm(dW) per layer and reverse the list at the end, so the first "
            "layer comes first.",
        ),
        cases=_cases(
            _vanishing_case("sigmoid, N=3, widths 5-4-6-2", 3, (5, 4, 6, 2), "sigmoid"),
            _vanishing_case("tanh, N=2, widths 4-7-3-5-2", 2, (4, 7, 3, 5, 2), "tanh"),
            _vanishing_case("relu, N=4, widths 3-6-5-2", 4, (3, 6, 5, 2), "relu"),
            _vanishing_case("sigmoid, six layers, N=1", 1, (4, 5, 6, 3, 7, 2, 3), "sigmoid"),
        ),
        outputs=("norms",),
    ),
    # ===== lesson "parameters" =====
    Exercise(
        "param_count.dense_params", "parameters", "function", 1,
        hints=(
            "Count layer by layer: each pair of consecutive sizes is one dense layer.",
            "A layer from a units to b units has a · b weights and b biases.",
            "sum(a * b + b for a, b in zip(layer_sizes, layer_sizes[1:]))",
        ),
        cases=_cases(
            Case("[10, 2, 1]", lambda rng: {"layer_sizes": [10, 2, 1]}),
            Case("[10, 25, 25, 1]", lambda rng: {"layer_sizes": [10, 25, 25, 1]}),
            Case("[784, 128, 64, 10]", lambda rng: {"layer_sizes": [784, 128, 64, 10]}),
            Case("one layer, [3, 7]", lambda rng: {"layer_sizes": [3, 7]}),
        ),
        outputs=("count",),
        exact=True,
    ),
    Exercise(
        "param_count.conv2d_params", "parameters", "function", 1,
        hints=(
            "Each output channel has one kernel spanning every input channel, plus one bias.",
            "A kernel_size given as an int k means a k × k kernel; a pair means (kh, kw).",
            "out_channels · (in_channels · kh · kw + 1)",
        ),
        cases=_cases(
            Case("3 → 64 channels, 3×3", lambda rng: {"in_channels": 3, "out_channels": 64, "kernel_size": 3}),
            Case("16 → 32 channels, (3, 5)", lambda rng: {"in_channels": 16, "out_channels": 32, "kernel_size": (3, 5)}),
            Case("1 → 8 channels, (5, 1)", lambda rng: {"in_channels": 1, "out_channels": 8, "kernel_size": (5, 1)}),
        ),
        outputs=("count",),
        exact=True,
    ),
    Exercise(
        "param_count.rnn_params", "parameters", "function", 1,
        hints=(
            "List the five arrays and their shapes: Wx, Wh, b for the recurrence, Wy, by for the read-out.",
            "Wx is (input, hidden), Wh is (hidden, hidden), Wy is (hidden, output); the biases have one "
            "entry per unit they feed.",
            "D·H + H·H + H + H·O + O",
        ),
        cases=_cases(
            Case("the slides' example: 4 inputs, 3 hidden, 4 outputs",
                 lambda rng: {"input_size": 4, "hidden_size": 3, "output_size": 4}),
            Case("10 inputs, 20 hidden, 5 outputs",
                 lambda rng: {"input_size": 10, "hidden_size": 20, "output_size": 5}),
        ),
        outputs=("count",),
        exact=True,
    ),
    Exercise(
        "param_count.vgg16_params", "parameters", "function", 2,
        hints=(
            "Thirteen 3×3 convolutions (64, 64, 128, 128, 256 ×3, 512 ×3, 512 ×3 channels, starting from "
            "3), then three dense layers; pooling layers have no parameters.",
            "Five 2×2 poolings shrink 224 to 7, so the first dense layer sees 7 · 7 · 512 = 25,088 inputs.",
            "Dense layers 25,088 → 4096 → 4096 → num_classes, each with its biases; reuse conv2d_params "
            "and dense_params. 1000 classes give 138,357,544.",
        ),
        cases=_cases(
            Case("1000 classes (the default)", lambda rng: {}),
            Case("10 classes", lambda rng: {"num_classes": 10}),
        ),
        outputs=("count",),
        exact=True,
    ),
    # ===== lesson "rnn" =====
    Exercise(
        "rnn.rnn_step_forward", "rnn", "forward", 1,
        hints=(
            "The new state mixes the input and the previous state, then squashes with tanh.",
            "x @ Wx is (N, H) and h_prev @ Wh is (N, H); b is added to every row.",
            "h_next = np.tanh(x @ Wx + h_prev @ Wh + b); cache the inputs and h_next.",
        ),
        cases=_RNN_STEP_CASES,
        outputs=("h_next",),
    ),
    Exercise(
        "rnn.rnn_step_backward", "rnn", "backward", 2,
        hints=(
            "Undo the tanh first, then it is an affine layer with two inputs.",
            "da = dh_next · (1 − h_next²).",
            "dx = da @ Wxᵀ; dh_prev = da @ Whᵀ; dWx = xᵀ @ da; dWh = h_prevᵀ @ da; db = da.sum(axis=0).",
        ),
        cases=_RNN_STEP_CASES,
        outputs=("dx", "dh_prev", "dWx", "dWh", "db"),
        forward="rnn.rnn_step_forward",
    ),
    Exercise(
        "rnn.rnn_forward", "rnn", "forward", 2,
        hints=(
            "Loop over time, feeding each step's output into the next step as h_prev.",
            "x[:, t, :] is the (N, D) input at time t; start from h0.",
            "Store every h_t in h[:, t, :] of an (N, T, H) array, and keep each step's cache in a list.",
        ),
        cases=_RNN_CASES,
        outputs=("h",),
    ),
    Exercise(
        "rnn.rnn_backward", "rnn", "backward", 3,
        hints=(
            "Loop over time backwards. Each state h_t receives gradient from two places: the loss "
            "(dh[:, t]) and the next step (through h_prev).",
            "At step t the upstream gradient is dh[:, t] + dh_prev carried from step t + 1; rnn_step_backward "
            "does the rest.",
            "Sum dWx, dWh and db over all steps; dx[:, t] comes from step t; dh0 is the dh_prev left after "
            "step 0.",
        ),
        cases=_RNN_CASES,
        outputs=("dx", "dh0", "dWx", "dWh", "db"),
        forward="rnn.rnn_forward",
    ),
    Exercise(
        "rnn.softmax", "rnn", "function", 2,
        hints=(
            "Exponentiate, then divide by the sum along the last axis — but e¹⁰⁰⁰ overflows.",
            "Softmax does not change if you subtract the same number from every logit of a row.",
            "e = np.exp(z - z.max(axis=-1, keepdims=True)); return e / e.sum(axis=-1, keepdims=True)",
        ),
        cases=_cases(
            Case("z (4, 5)", lambda rng: {"z": _randn(rng, 4, 5, scale=2.0)}),
            Case("one row, z (1, 6)", lambda rng: {"z": _randn(rng, 1, 6, scale=2.0)}),
            Case("three axes, z (2, 3, 4)", lambda rng: {"z": _randn(rng, 2, 3, 4)}),
            Case("logits as large as 1000", lambda rng: {"z": _big_logits(rng, 3, 4)}, edge=True),
        ),
    ),
    # ===== lesson "losses" =====
    Exercise(
        "layers.mse_loss", "losses", "function", 1,
        hints=(
            "The mean runs over every element, not only over the batch.",
            "d/d pred of (pred − y)² is 2 (pred − y); the mean divides by the number of elements.",
            "diff = pred - y; return np.mean(diff ** 2), 2 * diff / diff.size",
        ),
        cases=_cases(
            Case("pred (4, 3)", lambda rng: {"pred": _randn(rng, 4, 3), "y": _randn(rng, 4, 3)}),
            Case("one sample, pred (1, 5)", lambda rng: {"pred": _randn(rng, 1, 5), "y": _randn(rng, 1, 5)}),
            Case("pred (6,)", lambda rng: {"pred": _randn(rng, 6), "y": _randn(rng, 6)}),
        ),
        outputs=("loss", "dpred"),
    ),
    Exercise(
        "layers.softmax_cross_entropy", "losses", "function", 2,
        hints=(
            "Work with log-probabilities: log softmax(s) = s − max − log Σ exp(s − max) never overflows.",
            "The loss is the mean over the batch of −log p[i, y[i]]; index with p[np.arange(N), y].",
            "dscores = (softmax(scores) − one_hot(y)) / N.",
        ),
        cases=_cases(
            Case("N=4, C=5", lambda rng: {"scores": _randn(rng, 4, 5, scale=2.0), "y": _labels(rng, 4, 5)}),
            Case("one sample, N=1, C=3", lambda rng: {"scores": _randn(rng, 1, 3, scale=2.0), "y": _labels(rng, 1, 3)}),
            Case("N=6, C=2", lambda rng: {"scores": _randn(rng, 6, 2, scale=2.0), "y": _labels(rng, 6, 2)}),
            Case("scores as large as 1000", _big_scores, edge=True),
        ),
        outputs=("loss", "dscores"),
    ),
    # ===== lesson "regularization" =====
    Exercise(
        "regularization.l1_penalty", "regularization", "function", 1,
        hints=(
            "The penalty adds up the absolute values; its gradient only cares about signs.",
            "d|w|/dw is +1 for w > 0 and −1 for w < 0; at exactly 0, np.sign's 0 and either one-sided ±1 are accepted.",
            "return alpha * np.abs(w).sum(), alpha * np.sign(w)",
        ),
        cases=_cases(
            Case("w (4, 3), alpha=0.1", lambda rng: {"w": _randn(rng, 4, 3), "alpha": 0.1}),
            Case("w (6,), alpha=0.5", lambda rng: {"w": _randn(rng, 6), "alpha": 0.5}),
            Case("w with exact zeros, alpha=0.3 (a kink)", lambda rng: {"w": _with_zeros(rng, 3, 5), "alpha": 0.3},
                 edge=True, kink=True),
        ),
        outputs=("value", "dw"),
    ),
    Exercise(
        "regularization.l2_penalty", "regularization", "function", 1,
        hints=(
            "Squares, summed, times alpha / 2.",
            "The ½ is there so that it cancels the 2 from differentiating w².",
            "return alpha / 2 * np.sum(w ** 2), alpha * w",
        ),
        cases=_cases(
            Case("w (4, 3), alpha=0.1", lambda rng: {"w": _randn(rng, 4, 3), "alpha": 0.1}),
            Case("w (6,), alpha=0.5", lambda rng: {"w": _randn(rng, 6), "alpha": 0.5}),
        ),
        outputs=("value", "dw"),
    ),
    Exercise(
        "regularization.elastic_net_penalty", "regularization", "function", 1,
        hints=(
            "A weighted blend of the two penalties you already have.",
            "r weights the L1 part and (1 − r) the L2 part; both use the same alpha, and so do their gradients.",
            "v1, g1 = l1_penalty(w, alpha); v2, g2 = l2_penalty(w, alpha); "
            "return r * v1 + (1 - r) * v2, r * g1 + (1 - r) * g2",
        ),
        cases=_cases(
            Case("w (4, 3), alpha=0.1, r=0.3", lambda rng: {"w": _randn(rng, 4, 3), "alpha": 0.1, "r": 0.3}),
            Case("w (6,), alpha=0.5, r=0.8", lambda rng: {"w": _randn(rng, 6), "alpha": 0.5, "r": 0.8}),
            Case("w with exact zeros, alpha=0.3, r=0.6 (a kink)",
                 lambda rng: {"w": _with_zeros(rng, 3, 5), "alpha": 0.3, "r": 0.6}, edge=True, kink=True),
        ),
        outputs=("value", "dw"),
    ),
    Exercise(
        "layers.dropout_forward", "regularization", "random", 2,
        hints=(
            "While training, drop each unit with probability p; when not training, return x unchanged.",
            "Draw the mask from the rng you are given: keep = rng.random(x.shape) >= p. Scale the kept units "
            "by 1 / (1 − p) so the expected output equals x.",
            "out = x * keep / (1 - p); put the mask (already scaled, if you like) and the mode in the cache.",
        ),
        cases=_DROPOUT_CASES,
        properties="dropout_forward",
        pair=True,
    ),
    Exercise(
        "layers.dropout_backward", "regularization", "random", 1,
        hints=(
            "A dropped unit did not contribute to the output, so it gets no gradient.",
            "Reuse the forward's mask from the cache — never draw a new one — and the same 1 / (1 − p) scale.",
            "dx = dout * keep / (1 - p) while training, and dx = dout in evaluation mode.",
        ),
        cases=_DROPOUT_CASES,
        outputs=("dx",),
        forward="layers.dropout_forward",
        properties="dropout_backward",
    ),
    # ===== lesson "cnn" =====
    Exercise(
        "cnn.convolve2d", "cnn", "function", 2,
        hints=(
            "Slide the kernel over every position where it fits entirely inside the image.",
            "Output pixel (i, j) is the sum of image[i:i+kh, j:j+kw] times the kernel, elementwise — no "
            "flipping of the kernel.",
            "Loop over the (H − kh + 1) × (W − kw + 1) positions and fill out[i, j] = np.sum(window * kernel).",
        ),
        cases=_cases(
            Case("image (6, 8), kernel (3, 2)", lambda rng: {"image": _randn(rng, 6, 8), "kernel": _randn(rng, 3, 2)}),
            Case("image (5, 7), kernel (2, 3)", lambda rng: {"image": _randn(rng, 5, 7), "kernel": _randn(rng, 2, 3)}),
            Case("a column kernel, image (4, 6), kernel (4, 1)",
                 lambda rng: {"image": _randn(rng, 4, 6), "kernel": _randn(rng, 4, 1)}),
        ),
    ),
    Exercise(
        "cnn.conv_forward", "cnn", "forward", 3,
        hints=(
            "Pad x with zeros on the two spatial axes only, then slide every filter over every position.",
            "The output is H' = (H + 2·pad − HH) // stride + 1 by W' = (W + 2·pad − WW) // stride + 1; "
            "the window of output (i, j) starts at row i·stride, column j·stride.",
            "out[n, f, i, j] = np.sum(xp[n, :, i·s : i·s+HH, j·s : j·s+WW] * w[f]) + b[f]; "
            "np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad))).",
        ),
        cases=_CONV_CASES,
    ),
    Exercise(
        "cnn.conv_backward", "cnn", "backward", 3,
        hints=(
            "Every output pixel came from one window of the padded input and one filter: send its "
            "gradient back to both.",
            "db sums dout over n, i and j; dw[f] accumulates dout[n, f, i, j] · window; the padded dx's "
            "window accumulates dout[n, f, i, j] · w[f] (+=: windows overlap).",
            "Compute dxp for the padded input, then cut the padding off: dx = dxp[:, :, pad:pad+H, pad:pad+W].",
        ),
        cases=_CONV_CASES,
        outputs=("dx", "dw", "db"),
        forward="cnn.conv_forward",
    ),
    Exercise(
        "cnn.max_pool_forward", "cnn", "forward", 2,
        hints=(
            "Each output is the largest value of one size × size window of one channel.",
            "H' = (H − size) // stride + 1 and W' likewise; window (i, j) starts at (i·stride, j·stride).",
            "out[:, :, i, j] = x[:, :, i·s : i·s+size, j·s : j·s+size].max(axis=(2, 3))",
        ),
        cases=_POOL_CASES,
    ),
    Exercise(
        "cnn.max_pool_backward", "cnn", "backward", 3,
        hints=(
            "Only the maximum of each window influenced the output, so only it receives gradient.",
            "For each window find where its maximum was (np.argmax on the flattened window, then "
            "np.unravel_index) and add dout there.",
            "Add (+=), do not assign: overlapping windows can share a maximum. With ties, give the "
            "gradient to one of the tied entries, not to all of them.",
        ),
        cases=_cases(
            *_POOL_CASES,
            Case("ties inside windows (a kink: any one of the tied entries is accepted)",
                 lambda rng: _pool_inputs(rng, (1, 2, 4, 6), ties=True), edge=True, kink=True),
        ),
        outputs=("dx",),
        forward="cnn.max_pool_forward",
        ties=TIES_ANY_MAXIMAL,
    ),
    # ===== lesson "momentum" =====
    Exercise(
        "optim.momentum_step", "momentum", "function", 1,
        hints=(
            "The velocity remembers past steps; the weights move by the new velocity.",
            "v_new = mu · v − lr · dw: the old velocity decays by mu, the gradient pushes downhill.",
            "v_new = mu * v - lr * dw; return w + v_new, v_new — new arrays, not updates in place.",
        ),
        cases=_cases(
            Case("w (4, 3), lr=0.1, mu=0.9",
                 lambda rng: {"w": _randn(rng, 4, 3), "dw": _randn(rng, 4, 3), "v": _randn(rng, 4, 3, scale=0.1),
                              "lr": 0.1, "mu": 0.9}),
            Case("w (6,), lr=0.05, mu=0.5",
                 lambda rng: {"w": _randn(rng, 6), "dw": _randn(rng, 6), "v": _randn(rng, 6, scale=0.1),
                              "lr": 0.05, "mu": 0.5}),
        ),
        outputs=("w_new", "v_new"),
    ),
    # ===== lesson "batchnorm" =====
    Exercise(
        "layers.batchnorm_forward", "batchnorm", "forward", 2,
        hints=(
            "Normalise every feature (column) over the batch (axis 0), then scale by gamma and shift by beta.",
            "Use the biased variance — the mean of squared deviations, dividing by N (np.var's default) — and "
            "put eps inside the square root.",
            "x_hat = (x − mean) / √(var + eps); out = gamma · x_hat + beta; cache x_hat, gamma and √(var + eps).",
        ),
        cases=_BATCHNORM_CASES,
    ),
    Exercise(
        "layers.batchnorm_backward", "batchnorm", "backward", 3,
        hints=(
            "dbeta and dgamma are easy (sums over the batch); dx is hard because every sample moved the "
            "mean and the variance.",
            "dgamma = Σ dout · x_hat over axis 0; dbeta = Σ dout over axis 0. Then dx_hat = dout · gamma.",
            "dx = (dx_hat − mean(dx_hat) − x_hat · mean(dx_hat · x_hat)) / √(var + eps), means over axis 0.",
        ),
        cases=_BATCHNORM_CASES,
        outputs=("dx", "dgamma", "dbeta"),
        forward="layers.batchnorm_forward",
    ),
]


def by_id(exercise_id: str) -> Exercise:
    for exercise in EXERCISES:
        if exercise.id == exercise_id:
            return exercise
    raise KeyError(exercise_id)


def select(selector: str | None) -> list[Exercise]:
    """All exercises, one module's (`layers`), or one (`layers.affine_forward`)."""
    if not selector:
        return list(EXERCISES)
    chosen = [e for e in EXERCISES if e.id == selector or e.module == selector]
    if not chosen:
        raise KeyError(selector)
    return chosen


# =========================================================================================
# New in this release (shared/EXERCISES.md, sections marked "new"): residual connections,
# the triplet loss, schedules and mini-batches, autoencoders, and a network of one's own.
# Appended here; the triplet loss is placed in the losses lesson, after cross-entropy.
# =========================================================================================

from tutor import mistake_variants as _m  # noqa: E402 - the new entries' known mistakes


def _residual_inputs(rng, n, d, h):
    return {"x": _randn(rng, n, d), "w1": _randn(rng, d, h, scale=0.5), "b1": _randn(rng, h, scale=0.5),
            "w2": _randn(rng, h, d, scale=0.5), "b2": _randn(rng, d, scale=0.5)}


_RESIDUAL_CASES = _cases(
    Case("N=4, D=5, H=3", lambda rng: _residual_inputs(rng, 4, 5, 3)),
    Case("one sample, N=1, D=3, H=6", lambda rng: _residual_inputs(rng, 1, 3, 6)),
    Case("N=6, D=2, H=7", lambda rng: _residual_inputs(rng, 6, 2, 7)),
)


def _residual_norms_case(name, n, d, layers, activation, scale=1.0):
    def make(rng):
        return {"x": _randn(rng, n, d), "weights": [_randn(rng, d, d, scale=scale / np.sqrt(d)) for _ in range(layers)],
                "activation": activation}
    return Case(name, make)


def _relu(z):
    return np.maximum(z, 0)


def _no_skip_forward(x, w1, b1, w2, b2):
    return _relu(x @ w1 + b1) @ w2 + b2


def _branch_only_dx(inputs, got, expected, rtol):
    """dx without the skip path's dout: the expected dx minus the upstream gradient."""
    from tutor.engine import compare

    dout = inputs.get("dout")
    return dout is not None and got.shape == expected.shape and compare.agrees(got, expected - dout, rtol)


_ACT = {"sigmoid": (lambda z: 1 / (1 + np.exp(-z)), lambda z: np.exp(-np.abs(z)) / (1 + np.exp(-np.abs(z))) ** 2),
        "tanh": (np.tanh, lambda z: 1 - np.tanh(z) ** 2),
        "relu": (_relu, lambda z: (z > 0).astype(np.float64))}


def _plain_norms(x, weights, activation):
    """The residual net's norms with the identity path left out of the backward only."""
    act, slope = _ACT[activation]
    hs, zs = [x], []
    for w in weights:
        zs.append(hs[-1] @ w)
        hs.append(hs[-1] + act(zs[-1]))
    dh, norms = np.ones_like(hs[-1]), []
    for layer in reversed(range(len(weights))):
        dz = dh * slope(zs[layer])
        norms.append(np.linalg.norm(hs[layer].T @ dz))
        dh = dz @ weights[layer].T
    return np.array(norms[::-1])


def _autoencoder_inputs(rng, n, d, k):
    return {"x": _randn(rng, n, d), "w_enc": _randn(rng, d, k, scale=0.6), "b_enc": _randn(rng, k, scale=0.3),
            "w_dec": _randn(rng, k, d, scale=0.6), "b_dec": _randn(rng, d, scale=0.3)}


_AUTOENCODER_CASES = _cases(
    Case("N=4, D=6, K=2", lambda rng: _autoencoder_inputs(rng, 4, 6, 2)),
    Case("one sample, N=1, D=5, K=3", lambda rng: _autoencoder_inputs(rng, 1, 5, 3)),
    Case("N=7, D=8, K=3", lambda rng: _autoencoder_inputs(rng, 7, 8, 3)),
)


def _encode_inputs(rng, n, d, k):
    made = _autoencoder_inputs(rng, n, d, k)
    return {"x": made["x"], "w_enc": made["w_enc"], "b_enc": made["b_enc"]}


def _triplet_inputs(rng, n, d, margin=None, spread=1.0):
    anchor = _randn(rng, n, d)
    kw = {"anchor": anchor, "positive": anchor + _randn(rng, n, d, scale=0.6 * spread),
          "negative": anchor + _randn(rng, n, d, scale=0.8 * spread)}
    if margin is not None:
        kw["margin"] = margin
    return kw


def _triplet_mixed(rng):
    # Half the triplets inside the margin, half already satisfied: the max(0, ·) decides.
    kw = _triplet_inputs(rng, 6, 4, margin=0.5)
    kw["negative"][::2] = kw["anchor"][::2] + 3.0 * _nonzero(rng, 3, 4)
    kw["positive"][1::2] = kw["anchor"][1::2] + 2.5 * _nonzero(rng, 3, 4)
    return kw


def _triplet_satisfied(rng):
    kw = _triplet_inputs(rng, 3, 5, spread=0.2)
    kw["negative"] = kw["anchor"] + 3.0 * _nonzero(rng, 3, 5)
    return kw


def _triplet_terms(anchor, positive, negative, margin=0.2):
    return ((anchor - positive) ** 2).sum(1) - ((anchor - negative) ** 2).sum(1) + margin


def _triplet_no_hinge(anchor, positive, negative, margin=0.2):
    n = len(anchor)
    return (_triplet_terms(anchor, positive, negative, margin).mean(), 2 * (negative - positive) / n,
            -2 * (anchor - positive) / n, 2 * (anchor - negative) / n)


def _triplet_unsquared(anchor, positive, negative, margin=0.2):
    d = np.linalg.norm(anchor - positive, axis=1) - np.linalg.norm(anchor - negative, axis=1) + margin
    return (np.maximum(d, 0).mean(),)


def _triplet_margin_flipped(anchor, positive, negative, margin=0.2):
    return (np.maximum(_triplet_terms(anchor, positive, negative, -margin), 0).mean(),)


def _triplet_distances_swapped(anchor, positive, negative, margin=0.2):
    return (np.maximum(_triplet_terms(anchor, negative, positive, margin), 0).mean(),)


def _triplet_hinge_on_loss(anchor, positive, negative, margin=0.2):
    # max(0, ·) of the mean instead of the mean of max(0, ·): satisfied triplets still pull.
    return (max(0.0, _triplet_terms(anchor, positive, negative, margin).mean()),)


def _step_decay_case(name, lr0, epoch, drop=None, every=None, edge=False):
    def make(rng):
        kw = {"lr0": lr0, "epoch": epoch}
        if drop is not None:
            kw["drop"] = drop
        if every is not None:
            kw["every"] = every
        return kw
    return Case(name, make, edge=edge)


def _exp_decay_case(name, lr0, epoch, k, edge=False):
    return Case(name, lambda rng: {"lr0": lr0, "epoch": epoch, "k": k}, edge=edge)


def _batches_case(name, n, size, edge=False):
    # The generator is the grader's own, seeded per case (a Generator in a case becomes one).
    return Case(name, lambda rng: {"n": n, "batch_size": size, "rng": rng}, edge=edge)


def _predict_inputs(rng, n, d, h, c):
    return {"X": rng.uniform(0, 1, (n, d)), "W1": _randn(rng, d, h, scale=0.7), "b1": _randn(rng, h, scale=0.3),
            "W2": _randn(rng, h, c, scale=0.7), "b2": _randn(rng, c, scale=0.3)}


def _digits_case(rng):
    from tutor import digits

    X, y = digits.train_split()
    return {"X": X, "y": y, "hidden_size": CAPSTONE["hidden_size"], "num_classes": 10,
            "epochs": CAPSTONE["epochs"], "lr": CAPSTONE["lr"], "batch_size": CAPSTONE["batch_size"]}


# The capstone's settings: a correct network reaches about 95 % on the held-out digits in
# a few hundredths of a second (benchmarks/bench_grade_class.py prints the cost per student).
CAPSTONE = {"hidden_size": 32, "epochs": 15, "lr": 0.8, "batch_size": 100}


_MINIBATCH_MISTAKES = (
    _m.Mistake("batches", "leaves out the last, shorter batch: when batch_size does not divide n, the "
               "samples left over form one more batch (range(0, n, batch_size) gets there)", _m.drops_last_batch),
    _m.Mistake("batches", "is in the order 0, 1, 2, …: shuffle first, order = rng.permutation(n), then cut",
               _m.unshuffled),
    _m.Mistake("batches", "holds every index once in batches of the right sizes, but not in the order "
               "rng.permutation(n) gives: draw the order from the rng you are given (not np.random, not a "
               "generator of your own, not a permutation kept from an earlier call), with one call to "
               "permutation", _m.other_order),
    _m.Mistake("batches", "holds every index once, but in batches of the wrong sizes: cut the shuffled order "
               "into consecutive slices order[i:i + batch_size]; only the last may be shorter", _m.wrong_sizes),
)

NEW_EXERCISES: list[Exercise] = [
    # ===== lesson "practice" =====
    Exercise(
        "optim.minibatches", "practice", "function", 2,
        hints=(
            "Shuffle the indices once, then cut the shuffled order into consecutive pieces.",
            "order = rng.permutation(n) — from the rng you are given; the pieces start at 0, batch_size, "
            "2·batch_size, …, and the last one may be shorter.",
            "return [order[i:i + batch_size] for i in range(0, n, batch_size)]",
        ),
        cases=_cases(
            _batches_case("n=10, batch_size=3: a shorter last batch", 10, 3),
            _batches_case("n=12, batch_size=4", 12, 4),
            _batches_case("n=7, batch_size=10: one batch, shorter than batch_size", 7, 10, edge=True),
            _batches_case("n=5, batch_size=1: pure SGD", 5, 1, edge=True),
        ),
        outputs=("batches",),
        encode="batches",
        exact=True,
        mistakes=_MINIBATCH_MISTAKES,
    ),
    Exercise(
        "optim.lr_step_decay", "practice", "function", 1,
        hints=(
            "The rate stays flat for `every` epochs, then drops by the factor `drop`.",
            "Count the drops so far with integer division: epoch // every (epochs count from 0).",
            "return lr0 * drop ** (epoch // every)",
        ),
        cases=_cases(
            _step_decay_case("epoch 25, drop=0.5, every=10", 0.1, 25, 0.5, 10),
            _step_decay_case("epoch 11, the last before a drop, drop=0.3, every=4", 0.8, 11, 0.3, 4),
            _step_decay_case("epoch 7, defaults", 0.05, 7),
            _step_decay_case("epoch 10, exactly on a drop, every=5", 0.2, 10, 0.1, 5),
            _step_decay_case("epoch 0: lr0 itself", 0.2, 0, 0.1, 5, edge=True),
        ),
        outputs=("lr",),
        mistakes=(
            _m.mistake("lr", "drops one epoch too early: epochs count from 0, so the first drop comes at "
                       "epoch `every`, not every − 1 (use epoch // every, not (epoch + 1) // every)",
                       lambda lr0, epoch, drop=0.5, every=10: lr0 * drop ** ((epoch + 1) // every)),
            _m.mistake("lr", "decays smoothly: the schedule drops in steps, so use integer division, "
                       "epoch // every, not epoch / every",
                       lambda lr0, epoch, drop=0.5, every=10: lr0 * drop ** (epoch / every)),
            _m.mistake("lr", "drops one epoch too late: the first drop comes at epoch `every` "
                       "(use epoch // every, not (epoch − 1) // every)",
                       lambda lr0, epoch, drop=0.5, every=10: lr0 * drop ** (max(epoch - 1, 0) // every)),
            _m.mistake("lr", "multiplies by drop · (number of drops) instead of raising drop to that power: "
                       "lr0 · drop ** (epoch // every)",
                       lambda lr0, epoch, drop=0.5, every=10: lr0 * drop * (epoch // every)),
        ),
    ),
    Exercise(
        "optim.lr_exponential_decay", "practice", "function", 1,
        hints=(
            "Epoch 0 gives lr0; every epoch multiplies the rate by the same factor e^(−k).",
            "The exponent is −k · epoch: a minus sign, or the rate grows.",
            "return lr0 * np.exp(-k * epoch)",
        ),
        cases=_cases(
            _exp_decay_case("epoch 5, k=0.1", 0.1, 5, 0.1),
            _exp_decay_case("epoch 30, k=0.05", 0.5, 30, 0.05),
            _exp_decay_case("epoch 0: lr0 itself", 0.3, 0, 0.2, edge=True),
            _exp_decay_case("k=0: no decay", 0.3, 12, 0.0, edge=True),
        ),
        outputs=("lr",),
        mistakes=(
            _m.mistake("lr", "grows: the exponent is −k · epoch, with a minus sign",
                       lambda lr0, epoch, k: lr0 * np.exp(k * epoch)),
            _m.mistake("lr", "is one epoch ahead: epoch 0 must give lr0 itself (e^(−k · epoch), not "
                       "e^(−k · (epoch + 1)))", lambda lr0, epoch, k: lr0 * np.exp(-k * (epoch + 1))),
            _m.mistake("lr", "uses (1 − k) ** epoch, which is close to e^(−k · epoch) only for small k: "
                       "use np.exp(-k * epoch)", lambda lr0, epoch, k: lr0 * (1 - k) ** epoch),
            _m.mistake("lr", "divides instead of decaying exponentially: lr0 · e^(−k · epoch), not "
                       "lr0 / (1 + k · epoch)", lambda lr0, epoch, k: lr0 / (1 + k * epoch)),
        ),
    ),
    # ===== lesson "deeper" =====
    Exercise(
        "resnet.residual_forward", "deeper", "forward", 1,
        hints=(
            "The block computes a small two-layer network, then adds its own input to the result.",
            "a = x @ w1 + b1, h = relu(a), and out = x + h @ w2 + b2: w2 brings the width back to D so "
            "that x can be added.",
            "Cache x, w1, w2, a and h: the backward needs the ReLU's mask and both weights.",
        ),
        cases=_RESIDUAL_CASES,
        mistakes=(
            _m.mistake("out", "is the branch alone: a residual block adds its input back, out = x + F(x)",
                       _no_skip_forward),
            _m.mistake("out", "has no ReLU between the two layers: h = relu(x @ w1 + b1)",
                       lambda x, w1, b1, w2, b2: x + (x @ w1 + b1) @ w2 + b2),
        ),
    ),
    Exercise(
        "resnet.residual_backward", "deeper", "backward", 2,
        hints=(
            "Two paths lead from x to out: through the branch, and straight along the skip connection.",
            "Through the branch it is an affine layer, a ReLU, an affine layer: dw2 = hᵀ dout, db2 = Σ dout, "
            "dh = dout w2ᵀ, da = dh · (a > 0), dw1 = xᵀ da, db1 = Σ da.",
            "dx = dout + da @ w1ᵀ: the skip path adds dout itself.",
        ),
        cases=_RESIDUAL_CASES,
        outputs=("dx", "dw1", "db1", "dw2", "db2"),
        forward="resnet.residual_forward",
        mistakes=(
            _m.Mistake("dx", "misses the skip path: x reaches out directly too, so dx = dout + (the "
                       "branch's gradient)", _branch_only_dx),
        ),
    ),
    Exercise(
        "resnet.residual_gradient_norms", "deeper", "function", 2,
        hints=(
            "The forward keeps every h_l and every pre-activation z_l = h_(l−1) W_l; the loss is a plain sum, "
            "so the backward starts from dh = 1.",
            "At layer l: dz = dh · act'(z_l), dW_l = h_(l−1)ᵀ dz — and the gradient that flows on to h_(l−1) "
            "is dh + dz W_lᵀ, because h_l = h_(l−1) + …",
            "Collect np.linalg.norm(dW) per layer, walking back, then reverse the list.",
        ),
        cases=_cases(
            _residual_norms_case("sigmoid, N=3, D=4, 5 layers", 3, 4, 5, "sigmoid", scale=1.5),
            _residual_norms_case("tanh, N=2, D=5, 4 layers", 2, 5, 4, "tanh"),
            _residual_norms_case("relu, N=1, D=3, 3 layers", 1, 3, 3, "relu"),
            _residual_norms_case("sigmoid, ten layers, N=4, D=3", 4, 3, 10, "sigmoid", scale=1.5),
        ),
        outputs=("norms",),
        mistakes=(
            _m.mistake("norms", "leave the identity path out of the backward: the gradient flowing on to "
                       "h_(l−1) is dh + dz W_lᵀ, because h_l = h_(l−1) + act(z_l)", _plain_norms),
        ),
    ),
    # ===== lesson "unsupervised" =====
    Exercise(
        "autoencoder.autoencoder_forward", "unsupervised", "forward", 1,
        hints=(
            "Two layers: the encoder squeezes x to K numbers with a tanh, the decoder rebuilds D numbers "
            "from them, with no activation.",
            "code = tanh(x @ w_enc + b_enc) is (N, K); recon = code @ w_dec + b_dec is (N, D).",
            "Cache x, w_enc, w_dec and code: tanh's derivative is 1 − code².",
        ),
        cases=_AUTOENCODER_CASES,
        outputs=("recon",),
        mistakes=(
            _m.mistake("recon", "passes the decoder's output through tanh too: the reconstruction is linear, "
                       "recon = code @ w_dec + b_dec",
                       lambda x, w_enc, b_enc, w_dec, b_dec: np.tanh(np.tanh(x @ w_enc + b_enc) @ w_dec + b_dec)),
            _m.mistake("recon", "uses a sigmoid for the code: the contract's code is tanh(x @ w_enc + b_enc)",
                       lambda x, w_enc, b_enc, w_dec, b_dec: (1 / (1 + np.exp(-(x @ w_enc + b_enc)))) @ w_dec + b_dec),
        ),
    ),
    Exercise(
        "autoencoder.autoencoder_backward", "unsupervised", "backward", 2,
        hints=(
            "Backwards: the decoder (an affine layer), the tanh, the encoder (another affine layer).",
            "dw_dec = codeᵀ dout, db_dec = Σ dout, dcode = dout w_decᵀ, dz = dcode · (1 − code²).",
            "dw_enc = xᵀ dz, db_enc = Σ dz, dx = dz w_encᵀ.",
        ),
        cases=_AUTOENCODER_CASES,
        outputs=("dx", "dw_enc", "db_enc", "dw_dec", "db_dec"),
        forward="autoencoder.autoencoder_forward",
    ),
    Exercise(
        "autoencoder.encode", "unsupervised", "function", 1,
        hints=(
            "Only the first half of the autoencoder.",
            "An affine layer from D to K numbers, then tanh.",
            "return np.tanh(x @ w_enc + b_enc)",
        ),
        cases=_cases(
            Case("N=5, D=6, K=2", lambda rng: _encode_inputs(rng, 5, 6, 2)),
            Case("one sample, N=1, D=4, K=3", lambda rng: _encode_inputs(rng, 1, 4, 3)),
        ),
        outputs=("code",),
        mistakes=(
            _m.mistake("code", "is missing the tanh: code = tanh(x @ w_enc + b_enc)",
                       lambda x, w_enc, b_enc: x @ w_enc + b_enc),
        ),
    ),
    # ===== lesson "capstone" =====
    Exercise(
        "train.predict", "capstone", "function", 1,
        hints=(
            "Run the network forward and pick, for every row, the class with the largest score.",
            "scores = relu(X @ W1 + b1) @ W2 + b2 is (N, C); the class is an index along axis 1.",
            "return scores.argmax(axis=1)",
        ),
        cases=_cases(
            Case("N=6, D=8, H=5, C=4", lambda rng: _predict_inputs(rng, 6, 8, 5, 4)),
            Case("one sample, N=1, D=7, H=3, C=5", lambda rng: _predict_inputs(rng, 1, 7, 3, 5)),
        ),
        outputs=("labels",),
        exact=True,
        mistakes=(
            _m.mistake("labels", "comes from a network without its ReLU: the hidden layer is "
                       "relu(X @ W1 + b1)",
                       lambda X, W1, b1, W2, b2: ((X @ W1 + b1) @ W2 + b2).argmax(axis=1)),
            _m.mistake("labels", "is the index of the smallest score: use argmax, not argmin",
                       lambda X, W1, b1, W2, b2: (_relu(X @ W1 + b1) @ W2 + b2).argmin(axis=1)),
        ),
    ),
    Exercise(
        "train.train_classifier", "capstone", "random", 3,
        hints=(
            "Reuse what you wrote: from layers import affine_forward, affine_backward, softmax_cross_entropy; "
            "from activations import relu_forward, relu_backward; from initialization import xavier_normal; "
            "from optim import minibatches, sgd_step.",
            "One step: affine → ReLU → affine → softmax_cross_entropy on the batch X[idx], y[idx]; then the "
            "backwards in reverse order; then sgd_step on W1, b1, W2, b2.",
            "for epoch in range(epochs): for idx in minibatches(len(X), batch_size, rng): … — and keep the "
            "updated arrays (W1 = sgd_step(W1, dW1, lr)) for the next batch.",
        ),
        cases=_cases(Case("1297 training digits, hidden_size=32, 15 epochs", _digits_case)),
        outputs=("W1", "b1", "W2", "b2"),
        properties="classifier",
    ),
]

_TRIPLET = Exercise(
    "layers.triplet_loss", "losses", "function", 2,
    hints=(
        "Per triplet: how much farther the positive is than the negative, plus the margin; the loss only "
        "counts the triplets where that is positive.",
        "d = Σ (a − p)² − Σ (a − n)² + margin, summed along axis 1; loss = mean of max(0, d). The gradients "
        "are 0 for the triplets with d ≤ 0.",
        "For the active triplets: d_anchor = 2 (n − p) / N, d_positive = −2 (a − p) / N, "
        "d_negative = 2 (a − n) / N.",
    ),
    cases=_cases(
        Case("N=4, D=3", lambda rng: _triplet_inputs(rng, 4, 3)),
        Case("one triplet, N=1, D=5, margin=1.0", lambda rng: _triplet_inputs(rng, 1, 5, margin=1.0)),
        Case("N=6, D=4, margin=0.5: some triplets already satisfied", _triplet_mixed),
        Case("every triplet already satisfied: the loss is 0", _triplet_satisfied, edge=True),
    ),
    outputs=("loss", "d_anchor", "d_positive", "d_negative"),
    mistakes=(
        _m.mistake("loss", "is the mean of d without max(0, ·): a triplet whose negative is already farther "
                   "than the positive by the margin must cost 0, not a negative amount", _triplet_no_hinge, 0),
        _m.mistake("loss", "takes max(0, ·) of the mean instead of the mean of max(0, ·): clip every "
                   "triplet's d on its own", _triplet_hinge_on_loss, 0),
        _m.mistake("loss", "uses plain distances ‖a − p‖; the triplet loss here uses squared distances",
                   _triplet_unsquared, 0),
        _m.mistake("loss", "subtracts the margin: d = ‖a − p‖² − ‖a − n‖² + margin", _triplet_margin_flipped, 0),
        _m.mistake("loss", "swaps the positive and the negative: the anchor is pulled to the positive, "
                   "d = ‖a − p‖² − ‖a − n‖² + margin", _triplet_distances_swapped, 0),
        _m.mistake("d_anchor", "also moves the triplets that are already satisfied: their gradient is 0 "
                   "(keep a mask of d > 0)", _triplet_no_hinge, 1),
        _m.mistake("d_positive", "also moves the triplets that are already satisfied: their gradient is 0 "
                   "(keep a mask of d > 0)", _triplet_no_hinge, 2),
        _m.mistake("d_negative", "also moves the triplets that are already satisfied: their gradient is 0 "
                   "(keep a mask of d > 0)", _triplet_no_hinge, 3),
    ),
)

EXERCISES += NEW_EXERCISES
EXERCISES.insert(next(i for i, e in enumerate(EXERCISES) if e.id == "layers.softmax_cross_entropy") + 1, _TRIPLET)
