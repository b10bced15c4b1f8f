"""The statistical judges of the randomised exercises (kind="random"), run in the trusted parent.

A random function cannot be compared with the reference value by value: its answer depends
on the draws. It is judged by properties a correct implementation has whatever the seed
(a mean, a standard deviation, a drop rate, a mask shared with the backward, what a trained
network achieves), with bounds chosen so that a correct implementation fails with
probability below 1e-9. The manifest names the judge of each exercise (Exercise.properties);
verdicts.py calls judge().

    judge(name, inputs, outputs) -> list[str]   the problems, written for the learner (empty: correct)
"""
from __future__ import annotations

import numpy as np

CAPSTONE_ACCURACY = 0.90      # the capstone's held-out digits a trained network must name


# ---------------------------------------------------------------------------------------
# Properties of the randomised exercises (kind="random"), run in the trusted parent.
#
# Convention (the engine's side of it): `inputs` is the case's keyword arguments (the rng
# the grader passes in is not part of them); `outputs` maps the exercise's `outputs` names
# to the learner's return values. For a random *backward* (forward="layers.dropout_forward")
# the learner's forward runs first on the case's inputs and rng, then the backward on an
# upstream gradient: `inputs` also holds that gradient as "dout", and `outputs` also holds
# the forward's output as "out". Each function returns a list of problems (empty: correct),
# written for the learner.
#
# The bounds are chosen so that a correct implementation fails with probability < 1e-9 on
# any case, whatever the seed; the arithmetic is next to each bound.
# ---------------------------------------------------------------------------------------

# One-sided tail probability allowed per statistical test. A case runs at most 3 tests,
# so a correct implementation fails a case with probability below 3 · 1e-10 < 1e-9.
_TAIL = 1e-10


def _as_float_array(value, name: str, problems: list[str]):
    try:
        arr = np.asarray(value)
    except Exception:  # pragma: no cover - exotic objects
        arr = None
    if arr is None or arr.dtype == object or not np.issubdtype(arr.dtype, np.number) or np.iscomplexobj(arr):
        problems.append(f"{name} must be a real NumPy array, got {type(value).__name__}")
        return None
    return arr.astype(np.float64)


def _hoeffding(n: int, delta: float = _TAIL) -> float:
    """t with P(|mean of n Bernoulli draws - p| >= t) <= delta, by Hoeffding: 2·exp(-2·n·t²) = delta."""
    return float(np.sqrt(np.log(2.0 / delta) / (2.0 * n)))


def xavier_properties(inputs: dict, outputs: dict) -> list[str]:
    """Shape (n_in, n_out); mean ≈ 0, std ≈ sqrt(2 / (n_in + n_out)); normal, not uniform.

    With n = n_in·n_out independent samples of N(0, σ²) (a correct implementation):
      * mean: the sample mean is exactly N(0, σ²/n). We allow |mean| <= 7·σ/√n;
        P(|Z| > 7) = 2.6e-12.
      * std: S = Σ w²/σ² is exactly χ²_n (the true mean is 0, so no degree of freedom
        is lost). Laurent & Massart (2000), Lemma 1: P(S - n >= 2√(n·x) + 2x) <= e^(-x)
        and P(n - S >= 2√(n·x)) <= e^(-x). With x = 25, e^(-25) = 1.4e-11 each side, so
        we allow mean(w²)/σ² in [1 - 2√(x/n), 1 + 2√(x/n) + 2x/n]. For the 300 × 200 case
        (n = 60,000) that is std within about -2.1% / +2.1% of σ: He's sqrt(2 / n_in)
        (+29%), a forgotten square root, sqrt(1 / (n_in + n_out)) (-29%) and the variance
        used as the std all fail.
      * normal: the fraction of |w| < σ is 0.6827 for a normal (0.5774 for a uniform of the
        same std). Hoeffding: P(|fraction - 0.6827| >= t) <= 2·exp(-2·n·t²) = 1e-10 gives
        t = sqrt(ln(2e10) / (2n)) = 0.0141 for n = 60,000.
    Total for a correct implementation: 2.6e-12 + 2.8e-11 + 1e-10 < 1.4e-10 per case.
    """
    problems: list[str] = []
    n_in, n_out = int(inputs["n_in"]), int(inputs["n_out"])
    w = _as_float_array(outputs.get("w"), "the result", problems)
    if w is None:
        return problems
    if w.shape != (n_in, n_out):
        return [f"shape {w.shape}, expected (n_in, n_out) = ({n_in}, {n_out})"]
    if not np.all(np.isfinite(w)):
        return ["the weights contain NaN or inf"]
    n = w.size
    sigma = np.sqrt(2.0 / (n_in + n_out))
    mean = float(w.mean())
    if abs(mean) > 7.0 * sigma / np.sqrt(n):
        problems.append(f"the mean of the weights is {mean:.4g}; Xavier-normal weights are centred on 0")
    x = 25.0
    ratio = float(np.mean(w**2)) / sigma**2
    low, high = 1.0 - 2.0 * np.sqrt(x / n), 1.0 + 2.0 * np.sqrt(x / n) + 2.0 * x / n
    if not low <= ratio <= high:
        std = float(np.sqrt(np.mean(w**2)))
        problems.append(
            f"the weights' standard deviation is {std:.4g}, expected sqrt(2 / (n_in + n_out)) = {sigma:.4g} "
            f"({std / sigma:.3g} times that){_named_std(std, n_in, n_out, n)}")
    elif abs(mean) <= 7.0 * sigma / np.sqrt(n):
        inside = float(np.mean(np.abs(w) < sigma))
        if abs(inside - 0.6827) > _hoeffding(n):
            problems.append(
                f"{inside:.1%} of the weights lie within one std of 0; a normal distribution puts 68.3% "
                "there: sample with rng.normal (or rng.standard_normal), not rng.uniform")
    return problems


