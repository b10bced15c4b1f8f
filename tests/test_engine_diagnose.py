"""Every diagnosis the grader can give, each provoked by a planted bug in otherwise correct code.

The solutions are the starting point; each test appends a redefinition of one function to
its module (the later `def` wins) and checks what the grader says about that exercise.
"""
from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from tutor import manifest
from tutor.engine import Grader
from tutor.engine.run import read_sources

ROOT = Path(__file__).resolve().parents[1]
SOLUTIONS = read_sources(ROOT / "solutions")
EXERCISES = [
    "layers.affine_forward", "layers.affine_backward", "layers.mse_loss", "layers.dropout_forward",
    "layers.batchnorm_forward", "activations.relu_forward", "activations.relu_backward",
    "activations.sigmoid_forward", "rnn.softmax", "optim.sgd_step", "cnn.max_pool_backward",
    "regularization.l1_penalty", "perceptron.step",
]


@pytest.fixture(scope="module")
def grader():
    with Grader([manifest.by_id(i) for i in EXERCISES], timeout=5.0) as grader:
        yield grader


def planted(module: str, code: str, base: dict | None = None) -> dict:
    sources = dict(SOLUTIONS if base is None else base)
    sources[module] = sources[module] + "\n\nimport numpy as np\n" + textwrap.dedent(code)
    return sources


def result_of(grader, sources, exercise_id):
    return next(r for r in grader.grade(sources) if r.exercise == exercise_id)


def test_the_solutions_pass(grader):
    results = grader.grade(SOLUTIONS)
    assert [r.exercise for r in results if not r.passed] == []
    assert all(r.score == r.max_score and r.diagnosis == "ok" for r in results)


def test_wrong_shape(grader):
    r = result_of(grader, planted("layers", """
        def affine_forward(x, w, b):
            return (x @ w + b)[:, :-1], None
    """), "layers.affine_forward")
    assert (r.status, r.diagnosis) == ("failed", "shape")
    assert "shape (4, 2), expected (4, 3)" in r.message


def test_transposed(grader):
    r = result_of(grader, planted("layers", """
        def affine_backward(dout, cache):
            x, w = cache
            return dout @ w.T, (x.T @ dout).T, dout.sum(axis=0)
    """), "layers.affine_backward")
    assert r.diagnosis == "transposed"
    assert "your dw is the transpose" in r.message


def test_forgot_to_sum_over_the_batch(grader):
    r = result_of(grader, planted("layers", """
        def affine_backward(dout, cache):
            x, w = cache
            return dout @ w.T, x.T @ dout, dout
    """), "layers.affine_backward")
    assert r.diagnosis == "shape"
    assert "sum over the batch axis" in r.message and "db" in r.message


def test_averaged_instead_of_summed_names_the_batch(grader):
    r = result_of(grader, planted("layers", """
        def affine_backward(dout, cache):
            x, w = cache
            return dout @ w.T, x.T @ dout, dout.mean(axis=0)
    """), "layers.affine_backward")
    assert r.diagnosis == "factor"
    assert "your db is 1/4 of the expected: did you average over the batch of 4 instead of summing" in r.message
    assert 0 < r.score < r.max_score       # the N=1 case still passes: partial credit


def test_missing_mean_names_the_number_of_elements(grader):
    r = result_of(grader, planted("layers", """
        def mse_loss(pred, y):
            diff = pred - y
            return np.mean(diff ** 2), 2 * diff
    """), "layers.mse_loss")
    assert r.diagnosis == "factor"
    assert "your dpred is 12 times the expected" in r.message


def test_factor_two(grader):
    r = result_of(grader, planted("optim", """
        def sgd_step(w, dw, lr):
            return 2 * (w - lr * dw)
    """), "optim.sgd_step")
    assert r.diagnosis == "factor" and "twice the expected" in r.message


def test_flipped_sign(grader):
    r = result_of(grader, planted("activations", """
        def relu_backward(dout, cache):
            return -dout * (cache > 0)
    """), "activations.relu_backward")
    assert r.diagnosis == "sign"
    assert "your dx is the negative of the expected" in r.message


def test_nan_where_the_answer_is_finite(grader):
    r = result_of(grader, planted("activations", """
        def relu_forward(x):
            return np.sqrt(x) ** 2 * (x > 0) + 0 * np.sqrt(x), x
    """), "activations.relu_forward")
    assert r.diagnosis == "nonfinite"
    assert "NaN or inf" in r.message and "case 'x (4, 5)'" in r.message


