"""The class roster: who is in the class, whatever they handed in.

A CSV file with a header row (`--roster FILE`, or COURSE/roster.csv):

    id,name,email,lms_id,section
    ada,Ada Lovelace,ada@example.edu,10001,A

`id` is the student's folder name in the class folder (nbgrader's student id); `name` and
`email` are required columns (a cell may be empty); `lms_id` (the LMS's user id, e.g.
Canvas's) and `section` are optional. nbgrader's own student list (`nbgrader db student
import`: id, first_name, last_name, email, lms_user_id) is read too.

Roster students with no submission appear in the outputs with 0 (missing); submissions of
students who are not on the roster are graded and warned about.
"""
from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

ROSTER_FILE = "roster.csv"
MAX_ROSTER_BYTES = 10_000_000
_ALIASES = {
    "id": ("id", "student_id", "student id", "username", "login"),
    "name": ("name", "full_name", "full name", "student"),
    "email": ("email", "e-mail", "mail"),
    "lms_id": ("lms_id", "lms id", "lms_user_id", "canvas_id", "canvas id", "user id"),
    "section": ("section",),
    "sis_login": ("sis_login", "sis login id", "login_id"),
}


class RosterError(ValueError):
    """A roster file that cannot be used; str() says what to do."""


@dataclass(frozen=True)
class Member:
    id: str
    name: str = ""
    email: str = ""
    lms_id: str = ""
    section: str = ""
    sis_login: str = ""


def _column(header: list[str], key: str) -> int | None:
    lowered = [h.strip().lower() for h in header]
    for alias in _ALIASES[key]:
        if alias in lowered:
            return lowered.index(alias)
    return None


def read_roster(path: Path) -> dict[str, Member]:
    """{student id: Member}, in the file's order. RosterError for a file that cannot be used."""
    path = Path(path)
    rows = [r for r in csv.reader(_roster_text(path).splitlines()) if any(cell.strip() for cell in r)]
    if not rows:
        raise RosterError(f"roster {path}: empty; it needs a header row id,name,email and one row per student.")
    columns = _roster_columns(path, rows[0])
    members: dict[str, Member] = {}
    for number, row in enumerate(rows[1:], start=2):
        member = _member(path, number, row, columns)
        if member.id in members:
            raise RosterError(f"roster {path}, line {number}: the student id {member.id!r} appears twice.")
        members[member.id] = member
    return members


def _roster_text(path: Path) -> str:
    try:
        if not path.is_file():
            what = "a folder, not a file" if path.is_dir() else "no such file"
            raise RosterError(f"roster {path}: {what}; give a CSV file with the columns id,name,email "
                              f"(and optionally lms_id,section).")
        if path.stat().st_size > MAX_ROSTER_BYTES:
            raise RosterError(f"roster {path}: over 10 MB; is it the right file?")
        return path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise RosterError(f"roster {path}: not UTF-8 text; save it as 'CSV UTF-8' and try again.") from None
    except OSError as exc:
        raise RosterError(f"roster {path}: cannot be read ({exc.strerror}).") from None


def _roster_columns(path: Path, header: list[str]) -> dict[str, int | None]:
    """Each field's column in the header ("first_name"/"last_name": nbgrader's split name);
    RosterError when id, a name or email is missing."""
    columns = {key: _column(header, key) for key in _ALIASES}
    columns["first_name"] = _column_named(header, "first_name")
    columns["last_name"] = _column_named(header, "last_name")
    no_name = columns["name"] is None and columns["first_name"] is None
    lacking = [k for k in ("id", "name", "email") if (no_name if k == "name" else columns[k] is None)]
    if lacking:
        raise RosterError(f"roster {path}: the header {','.join(header)!r} lacks "
                          f"{', '.join(lacking)}"
                          f"; the first row must name the columns id,name,email (and optionally lms_id,section).")
    return columns


def _member(path: Path, number: int, row: list[str], columns: dict[str, int | None]) -> Member:
    def cell(key):
        i = columns[key]
        return row[i].strip() if i is not None and i < len(row) else ""
    sid = cell("id")
    if not sid:
        raise RosterError(f"roster {path}, line {number}: no student id; every row needs one.")
    name = cell("name") or " ".join(p for p in (cell("first_name"), cell("last_name")) if p)
    return Member(sid, name, cell("email"), cell("lms_id"), cell("section"), cell("sis_login"))


def _column_named(header: list[str], name: str) -> int | None:
    lowered = [h.strip().lower() for h in header]
    return lowered.index(name) if name in lowered else None


def find_roster(option: Path | None, course: Path | None) -> Path | None:
    """--roster FILE, else COURSE/roster.csv when there is one."""
    if option is not None:
        return Path(option)
    if course is not None and (Path(course) / ROSTER_FILE).is_file():
        return Path(course) / ROSTER_FILE
    return None


def reconcile(roster: dict[str, Member], submitted: list[str]) -> tuple[list[str], list[str]]:
    """(roster students without a submission, submissions of students not on the roster)."""
    have = set(submitted)
    return [s for s in roster if s not in have], [s for s in submitted if s not in roster]