def _named_std(std: float, n_in: int, n_out: int, n: int) -> str:
    """The std a known mistake gives (He's, the variance as the std...), when `std` is that one."""
    tolerance = 3.0 * np.sqrt(25.0 / n)      # as wide as the bound above, on the std instead of its square
    named = (
        (np.sqrt(2.0 / n_in), ": that is He's sqrt(2 / n_in); Xavier uses n_in + n_out"),
        (2.0 / (n_in + n_out), ": that is the variance 2 / (n_in + n_out); the std is its square root"),
        (np.sqrt(1.0 / (n_in + n_out)), ": a 1 where Xavier has 2, sqrt(1 / (n_in + n_out))"),
        (1.0, ": unscaled N(0, 1) samples; multiply by the std"),
    )
    return next((words for value, words in named if abs(std / value - 1.0) <= tolerance), "")


def _drop_rate_problem(dropped: np.ndarray, p: float) -> str | None:
    n = dropped.size
    rate = float(dropped.mean())
    t = _hoeffding(n)  # n = 10,000 gives t = 0.0344: 1e-10 chance a correct mask misses
    if abs(rate - p) > t:
        hint = " (is p the probability to *keep*? In this course p is the probability to drop)" \
            if abs(rate - (1 - p)) <= t else ""
        return f"dropped {rate:.1%} of the units with p = {p}: expected a drop rate of {p:.0%} (±{t:.1%}){hint}"
    return None


def dropout_forward_properties(inputs: dict, outputs: dict) -> list[str]:
    """Evaluation mode: out == x. Training: each unit is either 0 (dropped) or exactly
    x / (1 - p) (kept), and the drop rate is p within Hoeffding's bound for 1e-10."""
    problems: list[str] = []
    x, p, train = np.asarray(inputs["x"], dtype=np.float64), float(inputs["p"]), bool(inputs["train"])
    out = _as_float_array(outputs.get("out"), "out", problems)
    if out is None:
        return problems
    if out.shape != x.shape:
        return [f"out has shape {out.shape}, expected x's shape {x.shape}"]
    if not train:
        if not np.allclose(out, x, rtol=1e-12, atol=0.0):
            ratio = out.ravel()[0] / x.ravel()[0]
            return [f"with train=False dropout is the identity: out must equal x (got {ratio:.4g}·x at the "
                    "first entry; inverted dropout does all its scaling while training)"]
        return problems
    # The case's x has no zeros, so out == 0 means dropped.
    dropped = out == 0.0
    kept = ~dropped
    scale = 1.0 / (1.0 - p)
    if kept.any() and not np.allclose(out[kept], x[kept] * scale, rtol=1e-12, atol=0.0):
        ratios = out[kept] / x[kept]
        if np.allclose(ratios, ratios[0], rtol=1e-9):
            c = float(ratios[0])
            named = [(1.0, "1 (no scaling)"), (p, "p"), (1.0 - p, "1 - p")] + ([(1.0 / p, "1 / p")] if p > 0 else [])
            what = next((label for value, label in named if np.isclose(c, value, rtol=1e-9)), f"{c:.4g}")
            problems.append(f"kept units are scaled by {what}; inverted dropout scales them by "
                            f"1 / (1 - p) = {scale:.4g}")
        else:
            problems.append("out is neither 0 (dropped) nor x / (1 - p) (kept) unit by unit")
    rate = _drop_rate_problem(dropped, p)
    if rate:
        problems.append(rate)
    shared = _shared_mask_problem(dropped)
    if shared:
        problems.append(shared)
    return problems


