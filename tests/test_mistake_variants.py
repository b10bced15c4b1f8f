"""tutor/mistake_variants.py: known mistakes are named, and only when they explain the answer."""
from __future__ import annotations

import numpy as np
import pytest

from tutor import mistake_variants as mistakes
from tutor.engine.worker import ragged
from tutor.engine.worker.protocol import RngSeed
from tutor.manifest import EXERCISES, by_id


def _encoded(batches):
    return ragged.batches([np.asarray(b) for b in batches])


def test_a_variant_mistake_is_named_with_its_advice():
    exercise = by_id("optim.lr_step_decay")
    inputs = {"lr0": 0.8, "epoch": 11, "drop": 0.3, "every": 4}
    expected = np.array(0.8 * 0.3 ** 2)
    early = np.array(0.8 * 0.3 ** 3)
    verdict = mistakes.recognise(exercise, "lr", early, expected, inputs, 1e-7)
    assert verdict.diagnosis == "known_mistake" and "one epoch too early" in verdict.message
    assert mistakes.recognise(exercise, "lr", np.array(0.123), expected, inputs, 1e-7) is None


def test_minibatch_mistakes_from_the_encoded_batches():
    exercise = by_id("optim.minibatches")
    inputs = {"n": 10, "batch_size": 3, "rng": RngSeed(4)}
    order = np.random.default_rng(4).permutation(10)
    expected = _encoded([order[i:i + 3] for i in range(0, 10, 3)])

    def named(batches):
        verdict = mistakes.recognise(exercise, "batches", _encoded(batches), expected, inputs, 0.0)
        return verdict.message if verdict else None

    assert "last, shorter batch" in named([order[i:i + 3] for i in range(0, 9, 3)])
    assert "0, 1, 2" in named([np.arange(10)[i:i + 3] for i in range(0, 10, 3)])
    other = np.random.default_rng(99).permutation(10)
    assert "rng you are given" in named([other[i:i + 3] for i in range(0, 10, 3)])
    assert "wrong sizes" in named(np.array_split(order, 3))
    assert named([order[:5]]) is None            # half the indices: no known mistake explains it


def test_a_backward_mistake_sees_the_upstream_gradient():
    exercise = by_id("resnet.residual_backward")
    dout = np.ones((2, 3))
    expected = np.full((2, 3), 5.0)
    verdict = mistakes.recognise(exercise, "dx", expected - dout, expected, {}, 1e-6, dout=dout)
    assert verdict and "skip path" in verdict.message
    assert mistakes.recognise(exercise, "dx", expected - dout, expected, {}, 1e-6) is None


def test_a_failing_variant_explains_nothing():
    broken = mistakes.mistake("out", "never", lambda x: 1 / 0)
    exercise = type("E", (), {"mistakes": (broken,)})()
    assert mistakes.recognise(exercise, "out", np.zeros(2), np.ones(2), {"x": np.ones(2)}, 1e-7) is None


@pytest.mark.parametrize("exercise", [e for e in EXERCISES if e.mistakes], ids=lambda e: e.id)
def test_no_known_mistake_matches_the_right_answer(exercise):
    """On every case a mistake's variant differs from the reference's answer (or it could never be named)."""
    from tutor.engine.grader import Grader

    with Grader(exercises=[exercise]) as grader:
        prepared = grader.prepare()[0]
    for case in prepared.cases:
        for position, name in enumerate(exercise.outputs):
            verdict = mistakes.recognise(exercise, name, case.expected[position], case.expected[position],
                                         case.inputs, 1e-7, case.dout)
            assert verdict is None, (case.case.name, verdict)
