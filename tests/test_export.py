"""`tutor export OUT`: Canvas's gradebook import CSV and a wide CSV per assignment."""
from __future__ import annotations

import csv
from pathlib import Path

import pytest

from tutor.classroom.assignments import Assignment
from tutor.classroom.outputs import write
from tutor.classroom.submissions import Student
from tutor.cli import main


def _row(exercise, score):
    return {"exercise": exercise, "score": score, "max_score": 1.0, "status": "passed", "diagnosis": "ok",
            "message": "", "details": []}


@pytest.fixture
def out(tmp_path) -> Path:
    out = tmp_path / "out"
    out.mkdir()
    students = {n: Student(n, tmp_path / n) for n in ("ada", "=cmd")}
    for s in students.values():
        s.folder.mkdir()
    results = {"ada": [_row("perceptron.step", 1.0), _row("perceptron.perceptron_predict", 1 / 3)],
               "=cmd": [_row("perceptron.step", 0.0), _row("perceptron.perceptron_predict", 1.0)]}
    assignments = [Assignment("01_perceptron", ("perceptron.step", "perceptron.perceptron_predict")),
                   Assignment("02_more", ("perceptron.step",))]
    write(out, students, results, assignments, None, roster_missing=["dan"])
    (tmp_path / "roster.csv").write_text("id,name,email,lms_id,section\nada,Ada L,ada@x.edu,101,A\n"
                                         "dan,Dan D,dan@x.edu,104,B\n")
    return out


def _read(path: Path) -> list[list[str]]:
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.reader(f))


def test_canvas_and_wide_csv(out, capsys):
    assert main(["export", str(out), "--roster", str(out.parent / "roster.csv")]) == 0
    canvas = _read(out / "export" / "canvas.csv")
    assert canvas[0] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", "01_perceptron", "02_more"]
    assert canvas[1] == ["Points Possible", "", "", "", "", "2", "1"]
    assert canvas[2] == ["Ada L", "101", "ada", "ada@x.edu", "A", "1.33", "1"]
    assert canvas[3] == ["Dan D", "104", "dan", "dan@x.edu", "B", "0", "0"]        # on the roster, nothing in
    assert canvas[4][2] == "'=cmd"                                                  # not on the roster, never a formula
    assert "not on the roster" in capsys.readouterr().err
    wide = _read(out / "export" / "01_perceptron.csv")
    assert wide[0] == ["student", "name", "email", "perceptron.step", "perceptron.perceptron_predict", "score",
                       "penalty", "final", "status"]
    assert wide[1][:4] == ["ada", "Ada L", "ada@x.edu", "1"] and wide[1][-1] == "graded"
    assert wide[2] == ["dan", "Dan D", "dan@x.edu", "0", "0", "0", "0", "0", "missing"]


def test_canvas_assignment_ids_from_the_course(out, tmp_path):
    import sqlite3

    (tmp_path / "course.toml").write_text("[assignments.01_perceptron]\nexercises = ['perceptron.step']\nlms_id = 77\n")
    con = sqlite3.connect(out / "gradebook.sqlite")
    con.execute("CREATE TABLE runs(id INTEGER PRIMARY KEY, options TEXT)")
    con.execute("INSERT INTO runs(options) VALUES (?)", (f'{{"course": "{tmp_path}", "roster": null}}',))
    con.commit()
    con.close()
    assert main(["export", str(out), "--to", str(tmp_path / "lms")]) == 0
    assert _read(tmp_path / "lms" / "canvas.csv")[0][5:] == ["01_perceptron (77)", "02_more"]


@pytest.mark.parametrize("setup, phrase", [
    (lambda out: None, "no such folder"),
    (lambda out: out.mkdir(), "has no totals.csv"),
    (lambda out: (out.mkdir(), (out / "totals.csv").write_text("a,b\n")), "is not tutor grade's totals.csv"),
])
def test_bad_input(tmp_path, capsys, setup, phrase):
    out = tmp_path / "out"
    setup(out)
    assert main(["export", str(out)]) == 2
    err = capsys.readouterr().err
    assert phrase in " ".join(err.split()) and "Traceback" not in err


def test_a_bad_roster(out, tmp_path, capsys):
    (tmp_path / "bad.csv").write_text("name\nx\n")
    assert main(["export", str(out), "--roster", str(tmp_path / "bad.csv")]) == 2
    assert "lacks id" in capsys.readouterr().err
