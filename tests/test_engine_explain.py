"""tutor/engine/explain.py: a failing backward checked against the learner's own forward."""
import os

import numpy as np

from tutor.engine.explain import NUMERICAL_RTOL, numerical_agreement
from tutor.engine.worker.protocol import FrameReader, pack


def answer(pairs_of_arrays, status="ok"):
    arrays, pairs = [], []
    for analytic, numeric in pairs_of_arrays:
        arrays += [np.asarray(analytic, dtype=np.float64), np.asarray(numeric, dtype=np.float64)]
        pairs.append([len(arrays) - 2, len(arrays) - 1])
    frame = pack({"type": "result", "check": {"status": status, "pairs": pairs}}, arrays)
    r, w = os.pipe()
    os.write(w, frame)
    os.close(w)
    header, payload = FrameReader(r).read()
    os.close(r)
    return header, payload


def test_a_backward_that_matches_central_differences_agrees():
    g = np.array([1.0, -2.0, 3.5])
    assert numerical_agreement(*answer([(g, g * (1 + NUMERICAL_RTOL / 10))])) is True


def test_a_backward_off_by_a_factor_disagrees():
    g = np.array([1.0, -2.0, 3.5])
    assert numerical_agreement(*answer([(g, g), (g, 2 * g)])) is False


def test_nan_or_a_failed_check_draws_no_wrong_conclusion():
    g = np.array([1.0, np.nan])
    assert numerical_agreement(*answer([(g, g)])) is False
    assert numerical_agreement(*answer([], status="exception")) is None
    assert numerical_agreement({"type": "result"}, b"") is None
    assert numerical_agreement(None, b"") is None
