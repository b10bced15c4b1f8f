"""tutor/classroom/assignments.py: which assignments tutor's outputs cover, and the totals."""
from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import pytest
from hypothesis import given, strategies as st

from tutor.classroom.assignments import (ALL, Assignment, AssignmentError, expand, handed_out, read_settings, totals)
from tutor.classroom.late import LatePolicy
from tutor.classroom.reports import number
from tutor.classroom.submissions import Student
from tutor.manifest import EXERCISES

PERCEPTRON = tuple(e.id for e in EXERCISES if e.module == "perceptron")


def _course(tmp_path: Path, text: str) -> tuple[dict, Path]:
    (tmp_path / "course.toml").write_text(text)
    return read_settings(tmp_path)


def test_a_plain_folder_covers_every_exercise_by_default():
    [only] = handed_out({"ada": Student("ada", Path("ada"))}, settings={})
    assert only.name == ALL and only.exercises == tuple(e.id for e in EXERCISES)


def test_exercises_option_takes_modules_and_ids():
    [only] = handed_out({}, settings={}, only="perceptron,layers.affine_forward")
    assert only.exercises == PERCEPTRON + ("layers.affine_forward",)
    with pytest.raises(AssignmentError, match="neither an exercise"):
        expand(["activation"], "--exercises")


def test_course_file_assignments_points_and_due(tmp_path):
    settings, path = _course(tmp_path, """
[course]
name = "nn"
[assignments.01_perceptron]
exercises = ["perceptron"]
points = { "perceptron.step" = 4 }
due = 2026-12-01T23:59:00Z
[assignments.02_layers]
exercises = ["layers.affine_forward"]
due = "2026-12-08T23:59:00+01:00"
""")
    chosen = handed_out({}, settings=settings, settings_path=path)
    assert [a.name for a in chosen] == ["01_perceptron", "02_layers"]
    assert chosen[0].exercises == PERCEPTRON and chosen[0].max_points("perceptron.step", 1) == 4
    assert chosen[0].due == datetime(2026, 12, 1, 23, 59, tzinfo=timezone.utc)
    assert chosen[1].due == datetime(2026, 12, 8, 22, 59, tzinfo=timezone.utc)
    [one] = handed_out({}, settings=settings, settings_path=path, names=["02_layers"], due="2026-12-09T00:00:00Z")
    assert one.name == "02_layers" and one.due == datetime(2026, 12, 9, tzinfo=timezone.utc)
    with pytest.raises(AssignmentError, match="not an assignment of"):
        handed_out({}, settings=settings, settings_path=path, names=["03_nope"])


@pytest.mark.parametrize("text, phrase", [
    ("[assignments.a]\nexercises = ['nope.nope']\n", "neither an exercise"),
    ("[assignments.a]\nexercises = ['perceptron']\npoints = { 'layers.affine_forward' = 2 }\n", "not one of its"),
    ("[assignments.a]\nexercises = ['perceptron']\npoints = { 'perceptron.step' = -2 }\n", "0 or more"),
    ("[assignments.a]\nexercises = ['perceptron']\ndue = 'soon'\n", "not a date"),
    ("[assignments\n", "cannot be read"),
])
def test_bad_course_files(tmp_path, text, phrase):
    with pytest.raises(AssignmentError, match=phrase):
        settings, path = _course(tmp_path, text)
        handed_out({}, settings=settings, settings_path=path)


def test_nbgrader_layout_covers_the_assignment_folders():
    student = Student("ada", Path("ada"), meta={"nbgrader": {"01_perceptron": {}}})
    [only] = handed_out({"ada": student}, settings={})
    assert only.name == "01_perceptron" and only.exercises == PERCEPTRON


def _result(exercise, score, max_score=1.0):
    return {"exercise": exercise, "score": score, "max_score": max_score}


def test_totals_are_summed_unrounded_and_rounded_once():
    a = Assignment("a", ("x.a", "x.b", "x.c"))
    rows = [_result("x.a", 2 / 3), _result("x.b", 2 / 3), _result("x.c", 1.0)]
    total = totals(Student("ada", Path("ada")), rows, a, None)
    assert number(total.score, 2) == "2.33" and total.max_score == 3


@given(st.lists(st.integers(0, 3), min_size=1, max_size=30))
def test_totals_equal_the_exact_sum(thirds):
    ids = tuple(f"x.e{i}" for i in range(len(thirds)))
    rows = [_result(e, t / 3) for e, t in zip(ids, thirds)]
    total = totals(Student("s", Path("s")), rows, Assignment("a", ids), None)
    assert number(total.score, 2) == number(sum(thirds) / 3, 2)


def test_points_of_the_course_scale_the_score_and_late_work_is_charged(tmp_path):
    (tmp_path / "timestamp.txt").write_text("2026-12-02 02:00:00 UTC")
    a = Assignment("a", ("perceptron.step",), {"perceptron.step": 4.0},
                   due=datetime(2026, 12, 2, tzinfo=timezone.utc))
    total = totals(Student("ada", tmp_path), [_result("perceptron.step", 0.5)], a, LatePolicy("per_hour", 0.25))
    assert total.score == 2.0 and total.max_score == 4 and total.seconds_late == 7200
    assert total.penalty == 0.5 and total.final == 1.5


def test_an_extension_moves_the_due_date(tmp_path):
    from datetime import timedelta

    (tmp_path / "timestamp.txt").write_text("2026-12-02 02:00:00 UTC")
    a = Assignment("a", ("perceptron.step",), due=datetime(2026, 12, 2, tzinfo=timezone.utc))
    student = Student("ada", tmp_path)
    assert totals(student, [_result("perceptron.step", 1.0)], a, LatePolicy("zero")).final == 0
    extended = totals(student, [_result("perceptron.step", 1.0)], a, LatePolicy("zero"), timedelta(hours=3))
    assert extended.seconds_late == 0 and extended.final == 1
