"""tutor/classroom/roster.py: the class roster CSV."""
from __future__ import annotations

import pytest

from tutor.classroom.roster import RosterError, find_roster, read_roster, reconcile


def test_read_a_roster(tmp_path):
    path = tmp_path / "roster.csv"
    path.write_text("\ufeffID,Name,Email,LMS_ID,Section\nada,Ada Lovelace,ada@x.edu,101,A\nbob,,bob@x.edu,,\n\n")
    roster = read_roster(path)
    assert list(roster) == ["ada", "bob"]
    assert roster["ada"].name == "Ada Lovelace" and roster["ada"].lms_id == "101" and roster["ada"].section == "A"
    assert find_roster(None, tmp_path) == path and find_roster(None, None) is None


def test_nbgraders_student_list_is_a_roster(tmp_path):
    path = tmp_path / "students.csv"
    path.write_text("id,first_name,last_name,email,lms_user_id\nada,Ada,Lovelace,ada@x.edu,101\n")
    assert read_roster(path)["ada"].name == "Ada Lovelace" and read_roster(path)["ada"].lms_id == "101"


@pytest.mark.parametrize("content, phrase", [
    (None, "no such file"),
    (b"", "empty"),
    (b"name,email\nAda,ada@x\n", "lacks id"),
    (b"id,name,email\nada,A,a\nada,B,b\n", "appears twice"),
    (b"id,name,email\n,A,a\n", "no student id"),
    (b"id,name,email\n\xff\xfe,A,a\n", "not UTF-8"),
])
def test_bad_rosters(tmp_path, content, phrase):
    path = tmp_path / "roster.csv"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(RosterError, match=phrase):
        read_roster(path)


def test_reconcile(tmp_path):
    path = tmp_path / "roster.csv"
    path.write_text("id,name,email\nada,A,a\ndan,D,d\n")
    assert reconcile(read_roster(path), ["ada", "cyd"]) == (["dan"], ["cyd"])
