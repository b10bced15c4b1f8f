"""tutor/classroom/outputs.py: grades.csv, totals.csv and the feedback for the assignments handed out."""
from __future__ import annotations

import csv
from datetime import datetime, timezone
from pathlib import Path

from tutor.classroom.assignments import Assignment
from tutor.classroom.late import LatePolicy
from tutor.classroom.outputs import GRADES_HEADER, TOTALS_HEADER, summary_lines, write
from tutor.classroom.submissions import Student


def _row(exercise, score, max_score=1.0):
    return {"exercise": exercise, "score": score, "max_score": max_score, "status": "passed" if score else "failed",
            "diagnosis": "ok" if score == max_score else "factor", "message": "", "details": []}


def _read(path: Path) -> list[dict]:
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def test_only_the_assignment_handed_out_with_totals_and_late_work(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (tmp_path / "ada").mkdir()
    (tmp_path / "bob").mkdir()
    (tmp_path / "bob" / "timestamp.txt").write_text("2026-12-02 01:00:00 UTC")
    students = {"ada": Student("ada", tmp_path / "ada"), "bob": Student("bob", tmp_path / "bob")}
    rows = [_row("perceptron.step", 2 / 3), _row("perceptron.perceptron_predict", 2 / 3),
            _row("perceptron.sigmoid_neuron", 1.0), _row("activations.relu_forward", 0.0)]
    a = Assignment("01_perceptron", ("perceptron.step", "perceptron.perceptron_predict", "perceptron.sigmoid_neuron"),
                   due=datetime(2026, 12, 2, tzinfo=timezone.utc))
    written = write(out, students, {"ada": rows, "bob": rows}, [a], LatePolicy("zero", source="course.toml"),
                    roster_missing=["dan"])
    grades = _read(out / "grades.csv")
    assert tuple(grades[0]) == GRADES_HEADER and len(grades) == 6
    assert {g["exercise"] for g in grades} == set(a.exercises)          # no activations
    totals = {(t["student"], t["assignment"]): t for t in _read(out / "totals.csv")}
    assert tuple(next(iter(totals.values()))) == TOTALS_HEADER
    assert totals[("ada", "01_perceptron")]["final"] == "2.333333" and totals[("ada", "01_perceptron")]["status"] == "graded"
    assert totals[("bob", "01_perceptron")]["final"] == "0" and totals[("bob", "01_perceptron")]["status"] == "late"
    assert totals[("dan", "01_perceptron")]["status"] == "missing" and totals[("dan", "01_perceptron")]["max_score"] == "3"
    ada = (out / "feedback" / "ada.md").read_text()
    assert "Total: 2.33 / 3" in ada and "activations" not in ada and "Add activations.py" not in ada
    bob = (out / "feedback" / "bob.md").read_text()
    assert "1 h late" in bob and "a late submission scores 0 (course.toml)" in bob and "| 2.33 | 0 |" in bob
    assert summary_lines(written, [a]) == ["01_perceptron: class average 1.17 / 3 points over 2 students (1 late)."]


def test_feedback_of_a_student_who_left_is_moved_aside(tmp_path):
    out = tmp_path / "out"
    (out / "feedback" / ".departed").mkdir(parents=True)
    (out / "feedback" / "zed.md").write_text("old feedback")
    (out / "feedback" / ".departed" / "zed.md").write_text("older feedback")
    (out / "feedback" / "notes.txt").write_text("the instructor's")
    (tmp_path / "ada").mkdir()
    written = write(out, {"ada": Student("ada", tmp_path / "ada")}, {"ada": [_row("perceptron.step", 1.0)]},
                    [Assignment("a", ("perceptron.step",))], None)
    assert written.departed == ["zed"] and not (out / "feedback" / "zed.md").exists()
    kept = sorted(p.read_text() for p in (out / "feedback" / ".departed").iterdir())
    assert kept == ["old feedback", "older feedback"]
    assert (out / "feedback" / "notes.txt").read_text() == "the instructor's"
    assert (out / "feedback" / "ada.md").is_file()
