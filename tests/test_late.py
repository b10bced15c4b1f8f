"""tutor/classroom/late.py: submission times read as nbgrader reads them, penalties, nbgrader's config."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import given, strategies as st

from tutor.classroom.late import (LateError, LatePolicy, describe_late, nbgrader_due_dates, nbgrader_extensions,
                                  nbgrader_settings, parse_timestamp,
                                  policy_from_settings, read_timestamp, seconds_late)

UTC = timezone.utc


def test_timestamps_as_nbgrader_writes_them():
    assert parse_timestamp("2026-11-20 12:00:00.000000 UTC") == datetime(2026, 11, 20, 12, tzinfo=UTC)
    assert parse_timestamp("2026-11-20T13:00:00+01:00") == datetime(2026, 11, 20, 12, tzinfo=UTC)
    assert parse_timestamp("2026-11-20 12:00:00") == datetime(2026, 11, 20, 12, tzinfo=UTC)   # no zone: UTC
    with pytest.raises(ValueError):
        parse_timestamp("")


def test_read_timestamp(tmp_path):
    assert read_timestamp(tmp_path) == (None, None)
    (tmp_path / "timestamp.txt").write_text("2026-11-20 12:00:00.000000 UTC\n")
    assert read_timestamp(tmp_path) == (datetime(2026, 11, 20, 12, tzinfo=UTC), None)
    (tmp_path / "timestamp.txt").write_text("yesterday-ish, honest")
    when, problem = read_timestamp(tmp_path)
    assert when is None and "on time" in problem


def test_policies():
    assert LatePolicy().penalty(5, 10_000) == 0
    assert LatePolicy("zero").penalty(5, 1) == 5 and LatePolicy("zero").penalty(5, 0) == 0
    hourly = LatePolicy("per_hour", 0.5)
    assert hourly.penalty(5, 1) == 0.5 and hourly.penalty(5, 3600) == 0.5 and hourly.penalty(5, 3601) == 1.0
    assert hourly.penalty(0.7, 10 * 3600) == 0.7          # never below 0
    assert "every hour" in hourly.describe() and "scores 0" in LatePolicy("zero").describe()


@given(st.floats(0, 100), st.floats(0, 1e7), st.floats(0.01, 10))
def test_a_penalty_never_exceeds_the_score(score, late, per_hour):
    for policy in (LatePolicy(), LatePolicy("zero"), LatePolicy("per_hour", per_hour)):
        assert 0 <= policy.penalty(score, late) <= score


def test_seconds_late_is_nbgraders():
    due = datetime(2026, 12, 1, 23, 59, tzinfo=UTC)
    assert seconds_late(datetime(2026, 12, 2, 0, 59, tzinfo=UTC), due) == 3600
    assert seconds_late(datetime(2026, 12, 1, tzinfo=UTC), due) == 0
    assert seconds_late(None, due) == 0 and seconds_late(due, None) == 0
    assert describe_late(5400) == "1 h 30 min late" and describe_late(0) == "on time"


@pytest.mark.parametrize("table, phrase", [
    ({"policy": "half"}, "not one of"),
    ({"policy": "per_hour"}, "needs per_hour"),
    ({"policy": "per_hour", "per_hour": -1}, "0 or more"),
    ({"policy": "per_hour", "per_hour": "1"}, "number"),
])
def test_bad_late_settings(table, phrase):
    with pytest.raises(LateError, match=phrase):
        policy_from_settings({"late": table})
    assert policy_from_settings({}) == LatePolicy()
    assert policy_from_settings({"late": {"policy": "zero"}}).describe() == "a late submission scores 0 (course.toml [late])."


def test_nbgrader_config_as_autograde_reads_it(tmp_path):
    pytest.importorskip("nbgrader")
    (tmp_path / "nbgrader_config.py").write_text(
        "c = get_config()\nc.LateSubmissionPlugin.penalty_method = 'zero'\n"
        "c.CourseDirectory.root = 'term1'\nc.CourseDirectory.autograded_directory = 'graded'\n")
    settings = nbgrader_settings(tmp_path / "nowhere", tmp_path)
    assert settings.policy.method == "zero"
    assert settings.root == tmp_path / "term1" and settings.autograded == tmp_path / "term1" / "graded"
    (tmp_path / "nbgrader_config.py").write_text("c = get_config()\nc.LateSubmissionPlugin.penalty_method = 'half'\n")
    with pytest.raises(LateError, match="penalty_method"):
        nbgrader_settings(tmp_path)
    (tmp_path / "nbgrader_config.py").write_text("c = get_config(\n")
    with pytest.raises(LateError, match="cannot be read"):
        nbgrader_settings(tmp_path)


@pytest.mark.filterwarnings("ignore:Object of type")   # nbgrader's own add_submission, setting up
def test_due_dates_and_extensions_from_an_nbgrader_gradebook(tmp_path):
    pytest.importorskip("nbgrader")
    from nbgrader.api import Gradebook

    db = tmp_path / "gradebook.db"
    with Gradebook(f"sqlite:///{db}") as gb:
        gb.add_assignment("a1", duedate="2026-11-20 00:00:00 UTC")
        gb.add_assignment("a2")
        for student in ("ada", "bob"):
            gb.add_student(student)
            gb.add_submission("a1", student)
        gb.grant_extension("a1", "bob", hours=2)
    assert nbgrader_due_dates(db) == {"a1": datetime(2026, 11, 20, tzinfo=UTC)}
    assert nbgrader_extensions(db) == {("bob", "a1"): timedelta(hours=2)}


@pytest.mark.filterwarnings("ignore:Object of type")   # nbgrader's own add_submission, setting up
def test_extensions_read_without_nbgrader_are_nbgraders_own(tmp_path):
    """nbgrader_extensions reads the gradebook with sqlite3 (no nbgrader import before grading):
    every extension nbgrader can grant (days, fractions of a minute, negative, none) as nbgrader reads it."""
    pytest.importorskip("nbgrader")
    from nbgrader.api import Gradebook

    db = tmp_path / "gradebook.db"
    granted = {"ada": dict(days=2, hours=3, minutes=0.5), "bob": dict(minutes=-30), "cy": dict(weeks=60),
               "dee": dict(hours=0)}
    with Gradebook(f"sqlite:///{db}") as gb:
        gb.add_assignment("a1")
        for student, extension in granted.items():
            gb.add_student(student)
            gb.add_submission("a1", student)
            gb.grant_extension("a1", student, **extension)
        gb.add_student("eve")
        gb.add_submission("a1", "eve")
        theirs = {(s.student.id, "a1"): s.extension for s in gb.find_assignment("a1").submissions if s.extension}
    assert nbgrader_extensions(db) == theirs
    assert theirs[("bob", "a1")] == timedelta(minutes=-30) and ("dee", "a1") not in theirs
