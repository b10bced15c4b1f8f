"""judge.py through the real engine: diagnoses that never mislead (issue 11).

Each test plants one mistake in the course's own solutions and reads what the grader says
about it: every problem of a backward, a factor named by what it follows, a backward that
ran on a wrong forward, warnings that are not the exercise's own, randomness that is not
from rng, where the time went, and what a learner needs to reproduce a failing case.
"""
from __future__ import annotations

import textwrap
from pathlib import Path

import numpy as np
import pytest

from tutor import manifest
from tutor.engine import Grader
from tutor.engine.compare import Verdict
from tutor.engine.run import read_sources
from tutor.engine.judge import constant_or_batch, per_output

ROOT = Path(__file__).resolve().parents[1]
SOLUTIONS = read_sources(ROOT / "solutions")
EXERCISES = ["layers.affine_forward", "layers.affine_backward", "activations.sigmoid_forward",
             "activations.sigmoid_backward", "initialization.xavier_normal", "layers.dropout_forward",
             "rnn.rnn_step_forward", "rnn.rnn_step_backward", "rnn.softmax", "param_count.dense_params", "perceptron.perceptron_train"]


AFFINE_FORWARD = """
        def affine_forward(x, w, b):
            return x @ w + b, (x, w, b)
"""


@pytest.fixture(scope="module")
def grader():
    with Grader([manifest.by_id(i) for i in EXERCISES], timeout=5.0) as grader:
        yield grader


def planted(module: str, code: str) -> dict:
    sources = dict(SOLUTIONS)
    sources[module] = sources[module] + "\n\nimport numpy as np\n" + textwrap.dedent(code)
    return sources


def results(grader, sources) -> dict:
    return {r.exercise: r for r in grader.grade(sources)}


def test_every_problem_of_a_backward_is_reported(grader):
    r = results(grader, planted("layers", AFFINE_FORWARD + """
        def affine_backward(dout, cache):
            x, w, b = cache
            return dout @ w.T, dout.T @ x, dout.mean(axis=0)
    """))["layers.affine_backward"]
    assert r.diagnosis == "transposed"
    assert "your dw is the transpose" in r.message and "your db is 1/4 of the expected" in r.message


def test_problems_of_other_kinds_on_other_cases_are_reported_too(grader):
    """Wrong values on ordinary inputs, and an overflow on the edge case: both are named."""
    r = results(grader, planted("rnn", """
        def softmax(z):
            e = np.exp(z)
            return 2 * e / e.sum(axis=-1, keepdims=True)
    """))["rnn.softmax"]
    assert r.diagnosis == "factor" and "twice the expected" in r.message
    assert "; also your out has" in r.message and "NaN or inf" in r.message


def test_a_constant_factor_is_not_blamed_on_the_batch(grader):
    r = results(grader, planted("layers", AFFINE_FORWARD + """
        def affine_backward(dout, cache):
            x, w, b = cache
            return 4 * dout @ w.T, x.T @ dout, dout.sum(axis=0)
    """))["layers.affine_backward"]
    assert r.diagnosis == "factor"
    assert "4 times the expected" in r.message and "whatever the batch size (N = 1, 4, 7)" in r.message
    assert "sum over the batch" not in r.message


def test_a_factor_that_follows_the_batch_is_the_batch(grader):
    r = results(grader, planted("layers", AFFINE_FORWARD + """
        def affine_backward(dout, cache):
            x, w, b = cache
            return dout @ w.T, x.T @ dout, dout.mean(axis=0)
    """))["layers.affine_backward"]
    assert r.diagnosis == "factor" and "average over the batch of 4" in r.message


def test_a_backward_on_a_wrong_forward_is_not_judged(grader):
    r = results(grader, planted("rnn", """
        def rnn_step_forward(x, h_prev, Wx, Wh, b):
            h_next = np.tanh(x @ Wx + h_prev @ Wh)
            return h_next, (x, h_prev, Wx, Wh, h_next)
    """))
    backward = r["rnn.rnn_step_backward"]
    assert r["rnn.rnn_step_forward"].diagnosis == "mismatch"
    assert backward.diagnosis == "wrong_forward" and "the bug is in the backward" not in backward.message
    assert "cannot be judged until rnn_step_forward passes" in backward.message


def test_a_backward_whose_forward_raises_is_not_judged(grader):
    r = results(grader, planted("rnn", """
        def rnn_step_forward(x, h_prev, Wx, Wh, b):
            raise ValueError("shapes do not fit")
    """))["rnn.rnn_step_backward"]
    assert r.diagnosis == "wrong_forward" and "ValueError: shapes do not fit" in r.message
    assert "cannot be judged until rnn_step_forward passes" in r.message


def test_a_correct_backward_keeps_its_points_when_its_forward_warns(grader):
    r = results(grader, planted("activations", """
        def sigmoid_forward(x):
            out = 1 / (1 + np.exp(-x))
            return out, out
    """))
    assert not r["activations.sigmoid_forward"].passed
    backward = r["activations.sigmoid_backward"]
    assert backward.passed and backward.score == backward.max_score, backward.message


