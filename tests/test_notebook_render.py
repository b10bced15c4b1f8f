"""tutor.notebook.render: a check's report as HTML; the course's solution is offered (folded) only
once the exercise is passed, and escaped like everything else."""
from __future__ import annotations

from tutor.engine.results import ExerciseResult
from tutor.notebook import render


def _result(passed: bool) -> ExerciseResult:
    return ExerciseResult("layers.affine_forward", 1.0 if passed else 0.0, 1.0, passed,
                          "ok" if passed else "wrong", "passed" if passed else "failed")


def test_solution_is_offered_only_once_passed():
    solution = "def affine_forward(x, w, b):\n    return x @ w + b, (x, w, b)  # <b>"
    shown = render.html_block(_result(True), solution=solution)
    assert "The course's solution" in shown and "&lt;b&gt;" in shown and "<b>" not in shown
    assert "The course's solution" not in render.html_block(_result(False), hints=("h",), solution=solution)
    assert "The course's solution" not in render.html_block(_result(True))