def _shared_mask_problem(dropped: np.ndarray) -> str | None:
    """Units are dropped independently: no row (or column) all dropped or all kept in most of them.

    With independent drops of probability p in [0.3, 0.75], a line of at least 40 units is all
    dropped or all kept with probability at most 0.75^40 = 1e-5; that more than half of the
    (at least 40) lines are is then far below 1e-10. One mask shared by every row makes every
    column such a line (and a mask per row, shared by its columns, every row).
    """
    if dropped.ndim != 2 or min(dropped.shape) < 40:
        return None
    for axis, line, other in ((0, "column", "row"), (1, "row", "column")):
        uniform = dropped.all(axis=axis) | (~dropped).all(axis=axis)
        if uniform.mean() > 0.5:
            return (f"every {line} is dropped or kept as a whole: one mask is shared by every {other}; "
                    f"draw one mask value per unit, rng.random(x.shape) >= p")
    return None


def dropout_backward_properties(inputs: dict, outputs: dict) -> list[str]:
    """dx reuses the forward's mask: 0 exactly where the forward's out is 0, dout / (1 - p)
    elsewhere while training; dx == dout in evaluation mode."""
    problems: list[str] = []
    p, train = float(inputs["p"]), bool(inputs["train"])
    dout = np.asarray(inputs["dout"], dtype=np.float64)
    out = _as_float_array(outputs.get("out"), "the forward's out", problems)
    dx = _as_float_array(outputs.get("dx"), "dx", problems)
    if out is None or dx is None:
        return problems
    if dx.shape != dout.shape:
        return [f"dx has shape {dx.shape}, expected dout's shape {dout.shape}"]
    if not train:
        if not np.allclose(dx, dout, rtol=1e-12, atol=0.0):
            return ["with train=False the forward is the identity, so dx must equal dout"]
        return problems
    if out.shape != dout.shape:
        return [f"the forward's out has shape {out.shape}, expected {dout.shape}"]
    dropped = out == 0.0
    expected = np.where(dropped, 0.0, dout / (1.0 - p))
    if np.allclose(dx, expected, rtol=1e-12, atol=0.0):
        return problems
    if not np.array_equal(dx == 0.0, dropped):
        problems.append("dx must be 0 exactly where the forward dropped a unit and nowhere else: "
                        "reuse the forward's mask from the cache instead of drawing a new one")
    else:
        problems.append(f"the kept units' gradient must be dout / (1 - p) = dout · {1 / (1 - p):.4g}, "
                        "the same scale the forward applied")
    return problems




def classifier_properties(inputs: dict, outputs: dict) -> list[str]:
    """Shapes (D, H), (H,), (H, C), (C,), finite, and at least 90 % accuracy on held-out digits.

    The held-out digits are made here, in the trusted parent (tutor/digits.py), and never
    sent to the learner's code; accuracy is measured with the course's own predict.
    """
    from tutor import digits

    problems: list[str] = []
    D, H, C = inputs["X"].shape[1], int(inputs["hidden_size"]), int(inputs["num_classes"])
    shapes = {"W1": (D, H), "b1": (H,), "W2": (H, C), "b2": (C,)}
    params = []
    for name, shape in shapes.items():
        value = _as_float_array(outputs.get(name), name, problems)
        if value is None:
            return problems
        if value.shape != shape:
            return [f"{name} has shape {value.shape}, expected {shape} (return W1, b1, W2, b2 in that order)"]
        params.append(value)
    X, y = digits.held_out_split()
    with np.errstate(all="ignore"):
        predicted = (np.maximum(X @ params[0] + params[1], 0) @ params[2] + params[3]).argmax(axis=1)
    accuracy = float((predicted == y).mean())
    if accuracy >= CAPSTONE_ACCURACY:
        return problems
    if all(np.allclose(p, 0) for p in params[1::2]) and accuracy < 0.2:
        why = "the biases are still 0 and the accuracy is a guess's: are the parameters updated at all?"
    elif accuracy < 0.2:
        why = ("that is no better than guessing: check the sign of the step (w − lr·dw), and that each "
               "update is kept for the next batch")
    else:
        why = ("it learns, but not enough: does every epoch visit every batch, with a fresh shuffle, and "
               "does the backward divide by the batch size once (softmax_cross_entropy already does)?")
    problems.append(f"your network names {accuracy:.1%} of {len(y)} held-out digits correctly; at least "
                    f"{CAPSTONE_ACCURACY:.0%} is needed: {why}")
    return problems


JUDGES = {
    "xavier_normal": xavier_properties,
    "dropout_forward": dropout_forward_properties,
    "dropout_backward": dropout_backward_properties,
    "classifier": classifier_properties,
}


def judge(name: str, inputs: dict, outputs: dict) -> list[str]:
    """The problems the judge `name` finds (KeyError for a name no judge has)."""
    return JUDGES[name](inputs, outputs)
