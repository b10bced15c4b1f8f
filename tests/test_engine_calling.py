"""calling.py: the contract's parameter order, read from the course's solutions."""
from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from tutor import manifest
from tutor.engine.calling import contract_signature, in_contract_order, signature_text


def test_signature_text_shows_the_contract():
    assert signature_text("layers.affine_forward") == "affine_forward(x, w, b)"
    assert signature_text("perceptron.perceptron_train") == "perceptron_train(X, y, lr=1.0, epochs=10)"


def test_an_unknown_function_is_named_only():
    assert signature_text("layers.no_such_function") == "no_such_function"


def test_inputs_follow_the_contracts_order():
    ordered = in_contract_order("layers.affine_forward", {"b": 1, "x": 2, "w": 3})
    assert list(ordered) == ["x", "w", "b"]


def test_a_skipped_default_is_filled_so_positions_line_up():
    ordered = in_contract_order("perceptron.perceptron_train", {"X": 1, "y": 2, "epochs": 3})
    assert ordered == {"X": 1, "y": 2, "lr": 1.0, "epochs": 3}


def test_trailing_defaults_stay_out():
    assert list(in_contract_order("perceptron.perceptron_train", {"y": 2, "X": 1})) == ["X", "y"]


@given(st.permutations(["x", "w", "b"]))
def test_any_order_of_the_case_gives_the_contracts(names):
    values = {name: np.full(1, i) for i, name in enumerate(names)}
    assert list(in_contract_order("layers.affine_forward", values)) == ["x", "w", "b"]


def test_every_manifest_entry_has_a_contract_signature():
    for exercise in manifest.EXERCISES:
        parameters = contract_signature(exercise.id).parameters
        assert parameters, exercise.id