def test_right_on_ordinary_inputs_wrong_on_edge_cases(grader):
    r = result_of(grader, planted("rnn", """
        def softmax(z):
            e = np.exp(z)
            return e / e.sum(axis=-1, keepdims=True)
    """), "rnn.softmax")
    assert r.diagnosis == "edge_cases"
    assert "right on ordinary inputs, wrong on the edge case 'logits as large as 1000'" in r.message
    assert "NaN or inf" in r.message
    assert any("overflow" in line for line in r.details)        # numpy's warning, shown per case
    assert r.score == pytest.approx(r.max_score * 3 / 4)


def test_modified_input(grader):
    r = result_of(grader, planted("activations", """
        def relu_forward(x):
            x[x < 0] = 0
            return x, x
    """), "activations.relu_forward")
    assert r.diagnosis == "modified_input"
    assert "changed its input array x" in r.message


def test_modified_upstream_gradient(grader):
    r = result_of(grader, planted("activations", """
        def relu_backward(dout, cache):
            dout[cache <= 0] = 0
            return dout
    """), "activations.relu_backward")
    assert r.diagnosis == "modified_input" and "dout" in r.message


@pytest.mark.parametrize("returned, words", [
    ('"the answer"', "a str"),
    ("None", "a NoneType"),
    ("np.array(['a', 'b'])", "an array of <U1"),
    ("[object()]", "a list that does not hold plain numbers"),
])
def test_not_an_array(grader, returned, words):
    r = result_of(grader, planted("optim", f"""
        def sgd_step(w, dw, lr):
            return {returned}
    """), "optim.sgd_step")
    assert r.diagnosis == "not_array"
    assert words in r.message


def test_array_tricks_are_refused(grader):
    r = result_of(grader, planted("optim", """
        class Sly:
            def __array__(self, dtype=None, copy=None):
                return np.zeros(3)
        def sgd_step(w, dw, lr):
            return Sly()
    """), "optim.sgd_step")
    assert r.diagnosis == "not_array" and "Sly" in r.message


def test_a_list_of_numbers_is_an_array(grader):
    r = result_of(grader, planted("optim", """
        def sgd_step(w, dw, lr):
            return (w - lr * dw).tolist()
    """), "optim.sgd_step")
    assert r.passed


def test_ndarray_subclass_is_read_as_its_data(grader):
    r = result_of(grader, planted("optim", """
        class Odd(np.ndarray):
            def __eq__(self, other):
                return True
        def sgd_step(w, dw, lr):
            return (w - lr * dw).view(Odd)
    """), "optim.sgd_step")
    assert r.passed


def test_wrong_number_of_values(grader):
    r = result_of(grader, planted("layers", """
        def affine_backward(dout, cache):
            x, w = cache
            return dout @ w.T, x.T @ dout
    """), "layers.affine_backward")
    assert r.diagnosis == "not_array"
    assert "must return 3 values (dx, dw, db)" in r.message


def test_forward_must_return_a_pair(grader):
    r = result_of(grader, planted("layers", """
        def affine_forward(x, w, b):
            return x @ w + b
    """), "layers.affine_forward")
    assert r.diagnosis == "not_array" and "(out, cache)" in r.message


@pytest.mark.parametrize("dtype, diagnosis", [("np.float32", "dtype"), ("np.complex128", "dtype")])
def test_wrong_dtype(grader, dtype, diagnosis):
    r = result_of(grader, planted("optim", f"""
        def sgd_step(w, dw, lr):
            return (w - lr * dw).astype({dtype}) + {"1e-4" if dtype == "np.float32" else "0"}
    """), "optim.sgd_step")
    assert r.diagnosis == diagnosis


def test_exception_shows_only_the_learners_traceback(grader):
    r = result_of(grader, planted("layers", """
        def helper(x):
            return x.reshape(3, 7)
        def affine_forward(x, w, b):
            return helper(x) @ w + b, None
    """), "layers.affine_forward")
    assert (r.status, r.diagnosis) == ("error", "exception")
    assert "ValueError" in r.message
    trace = "\n".join(r.details)
    assert 'File "layers.py"' in trace and "in helper" in trace and "in affine_forward" in trace
    assert "child.py" not in trace and "zygote" not in trace and "/tmp" not in trace


def test_not_implemented(grader):
    r = result_of(grader, planted("optim", """
        def sgd_step(w, dw, lr):
            raise NotImplementedError
    """), "optim.sgd_step")
    assert (r.status, r.diagnosis, r.score) == ("not_implemented", "not_implemented", 0)
    assert "not started yet" in r.message


def test_backward_waits_for_its_forward(grader):
    r = result_of(grader, planted("activations", """
        def relu_forward(x):
            raise NotImplementedError
    """), "activations.relu_backward")
    assert r.status == "not_implemented"
    assert "needs your relu_forward" in r.message


