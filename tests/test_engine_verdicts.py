"""verdicts.py on plain data: what the child's reports of single cases become."""
from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from tutor.engine.verdicts import combine, learner_frames, same_bits, signature_verdict, where_it_ran
from tutor.engine.compare import Verdict


def test_learner_frames_are_read_from_the_childs_traceback():
    text = ('Traceback (your code, most recent call last):\n'
            '  File "perceptron.py", line 7, in perceptron_train\n'
            '    while errors:\nTimeLimit')
    assert learner_frames(text) == [("line 7 of perceptron.py, in perceptron_train", "while errors:")]
    assert where_it_ran(text).endswith("line 7 of perceptron.py, in perceptron_train: `while errors:`")


@given(st.one_of(st.none(), st.integers(), st.text(max_size=200)))
def test_anything_else_names_no_line(value):
    frames = learner_frames(value)
    assert isinstance(frames, list)
    if not isinstance(value, str) or 'File "' not in value:
        assert where_it_ran(value if isinstance(value, str) else "") == ""


def test_the_contracts_signature_is_shown():
    verdict = signature_verdict("layers.affine_forward", "affine_forward(x, w): too many positional arguments")
    assert verdict.diagnosis == "signature" and "The contract is affine_forward(x, w, b)" in verdict.message


def test_several_wrong_values_make_one_verdict_that_keeps_each():
    first, second = Verdict("transposed", "dw is transposed", "dw"), Verdict("factor", "db is 1/4", "db", 0.25, 4)
    both = combine([first, second])
    assert both.diagnosis == "transposed" and both.parts == (first, second)
    assert both.message == "dw is transposed; db is 1/4"
    assert combine([first]) is first


def test_same_bits_means_bit_for_bit():
    a = np.array([1.0, np.nan])
    assert same_bits(a, a.copy()) and not same_bits(a, np.array([1.0, 2.0])) and not same_bits(a, a[:1])
