"""compare.py: the tolerance and the patterns behind the diagnoses, on arrays directly."""
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from tutor.engine.compare import agrees, agrees_with_any, diagnose, name_factor, relative_error

shapes = st.tuples(st.integers(2, 6), st.integers(2, 6)).filter(lambda s: s[0] != s[1])
values = st.floats(-1e3, 1e3, allow_nan=False).filter(lambda v: abs(v) > 1e-3)


def matrices(shape=None):
    return (st.just(shape) if shape else shapes).flatmap(lambda s: arrays(np.float64, s, elements=values))


@settings(max_examples=30)
@given(matrices())
def test_an_array_agrees_with_itself_and_with_rounding(a):
    assert relative_error(a, a) == 0.0
    assert agrees(a, a * (1 + 1e-12), 1e-7)


def test_relative_error_is_safe_at_zero():
    zeros = np.zeros(3)
    assert relative_error(zeros, zeros) == 0.0
    assert agrees(zeros, zeros, 1e-7)
    assert not agrees(zeros + 1e-3, zeros, 1e-7)


def test_nan_and_inf_must_match_in_place():
    expected = np.array([1.0, np.inf, np.nan])
    assert agrees(expected.copy(), expected, 1e-7)
    assert not agrees(np.array([1.0, 2.0, np.nan]), expected, 1e-7)
    assert not agrees(np.array([np.nan, np.inf, np.nan]), expected, 1e-7)


def test_a_scalar_answer_may_come_as_one_element():
    assert agrees(np.array([2.0]), np.array(2.0), 1e-7)
    assert not agrees(np.array([2.0, 2.0]), np.array(2.0), 1e-7)


def test_exact_comparison():
    assert agrees(np.array([3.0]), np.array([3.0]), 0, exact=True)
    assert not agrees(np.array([3.0 + 1e-15]), np.array([3.0]), 1.0, exact=True)


def test_either_candidate_elementwise():
    left, right = np.array([0.0, 1.0, 1.0]), np.array([1.0, 1.0, 1.0])
    assert agrees_with_any(np.array([1.0, 1.0, 1.0]), [left, right], 1e-7)
    assert agrees_with_any(np.array([0.0, 1.0, 1.0]), [left, right], 1e-7)
    assert not agrees_with_any(np.array([0.5, 1.0, 1.0]), [left, right], 1e-7)


@settings(max_examples=30)
@given(matrices())
def test_transpose_is_recognised(a):
    verdict = diagnose("dw", a.T.copy(), a, 1e-7)
    assert verdict.diagnosis == "transposed"
    assert f"shape {a.T.shape}, expected {a.shape}" in verdict.message


@settings(max_examples=50)
@given(matrices(), st.integers(2, 64), st.sampled_from(["N", "1/N", "2", "1/2", "-1"]))
def test_factors_are_named(a, n, which):
    factor = {"N": n, "1/N": 1 / n, "2": 2.0, "1/2": 0.5, "-1": -1.0}[which]
    verdict = diagnose("db", a * factor, a, 1e-7, batch=n)
    if which == "-1":
        assert verdict.diagnosis == "sign"
        return
    assert verdict.diagnosis == "factor"
    words = {"N": f"is {n} times the expected", "1/N": f"is 1/{n} of the expected",
             "2": "twice the expected", "1/2": "half the expected"}[which]
    if n == 2:
        words = "the expected"       # a batch of 2 makes "twice" and "2 times" the same thing
    assert words in verdict.message


def test_an_unnamed_factor_is_still_a_factor():
    a = np.arange(1.0, 7.0)
    verdict = diagnose("out", 3.7 * a, a, 1e-7, batch=5)
    assert verdict.diagnosis == "factor" and "3.7 times the expected" in verdict.message


def test_negative_batch_factor_says_both():
    verdict = name_factor("dx", -8.0, batch=8)
    assert verdict.diagnosis == "factor" and "opposite sign" in verdict.message and "batch of 8" in verdict.message


def test_nonfinite_counts_values():
    expected = np.ones((2, 3))
    got = expected.copy()
    got[0, 1] = np.nan
    verdict = diagnose("out", got, expected, 1e-7)
    assert verdict.diagnosis == "nonfinite" and "1 of 6 values" in verdict.message