def test_missing_function(grader):
    sources = dict(SOLUTIONS)
    sources["optim"] = "import numpy as np\n"
    r = result_of(grader, sources, "optim.sgd_step")
    assert (r.status, r.diagnosis) == ("error", "missing_function")
    assert "optim.py has no function sgd_step" in r.message


def test_missing_module(grader):
    sources = {k: v for k, v in SOLUTIONS.items() if k != "optim"}
    r = result_of(grader, sources, "optim.sgd_step")
    assert r.diagnosis == "missing_function" and "no optim.py" in r.message


def test_syntax_error_names_the_line(grader):
    sources = planted("optim", """
        def broken(:
            pass
    """)
    line = sources["optim"].count("\n", 0, sources["optim"].index("def broken(")) + 1
    r = result_of(grader, sources, "optim.sgd_step")
    assert r.diagnosis == "missing_function"
    assert "optim.py does not import: SyntaxError" in r.message and f"line {line}" in r.message


def test_wrong_signature(grader):
    r = result_of(grader, planted("layers", """
        def affine_forward(x, w):
            return x @ w, None
    """), "layers.affine_forward")
    assert (r.status, r.diagnosis) == ("error", "signature")
    # The learner's own signature, and the contract's (arguments go by position: a third one is too many).
    assert "affine_forward(x, w)" in r.message and "the contract is affine_forward(x, w, b)" in r.message.lower()


def test_a_type_error_inside_the_function_is_an_exception(grader):
    r = result_of(grader, planted("layers", """
        def affine_forward(x, w, b):
            return len(5), None
    """), "layers.affine_forward")
    assert r.diagnosis == "exception" and "TypeError" in r.message


def test_backward_disagreeing_with_its_own_forward(grader):
    r = result_of(grader, planted("layers", """
        def affine_backward(dout, cache):
            x, w = cache
            return dout @ w.T + np.cos(x), x.T @ dout, dout.sum(axis=0)
    """), "layers.affine_backward")
    assert r.diagnosis == "forward_backward_disagree"
    assert "disagrees with your own affine_forward" in r.message and "bug is in the backward" in r.message


def test_backward_consistent_with_a_wrong_forward(grader):
    """The backward ran on the learner's own wrong forward: it is not blamed, the forward is."""
    sources = planted("layers", """
        def affine_forward(x, w, b):
            return x @ w + 2 * b, (x, w)
        def affine_backward(dout, cache):
            x, w = cache
            return dout @ w.T, x.T @ dout, 2 * dout.sum(axis=0)
    """)
    r = result_of(grader, sources, "layers.affine_backward")
    assert r.diagnosis == "wrong_forward"
    assert "your own affine_forward" in r.message and "cannot be judged until affine_forward passes" in r.message


def test_biased_variance_matters(grader):
    r = result_of(grader, planted("layers", """
        def batchnorm_forward(x, gamma, beta, eps=1e-5):
            x_hat = (x - x.mean(axis=0)) / np.sqrt(x.var(axis=0, ddof=1) + eps)
            return gamma * x_hat + beta, None
    """), "layers.batchnorm_forward")
    assert not r.passed and r.score == 0


def test_property_of_a_random_function(grader):
    r = result_of(grader, planted("layers", """
        def dropout_forward(x, p, train, rng):
            if not train:
                return x.copy(), None
            mask = rng.random(x.shape) >= p
            return x * mask, mask
    """), "layers.dropout_forward")
    assert r.diagnosis == "property"


def test_either_one_sided_derivative_at_a_kink(grader):
    for condition in ("cache >= 0", "cache > 0"):
        r = result_of(grader, planted("activations", f"""
            def relu_backward(dout, cache):
                return dout * ({condition})
        """), "activations.relu_backward")
        assert r.passed, (condition, r.message)
    r = result_of(grader, planted("regularization", """
        def l1_penalty(w, alpha):
            return alpha * np.abs(w).sum(), alpha * np.where(w >= 0, 1.0, -1.0)
    """), "regularization.l1_penalty")
    assert r.passed, r.message


def test_an_exact_zero_that_is_no_kink_is_strict(grader):
    r = result_of(grader, planted("perceptron", """
        def step(z):
            return (z >= 0).astype(float)
    """), "perceptron.step")
    assert not r.passed and "threshold is strict" in r.message


def test_a_wrong_value_at_the_kink_still_fails(grader):
    r = result_of(grader, planted("activations", """
        def relu_backward(dout, cache):
            return dout * np.where(cache == 0, 0.5, cache > 0)
    """), "activations.relu_backward")
    assert r.diagnosis == "edge_cases"


