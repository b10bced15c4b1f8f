"""tutor/mistakes.py: the known mistakes predict the wrong answers they name, and only those."""
from __future__ import annotations

import numpy as np
import pytest

from tutor import manifest
from tutor.engine import Grader
from tutor.engine.plan import case_seed
from tutor.mistakes import MISTAKES, match, number, predicted


def test_every_rule_belongs_to_an_exercise_and_names_its_outputs():
    ids = {e.id: e for e in manifest.EXERCISES}
    for exercise_id, mistakes in MISTAKES.items():
        assert exercise_id in ids, exercise_id
        for mistake in mistakes:
            assert mistake.message and mistake.name


def test_forgotten_biases_in_the_lesson_example():
    message = match("param_count.dense_params", {"layer_sizes": [10, 2, 1]}, "count",
                    np.array(22.0), np.array(25.0), 0.0).message
    assert message is not None and "22 instead of 25" in message and "biases" in message


def test_a_right_answer_matches_no_mistake():
    assert match("param_count.dense_params", {"layer_sizes": [10, 2, 1]}, "count",
                 np.array(25.0), np.array(25.0), 0.0) is None


def test_another_wrong_answer_is_not_named():
    assert match("param_count.dense_params", {"layer_sizes": [10, 2, 1]}, "count",
                 np.array(23.0), np.array(25.0), 0.0) is None


def test_a_mistake_that_gives_the_right_answer_on_a_case_says_nothing():
    # With alpha equal to the default, a fixed slope of 0.01 is right: no mistake to name.
    x = np.array([-1.0, 2.0])
    assert match("activations.leaky_relu_forward", {"x": x, "alpha": 0.01}, "out",
                 np.where(x > 0, x, 0.01 * x), np.where(x > 0, x, 0.01 * x), 1e-7) is None


def test_a_rule_that_does_not_apply_is_skipped():
    assert predicted("param_count.dense_params", {"wrong": 1}, "count") == []


@pytest.mark.parametrize("exercise_id", sorted(MISTAKES))
def test_every_rule_predicts_a_wrong_value_on_some_case(exercise_id):
    """Each mistake differs from the reference on at least one case: else it could never be named."""
    exercise = manifest.by_id(exercise_id)
    with Grader([exercise]) as grader:
        prepared = grader.prepare()[0]
    for mistake in MISTAKES[exercise_id]:
        differs = False
        for case in prepared.cases:
            inputs = {k: v for k, v in case.inputs.items()}
            if case.dout is not None:
                inputs["dout"] = case.dout
            try:
                values = mistake.predict(inputs)
            except Exception:
                continue
            for name, value in values.items():
                expected = case.expected[exercise.outputs.index(name)]
                if np.shape(value) == expected.shape and not np.allclose(value, expected, rtol=1e-9, atol=0):
                    differs = True
        assert differs, f"{exercise_id}: {mistake.name} never differs from the reference"


def test_numbers_are_written_for_people():
    assert number(np.array(138344128.0)) == "138,344,128"
    assert number(np.array(0.5)) == "0.5"
    assert number(np.zeros(3)) == "the values shown"
    assert case_seed("a.b", "c", 0) == case_seed("a.b", "c", 0)
