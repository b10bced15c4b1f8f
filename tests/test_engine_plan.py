"""tutor/engine/plan.py: every case prepared once, with what judging will ask about it."""
import numpy as np
import pytest

from tutor import manifest
from tutor.engine import plan
from tutor.engine.worker.protocol import RngSeed

PACKAGE = "tutor.reference"


def backward_exercises():
    return [e for e in manifest.EXERCISES if e.forward]


def test_a_backward_case_carries_the_reference_forward_out_so_judging_needs_no_reference():
    exercise = manifest.by_id("layers.affine_backward")
    prepared = plan.prepare_exercise(exercise, PACKAGE)
    assert prepared.problem is None
    for case in prepared.cases:
        x, w, b = (case.inputs[name] for name in ("x", "w", "b"))
        np.testing.assert_allclose(case.forward_out, x @ w + b, rtol=1e-12)
        assert case.dout.shape == case.forward_out.shape


@pytest.mark.parametrize("exercise", backward_exercises(), ids=lambda e: e.id)
def test_every_backward_case_has_a_forward_out_shaped_like_its_upstream_gradient(exercise):
    prepared = plan.prepared_once(exercise, PACKAGE)
    assert prepared.problem is None
    assert all(c.forward_out is not None and c.forward_out.shape == c.dout.shape for c in prepared.cases)


def test_a_function_case_has_no_forward_out():
    prepared = plan.prepared_once(manifest.by_id("optim.sgd_step"), PACKAGE)
    assert all(c.forward_out is None and not c.seed_matters for c in prepared.cases)


def test_whether_the_seed_matters_is_known_from_the_course_solution():
    """dropout's mask follows the seed; in evaluation mode (train=False) it does not."""
    prepared = plan.prepared_once(manifest.by_id("layers.dropout_forward"), PACKAGE)
    by_train = {bool(c.inputs.get("train", True)): c.seed_matters for c in prepared.cases}
    assert by_train[True] is True
    if False in by_train:
        assert by_train[False] is False


def test_the_early_plan_agrees_with_the_reference_plan_on_inputs_and_upstream_gradients():
    for exercise_id in ("layers.affine_backward", "cnn.max_pool_backward", "layers.dropout_backward"):
        exercise = manifest.by_id(exercise_id)
        early, full = plan.prepare_inputs(exercise), plan.prepared_once(exercise, PACKAGE)
        assert plan.encode_plan([early], 10.0) == plan.encode_plan([full], 10.0), exercise_id


def test_kinks_are_declared_by_the_manifest_and_get_nudged_references():
    exercise = manifest.by_id("activations.relu_backward")
    prepared = plan.prepared_once(exercise, PACKAGE)
    for case in prepared.cases:
        assert plan.is_kink(case.case) == case.case.kink
        assert (len(case.alternatives) == 2) == case.case.kink


def test_a_generator_becomes_a_seed_on_the_wire():
    inputs = plan.case_inputs(manifest.by_id("initialization.xavier_normal"),
                              manifest.by_id("initialization.xavier_normal").cases[0], 5)
    assert isinstance(inputs["rng"], RngSeed)
    assert list(inputs)[-1] == "rng"        # in the contract's order: xavier_normal(n_in, n_out, rng)


def test_the_plan_frame_never_holds_an_expected_value():
    exercise = manifest.by_id("layers.affine_forward")
    prepared = plan.prepared_once(exercise, PACKAGE)
    frame = plan.encode_plan([prepared], 10.0)
    for case in prepared.cases:
        assert case.expected[0].tobytes() not in frame


@pytest.mark.parametrize("exercise", manifest.EXERCISES, ids=lambda e: e.id)
def test_every_exercise_of_the_manifest_prepares(exercise):
    assert plan.prepared_once(exercise, PACKAGE).problem is None