def test_plain_mismatch_points_at_the_largest_difference():
    expected = np.arange(12.0).reshape(3, 4)
    got = expected + np.sin(expected) * 0.01
    got[2, 1] += 5
    verdict = diagnose("out", got, expected, 1e-7)
    assert verdict.diagnosis == "mismatch" and "index (2, 1)" in verdict.message


def test_shape_hints():
    expected = np.arange(1.0, 6.0)
    per_sample = np.tile(expected / 4, (4, 1))
    assert "sum over the batch axis" in diagnose("db", per_sample, expected, 1e-7).message
    assert "wrong shape" in diagnose("out", expected.reshape(5, 1), expected, 1e-7).message
    assert diagnose("out", np.zeros((2, 2)), expected, 1e-7).diagnosis == "shape"


@pytest.mark.parametrize("scale", [1e-300, 1.0, 1e300])
def test_scale_does_not_matter(scale):
    a = np.array([1.0, -2.0, 3.0]) * scale
    assert agrees(a * (1 + 1e-9), a, 1e-7)
    assert not agrees(a * (1 + 1e-5), a, 1e-7)


def test_a_square_transpose_is_recognised():
    a = np.arange(9.0).reshape(3, 3)
    verdict = diagnose("dWh", a.T.copy(), a, 1e-7)
    assert verdict.diagnosis == "transposed" and "square" in verdict.message


def test_a_wrong_single_value_is_no_arbitrary_factor():
    assert diagnose("count", np.array(25.0), np.array(35.0), 0).diagnosis == "mismatch"
    assert diagnose("loss", np.array(0.5), np.array(1.0), 1e-7).diagnosis == "factor"     # named: half
    assert diagnose("loss", np.array(-1.0), np.array(1.0), 1e-7).diagnosis == "sign"


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(2, 4), min_size=2, max_size=4), st.data())
def test_any_axis_permutation_is_named(shape, data):
    """Axes in another order (distinct lengths or not) are recognised, and only then."""
    expected = np.random.default_rng(len(shape)).standard_normal(shape)
    order = tuple(data.draw(st.permutations(range(len(shape)))))
    got = np.transpose(expected, order)
    verdict = diagnose("h", got, expected, 1e-7)
    if np.array_equal(got, expected):
        return                  # an order that changes nothing (identity)
    assert verdict.diagnosis == "transposed", verdict.message
    assert "reshape it" not in verdict.message


def test_time_major_is_named_as_swapped_axes():
    expected = np.arange(24.0).reshape(2, 3, 4)
    verdict = diagnose("h", expected.transpose(1, 0, 2), expected, 1e-7)
    assert verdict.diagnosis == "transposed" and "axes 0 and 1 are swapped" in verdict.message


def test_a_size_one_axis_out_of_place_is_no_reshape_advice():
    """With N = 1 a time-major answer has the right values in order: only longer axes would show the bug."""
    expected = np.arange(12.0).reshape(1, 3, 4)
    verdict = diagnose("h", expected.transpose(1, 0, 2), expected, 1e-7)
    assert verdict.diagnosis == "shape" and "reshape it" not in verdict.message
    assert "order of your axes" in verdict.message


def test_a_flat_answer_may_be_reshaped():
    expected = np.arange(12.0).reshape(3, 4)
    assert "reshape it" in diagnose("out", expected.reshape(-1), expected, 1e-7).message


def test_a_mismatch_names_the_first_wrong_index_and_the_largest():
    expected = np.zeros((2, 3))
    got = expected.copy()
    got[0, 2], got[1, 1] = 0.5, 3.0
    message = diagnose("out", got, expected, 1e-7).message
    assert "2 of 6 values wrong" in message
    assert "first at index (0, 2): got 0.5, expected 0" in message
    assert "largest difference at index (1, 1): got 3, expected 0" in message


def test_factors_carry_their_value_and_batch():
    expected = np.arange(1.0, 7.0)
    verdict = diagnose("db", expected / 4, expected, 1e-7, batch=4)
    assert (verdict.diagnosis, verdict.factor, verdict.batch, verdict.output) == ("factor", 0.25, 4, "db")
