"""worker/answers.py: what the child makes of the learner's return values, in this process."""
from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

WORKER = Path(__file__).resolve().parents[1] / "tutor" / "engine" / "worker"
sys.path.insert(0, str(WORKER))
import answers  # noqa: E402
from protocol import RngSeed  # noqa: E402


@settings(max_examples=30)
@given(st.lists(st.floats(allow_nan=True), min_size=1, max_size=5))
def test_plain_values_become_float64_copies(values):
    source = np.array(values)
    converted = answers.as_float_array(source)
    assert type(converted) is np.ndarray and converted.dtype == np.float64
    assert converted is not source and np.array_equal(converted, source, equal_nan=True)
    assert np.array_equal(answers.as_float_array(list(values)), source, equal_nan=True)


@pytest.mark.parametrize("value, shape", [(3, ()), (2.5, ()), (True, ()), (np.float32(1.5), ()),
                                           (np.arange(6).reshape(2, 3), (2, 3)), ([[1, 2], [3, 4]], (2, 2))])
def test_numbers_and_integer_arrays_are_accepted(value, shape):
    assert answers.as_float_array(value).shape == shape


class Tricky:
    def __array__(self, dtype=None, copy=None):
        return np.zeros(2)


class Sub(np.ndarray):
    def __array__(self, dtype=None, copy=None):
        raise RuntimeError("never called")


@pytest.mark.parametrize("value, code", [
    (None, "not_array"), ("text", "not_array"), (Tricky(), "not_array"), ({"a": 1}, "not_array"),
    (np.array([object()]), "not_array"), (np.array(["a"]), "not_array"), ([1, [2, 3]], "not_array"),
    ([1, "2"], "not_array"), (10 ** 400, "not_array"), (np.array([1j]), "dtype"), (np.complex64(1), "dtype"),
])
def test_refused_values(value, code):
    converted = answers.as_float_array(value)
    assert isinstance(converted, str) and converted.startswith(code + ":")


def test_subclass_is_read_through_the_base_class():
    value = np.arange(3.0).view(Sub)
    converted = answers.as_float_array(value)
    assert type(converted) is np.ndarray and list(converted) == [0.0, 1.0, 2.0]


def test_describe_output_notes_narrow_floats_and_huge_arrays(monkeypatch):
    arrays = []
    assert answers.describe_output(np.ones(2, dtype=np.float32), arrays)["dtype"] == "float32"
    assert "dtype" not in answers.describe_output(np.ones(2), arrays)
    monkeypatch.setattr(answers, "MAX_ELEMENTS", 10)
    assert answers.describe_output(np.ones((4, 5)), arrays) == {"bad": "too_big", "shape": [4, 5]}


def test_unpack_counts_values():
    assert answers.unpack(np.ones(2), ["dx"], "f")[0].shape == (2,)
    assert "return the array dx itself" in answers.unpack((np.ones(2),), ["dx"], "f")
    assert "must return 3 values (dx, dw, db), not a tuple of 2 values" in answers.unpack((1, 2), ["dx", "dw", "db"], "f")


def test_fresh_copies_and_generators():
    inputs = {"x": np.ones(3), "ws": [np.zeros(2)], "rng": RngSeed(7), "p": 0.5}
    a, b = answers.fresh(inputs), answers.fresh(inputs)
    assert a["x"] is not inputs["x"] and a["ws"][0] is not inputs["ws"][0]
    assert a["rng"].random() == b["rng"].random()
    a["x"][0] = 5
    a["ws"].append(1)
    assert answers.modified(inputs, a) == ["x", "ws"]
    assert answers.modified(inputs, b) == []


def test_modified_catches_replaced_or_reshaped_arrays():
    inputs = {"x": np.ones((2, 3))}
    assert answers.modified(inputs, {"x": np.ones(6)}) == ["x"]
    assert answers.modified(inputs, {"x": np.ones((2, 3)).view(Sub)}) == ["x"]


def test_comparing_arrays_never_calls_what_learner_code_can_replace(monkeypatch):
    """Learner code runs in the same process and may replace NumPy's functions: whether an
    input was changed, or a repeated run gave the same output, is decided without them."""
    from answers import same_array, same_float_array

    big = np.arange(50_000, dtype=np.float64)
    changed = big.copy()
    changed[-1] += 1
    for name in ("array_equal", "ascontiguousarray", "allclose", "dtype"):
        monkeypatch.setattr(np, name, lambda *args, **kwargs: True)
    assert same_array(big, big.copy()) and not same_array(big, changed)
    assert same_float_array(big, big.copy()) and not same_float_array(big, changed)
