"""tutor/engine/results.py: results make learner text safe where they are built, a case says its
own line, and the public JSON of `tutor check --json` keeps its shape."""
from __future__ import annotations

import json

from tutor.engine.results import CaseResult, ExerciseResult


def test_messages_and_details_are_made_safe_lone_surrogates_included():
    result = ExerciseResult("layers.relu_forward", 0.0, 1.0, False, "bad \x1b[2J\udcff\r\nname",
                            details=["\u202eevil", "ok\tline\n"])
    assert result.message == "bad \\x1b[2J\\udcff\nname"
    assert result.details == ["\\u202eevil", "ok\tline\n"]
    json.dumps(result.to_json(), ensure_ascii=False).encode("utf-8")    # valid UTF-8 throughout
    assert CaseResult("small", False, "exception", "\x07\ud800").message == "\\x07\\ud800"


def test_a_case_says_its_own_line():
    right = CaseResult("small", True)
    wrong = CaseResult("edge", False, "shape", "wrong shape (3,) instead of (2,)")
    assert (right.text(), right.line()) == ("small", "✓ small")
    assert wrong.text() == "edge: wrong shape (3,) instead of (2,)"
    assert wrong.line() == "✗ edge: wrong shape (3,) instead of (2,)"


def test_the_public_json_keeps_its_keys():
    result = ExerciseResult("layers.relu_forward", 0.5, 1.0, False, "m", "failed", "shape", ["✗ edge: m"], 0.1,
                            [CaseResult("edge", False, "shape", "m")])
    assert result.to_json() == {"exercise": "layers.relu_forward", "score": 0.5, "max_score": 1.0, "passed": False,
                                "message": "m", "status": "failed", "diagnosis": "shape", "details": ["✗ edge: m"]}
