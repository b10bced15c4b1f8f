"""worker/child.py: what the child makes of the learner's return values, in this process."""
from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

WORKER = Path(__file__).resolve().parents[1] / "tutor" / "engine" / "worker"
sys.path.insert(0, str(WORKER))
import child  # noqa: E402
from protocol import RngSeed  # noqa: E402


@settings(max_examples=30)
@given(st.lists(st.floats(allow_nan=True), min_size=1, max_size=5))
def test_plain_values_become_float64_copies(values):
    source = np.array(values)
    converted = child.as_float_array(source)
    assert type(converted) is np.ndarray and converted.dtype == np.float64
    assert converted is not source and np.array_equal(converted, source, equal_nan=True)
    assert np.array_equal(child.as_float_array(list(values)), source, equal_nan=True)


@pytest.mark.parametrize("value, shape", [(3, ()), (2.5, ()), (True, ()), (np.float32(1.5), ()),
                                           (np.arange(6).reshape(2, 3), (2, 3)), ([[1, 2], [3, 4]], (2, 2))])
def test_numbers_and_integer_arrays_are_accepted(value, shape):
    assert child.as_float_array(value).shape == shape


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
    converted = child.as_float_array(value)
    assert isinstance(converted, str) and converted.startswith(code + ":")


def test_subclass_is_read_through_the_base_class():
    value = np.arange(3.0).view(Sub)
    converted = child.as_float_array(value)
    assert type(converted) is np.ndarray and list(converted) == [0.0, 1.0, 2.0]


def test_describe_output_notes_narrow_floats_and_huge_arrays(monkeypatch):
    arrays = []
    assert child.describe_output(np.ones(2, dtype=np.float32), arrays)["dtype"] == "float32"
    assert "dtype" not in child.describe_output(np.ones(2), arrays)
    monkeypatch.setattr(child, "MAX_ELEMENTS", 10)
    assert child.describe_output(np.ones((4, 5)), arrays) == {"bad": "too_big", "shape": [4, 5]}


def test_unpack_counts_values():
    assert child.unpack(np.ones(2), ["dx"], "f")[0].shape == (2,)
    assert "return the array dx itself" in child.unpack((np.ones(2),), ["dx"], "f")
    assert "must return 3 values (dx, dw, db), not a tuple of 2 values" in child.unpack((1, 2), ["dx", "dw", "db"], "f")


def test_fresh_copies_and_generators():
    inputs = {"x": np.ones(3), "ws": [np.zeros(2)], "rng": RngSeed(7), "p": 0.5}
    a, b = child.fresh(inputs), child.fresh(inputs)
    assert a["x"] is not inputs["x"] and a["ws"][0] is not inputs["ws"][0]
    assert a["rng"].random() == b["rng"].random()
    a["x"][0] = 5
    a["ws"].append(1)
    assert child.modified(inputs, a) == ["x", "ws"]
    assert child.modified(inputs, b) == []


def test_modified_catches_replaced_or_reshaped_arrays():
    inputs = {"x": np.ones((2, 3))}
    assert child.modified(inputs, {"x": np.ones(6)}) == ["x"]
    assert child.modified(inputs, {"x": np.ones((2, 3)).view(Sub)}) == ["x"]


def test_captured_output_is_capped():
    capture = child.CappedText()
    capture.write("a" * (child.MAX_TEXT + 50))
    text = capture.take()
    assert text.startswith("a" * child.MAX_TEXT) and "50 more characters" in text
    assert capture.take() == ""


def test_signature_problems_are_told_apart_from_type_errors():
    def two(a, b):
        return len(5)
    with pytest.raises(child.SignatureProblem, match=r"two\(a, b\)"):
        child.call_checked(two, "m.two", (1,), {})
    with pytest.raises(TypeError):
        child.call_checked(two, "m.two", (1, 2), {})


def test_learner_traceback_keeps_only_workspace_frames(tmp_path):
    module = tmp_path / "mymod.py"
    module.write_text("def f():\n    return 1 / 0\n")
    sys.path.insert(0, str(tmp_path))
    try:
        import mymod
        c = child.Child({"exercises": []}, str(tmp_path), lambda *a: None)
        try:
            child.call_checked(mymod.f, "mymod.f", (), {})
        except ZeroDivisionError as error:
            text = c.learner_traceback(error)
    finally:
        sys.path.remove(str(tmp_path))
        sys.modules.pop("mymod", None)
    assert 'File "mymod.py", line 2, in f' in text and "ZeroDivisionError" in text
    assert "child.py" not in text and str(tmp_path) not in text


def test_captured_output_has_a_capped_byte_side():
    import io

    capture = child.CappedText()
    assert capture.buffer.write(b"caf\xc3\xa9 \xff") == 7
    assert capture.buffer.write(bytearray(b"!")) == 1
    assert capture.encoding == "utf-8" and not capture.isatty() and not capture.buffer.isatty()
    for stream in (capture, capture.buffer):
        with pytest.raises(io.UnsupportedOperation):
            stream.fileno()
    with pytest.raises(TypeError):
        capture.buffer.write("text")
    assert capture.take() == "café \ufffd!"
    assert capture.buffer.write(b"b" * (2 * child.MAX_TEXT)) == 2 * child.MAX_TEXT
    capture.buffer.write(b"more")
    text = capture.take()
    assert text.startswith("b" * child.MAX_TEXT) and f"{child.MAX_TEXT + 4} more characters" in text


def test_a_notebook_module_gives_the_namespace_at_the_exercise(tmp_path, monkeypatch):
    """A module with __tutor_namespace__ (tutor.notebook.program) is asked for the namespace at
    the exercise's test cell; its notes go with the result. A plain module is read as before."""
    (tmp_path / "nbmod.py").write_text(
        "def __tutor_namespace__(at):\n"
        "    if at == 'nbmod.f':\n"
        "        return {'f': lambda x: x + 1}, ['cell 2 raised ValueError']\n"
        "    return {}, []\n"
        "def f(x):\n    return 'module level'\n")
    (tmp_path / "plain.py").write_text("def g(x):\n    return x\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    sent = []
    worker = child.Child({"exercises": []}, str(tmp_path), lambda header, arrays=(): sent.append(header))
    function, problem = worker.function("nbmod.f", at="nbmod.f")
    assert problem is None and function(1) == 2 and worker.notes == ["cell 2 raised ValueError"]
    missing, problem = worker.function("nbmod.h", at="nbmod.h")
    assert missing is None and "h is not defined when the notebook reaches the test cell of nbmod.h" in problem
    plain, problem = worker.function("plain.g", at="plain.g")
    assert problem is None and plain(3) == 3
    assert worker.function("nbmod.f")[0](0) == "module level"     # no exercise: the module's own