@pytest.mark.parametrize("code, words", [
    ("return np.random.normal(0.0, np.sqrt(2 / (n_in + n_out)), size=(n_in, n_out))", "you drew from np.random"),
    ("return np.random.default_rng(3).normal(0.0, np.sqrt(2 / (n_in + n_out)), size=(n_in, n_out))",
     "another rng seed gave the very same result"),
])
def test_randomness_must_come_from_rng(grader, code, words):
    r = results(grader, planted("initialization", f"""
        def xavier_normal(n_in, n_out, rng):
            {code}
    """))["initialization.xavier_normal"]
    assert (r.diagnosis, r.score) == ("rng", 0) and words in r.message


def test_evaluation_mode_dropout_may_ignore_the_seed(grader):
    """train=False returns x whatever the seed: the same output for another seed is right there."""
    r = results(grader, SOLUTIONS)["layers.dropout_forward"]
    assert r.passed


def test_a_shared_dropout_mask_is_named(grader):
    r = results(grader, planted("layers", """
        def dropout_forward(x, p, train, rng):
            if not train:
                return x.copy(), (None, p, train)
            keep = rng.random(x.shape[1]) >= p
            return x * keep / (1 - p), (keep, p, train)
    """))["layers.dropout_forward"]
    assert r.diagnosis == "property" and "shared by every row" in r.message


def test_a_known_mistake_is_named(grader):
    r = results(grader, planted("param_count", """
        def dense_params(layer_sizes):
            return sum(a * b for a, b in zip(layer_sizes, layer_sizes[1:]))
    """))["param_count.dense_params"]
    assert r.diagnosis == "known_mistake" and "forgot the biases" in r.message and "22 instead of 25" in r.message


def test_renamed_parameters_grade_the_same(grader):
    r = results(grader, planted("layers", """
        def affine_forward(X, W, bias):
            return X @ W + bias, (X, W, bias)
    """))["layers.affine_forward"]
    assert r.passed and r.score == r.max_score


def test_a_failing_case_shows_small_inputs_and_the_command(grader):
    r = results(grader, planted("perceptron", """
        def perceptron_train(X, y, lr=1.0, epochs=10):
            return np.zeros(X.shape[1]), 0.5
    """))["perceptron.perceptron_train"]
    lines = "\n".join(r.details)
    assert "inputs (rounded): X=np.array([[" in lines and "tutor check perceptron.perceptron_train --case 3" in lines
    assert [c.passed for c in r.cases] == [False] * 3 and r.cases[0].diagnosis != "ok"


def test_per_case_results_show_expected_against_got(grader):
    r = results(grader, planted("layers", """
        def affine_forward(x, w, b):
            out = x @ w + b
            out[0, 1] += 1.0
            return out, (x, w, b)
    """))["layers.affine_forward"]
    first = r.cases[0]
    assert first.diagnosis == "mismatch" and first.index == [0, 1]
    assert first.got is not None and abs(first.got - first.expected - 1.0) < 1e-9


def test_per_case_results_name_every_case(grader):
    r = results(grader, SOLUTIONS)["layers.affine_forward"]
    assert [c.case for c in r.cases] == [c.name for c in manifest.by_id("layers.affine_forward").cases]
    assert all(c.passed and c.diagnosis == "ok" for c in r.cases)


def test_a_timeout_shows_the_line_that_was_running():
    sources = planted("perceptron", """
        def perceptron_train(X, y, lr=1.0, epochs=10):
            total = 0
            while True:
                total += 1
    """)
    with Grader([manifest.by_id("perceptron.perceptron_train")], timeout=1.5) as grader:
        (r,) = grader.grade(sources)
    assert (r.diagnosis, r.score) == ("timeout", 0)
    assert "ran past the time limit of 1.5 s" in r.message
    assert "perceptron.py, in perceptron_train" in r.message and ("total += 1" in r.message or "while True" in r.message)


class _Case:
    def __init__(self, name):
        self.case = type("C", (), {"name": name, "edge": False})()


def test_constant_or_batch_names_a_constant_seen_at_two_batch_sizes():
    one, four = _Case("N=1"), _Case("N=4")
    at_four = Verdict("factor", "your dx is 4 times the expected: did you sum over the batch of 4", "dx", 4.0, 4)
    at_one = Verdict("factor", "your dx is 4 times the expected: off by a constant factor", "dx", 4.0, 1)
    named = constant_or_batch(at_four, [(four, at_four), (one, at_one)])
    assert "whatever the batch size (N = 1, 4)" in named.message and "sum over the batch" not in named.message
    following = Verdict("factor", "1/7 of the expected", "db", 1 / 7, 7)
    assert constant_or_batch(at_four, [(four, at_four), (_Case("N=7"), following)]) is at_four


def test_per_output_keeps_one_verdict_per_returned_value():
    case = _Case("N=4")
    both = Verdict("transposed", "dw; db", "dw", parts=(Verdict("transposed", "dw", "dw"),
                                                      Verdict("factor", "db", "db", 0.25, 4)))
    chosen = per_output([(case, both)], [(case, both)])
    assert [v.output for _, v in chosen] == ["dw", "db"]


@pytest.mark.parametrize("n", [1, 3, 8])
def test_constant_factor_verdicts_are_plain_data(n):
    v = Verdict("factor", "x", "dx", float(n), n)
    assert v.factor == n and v.batch == n and v.parts == () and np.isfinite(v.factor)