def test_max_pool_ties_may_go_to_any_one_maximum(grader):
    r = result_of(grader, planted("cnn", """
        def max_pool_backward(dout, cache):
            x, size, stride = cache
            dx = np.zeros_like(x)
            N, C = x.shape[:2]
            for i in range(dout.shape[2]):
                for j in range(dout.shape[3]):
                    window = x[:, :, i * stride:i * stride + size, j * stride:j * stride + size].reshape(N, C, -1)
                    last = window.shape[2] - 1 - window[:, :, ::-1].argmax(axis=2)   # the last maximum
                    for n in range(N):
                        for c in range(C):
                            a, b = divmod(int(last[n, c]), size)
                            dx[n, c, i * stride + a, j * stride + b] += dout[n, c, i, j]
            return dx
    """), "cnn.max_pool_backward")
    assert r.passed, r.message


def test_max_pool_ties_split_between_maxima_fail(grader):
    r = result_of(grader, planted("cnn", """
        def max_pool_backward(dout, cache):
            x, size, stride = cache
            dx = np.zeros_like(x)
            for i in range(dout.shape[2]):
                for j in range(dout.shape[3]):
                    rows, cols = slice(i * stride, i * stride + size), slice(j * stride, j * stride + size)
                    window = x[:, :, rows, cols]
                    hit = window == window.max(axis=(2, 3), keepdims=True)
                    dx[:, :, rows, cols] += hit * dout[:, :, i, j][:, :, None, None]
            return dx
    """), "cnn.max_pool_backward")
    assert not r.passed


def test_prints_are_captured_and_cannot_forge_results(grader):
    r = result_of(grader, planted("optim", """
        import os, sys, struct
        def sgd_step(w, dw, lr):
            print("hello from sgd_step")
            fake = b'{"type":"done"}'
            os.write(1, struct.pack("<IQ", len(fake), 0) + fake)
            sys.__stdout__.write("more")
            print("x" * 10000, file=sys.stderr)
            return w - lr * dw
    """), "optim.sgd_step")
    assert r.passed
    printed = "\n".join(r.details)
    assert "hello from sgd_step" in printed and "more characters not shown" in printed


def test_costs_only_its_own_exercise(grader):
    r = {x.exercise: x for x in grader.grade(planted("activations", """
        import os
        def relu_forward(x):
            os._exit(3)
        def relu_backward(dout, cache):
            import signal
            os.kill(os.getpid(), signal.SIGSEGV)
    """))}
    assert r["activations.relu_forward"].diagnosis == "crash"
    assert "status 3" in r["activations.relu_forward"].message
    assert r["activations.relu_backward"].diagnosis in ("crash", "exception")
    assert r["activations.sigmoid_forward"].passed and r["rnn.softmax"].passed


def test_sys_exit_is_a_crash_of_that_exercise(grader):
    r = {x.exercise: x for x in grader.grade(planted("optim", """
        import sys
        def sgd_step(w, dw, lr):
            sys.exit(4)
    """))}
    assert r["optim.sgd_step"].diagnosis == "crash" and "sys.exit(4)" in r["optim.sgd_step"].message
    assert all(x.passed for k, x in r.items() if k != "optim.sgd_step")


def test_timeout_costs_only_that_exercise():
    exercises = [manifest.by_id(i) for i in ("activations.relu_forward", "activations.relu_backward",
                                             "activations.sigmoid_forward")]
    sources = planted("activations", """
        def relu_backward(dout, cache):
            while True:
                pass
    """)
    with Grader(exercises, timeout=1.0) as grader:
        r = {x.exercise: x for x in grader.grade(sources)}
    assert (r["activations.relu_backward"].status, r["activations.relu_backward"].diagnosis) == ("error", "timeout")
    assert r["activations.relu_forward"].passed and r["activations.sigmoid_forward"].passed


def test_a_hanging_import_fails_its_module_once():
    exercises = [manifest.by_id(i) for i in ("optim.sgd_step", "optim.momentum_step", "layers.affine_forward")]
    sources = planted("optim", """
        while True:
            pass
    """)
    with Grader(exercises, timeout=1.0) as grader:
        r = {x.exercise: x for x in grader.grade(sources)}
    assert r["optim.sgd_step"].diagnosis == r["optim.momentum_step"].diagnosis == "timeout"
    assert "while importing optim.py" in r["optim.momentum_step"].message
    assert r["layers.affine_forward"].passed


def test_a_huge_answer_is_judged_by_its_shape(grader):
    r = result_of(grader, planted("optim", """
        def sgd_step(w, dw, lr):
            return np.zeros((1500, 1000))
    """), "optim.sgd_step")
    assert r.diagnosis == "shape" and "far too large: shape (1500, 1000)" in r.message
