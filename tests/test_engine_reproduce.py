"""reproduce.py: a case printed as Python reproduces the grader's inputs bit for bit."""
from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

from tutor import manifest
from tutor.engine.grader import Grader
from tutor.engine.reproduce import as_python, case_script
from tutor.engine.worker.protocol import RngSeed

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("exercise_id", ["layers.affine_backward", "perceptron.perceptron_train",
                                         "layers.dropout_forward", "vanishing.layer_gradient_norms",
                                         "param_count.dense_params", "layers.softmax_cross_entropy"])
def test_the_script_rebuilds_every_input_and_runs(exercise_id, monkeypatch):
    exercise = manifest.by_id(exercise_id)
    with Grader([exercise]) as grader:
        prepared = grader.prepare()[0]
    monkeypatch.syspath_prepend(str(ROOT / "solutions"))
    for index, case in enumerate(prepared.cases):
        namespace: dict = {}
        script = case_script(exercise, index)
        exec(script, namespace)
        for name, value in case.inputs.items():
            rebuilt = namespace[name]
            if isinstance(value, np.ndarray):
                assert rebuilt.dtype == value.dtype and np.array_equal(rebuilt, value), (index, name)
            elif isinstance(value, RngSeed):
                assert f"{name} = np.random.default_rng({value.seed})" in script   # the call drew from it since
            elif isinstance(value, list):
                assert all(np.array_equal(a, b) for a, b in zip(rebuilt, value))
            else:
                assert rebuilt == value
        if case.dout is not None:
            assert np.array_equal(namespace["dout"], case.dout)
        for name in exercise.outputs:
            assert name in namespace, f"{exercise_id} case {index}: the call did not run"
    sys.modules.pop("layers", None)


def test_python_text_of_odd_values():
    assert as_python((1,)) == "(1,)"
    assert as_python(np.int64(3)) == "3"
    assert as_python(np.array([1, 2])) == "np.array([1, 2], dtype=np.int64)"
    assert as_python(np.zeros((0, 2))) == "np.zeros((0, 2))"
    assert as_python(RngSeed(5)) == "np.random.default_rng(5)"
