"""tutor/classroom/term.py: the term's settings checked before grading."""
from __future__ import annotations

from argparse import Namespace
from pathlib import Path

import pytest

from tutor.classroom.submissions import discover
from tutor.classroom.term import TermError, check_out, course_folder, prepare


def _args(**kw):
    base = dict(course=None, nbgrader_db=None, assignment=None, exercises=None, due=None, roster=None)
    return Namespace(**{**base, **kw})


def test_out_in_the_class_is_refused(tmp_path):
    for out in (tmp_path, tmp_path / "grades", tmp_path / "ada" / "out"):
        with pytest.raises(TermError, match="class folder"):
            check_out(tmp_path, out)
    check_out(tmp_path / "class", tmp_path / "grades")


def test_the_course_folder(tmp_path):
    (tmp_path / "class").mkdir()
    assert course_folder(_args(), tmp_path / "class") is None
    (tmp_path / "roster.csv").write_text("id,name,email\n")
    assert course_folder(_args(), tmp_path / "class") == tmp_path
    with pytest.raises(TermError, match="no such folder"):
        course_folder(_args(course=tmp_path / "nope"), tmp_path / "class")


def test_prepare_reads_settings_and_roster(tmp_path):
    (tmp_path / "class" / "ada").mkdir(parents=True)
    (tmp_path / "class" / "cyd").mkdir(parents=True)
    (tmp_path / "roster.csv").write_text("id,name,email\nada,Ada,a@x\ndan,Dan,d@x\n")
    (tmp_path / "course.toml").write_text("[assignments.one]\nexercises = ['perceptron']\n"
                                          "[late]\npolicy = 'per_hour'\nper_hour = 1\n")
    term = prepare(_args(), discover(tmp_path / "class"))
    assert [a.name for a in term.assignments] == ["one"] and term.policy.per_hour == 1
    assert term.missing == ["dan"] and term.unknown == ["cyd"]
    assert any("dan" in w for w in term.warnings()) and any("cyd" in w for w in term.warnings())
    assert term.options()["roster"] == str((tmp_path / "roster.csv").resolve())
    with pytest.raises(TermError, match="--due"):
        prepare(_args(due="next week"), discover(tmp_path / "class"))
    (tmp_path / "course.toml").write_text("[late]\npolicy = 'sometimes'\n")
    with pytest.raises(TermError, match="policy"):
        prepare(_args(), discover(tmp_path / "class"))


def test_an_nbgrader_folder_tutor_does_not_know_is_named(tmp_path):
    for assignment in ("01_perceptron", "99_extra"):
        folder = tmp_path / "submitted" / "ada" / assignment
        folder.mkdir(parents=True)
        (folder / "notebook.ipynb").write_text('{"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}')
    term = prepare(_args(), discover(tmp_path / "submitted"))
    assert [a.name for a in term.assignments] == ["01_perceptron"]
    assert any("99_extra" in w and "left out" in w for w in term.warnings())
