"""`tutor export OUT [--roster FILE] [--to FOLDER]`: the grades of a `tutor grade` output folder
for a learning-management system.

Writes, into FOLDER (default OUT/export/):

    canvas.csv            Canvas's gradebook import format: Student, ID, SIS User ID, SIS Login ID,
                          Section, then one column per assignment ("Name (lms id)" when course.toml
                          gives the assignment's Canvas id as lms_id, else "Name", which Canvas
                          imports as a new assignment), a "Points Possible" row, then one row per
                          student (roster order; final scores, late penalty applied)
    <assignment>.csv      one per assignment: student, name, email, one column per exercise,
                          score, penalty, final, status

Roster students with no submission get 0 (status missing); submissions not on the roster are
exported with their folder name as SIS User ID, and warned about.
"""
from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from rich.console import Console
from rich.markup import escape

from tutor.classroom.gradebook import last_run_options
from tutor.classroom.reports import number
from tutor.classroom.roster import Member, RosterError, read_roster
from tutor.files import atomic_write

BAD_INPUT = 2
CANVAS_FIXED = ("Student", "ID", "SIS User ID", "SIS Login ID", "Section")


class Refusal(Exception):
    pass


def run(args) -> int:
    err = Console(stderr=True, highlight=False, soft_wrap=True)
    try:
        lines = export(Path(args.out), getattr(args, "roster", None), getattr(args, "to", None))
    except Refusal as exc:
        err.print(f"[bold red]tutor export:[/] {escape(str(exc))}")
        return BAD_INPUT
    out = Console(highlight=False, soft_wrap=True)
    for line in lines:
        (err if line.startswith("warning:") else out).print(escape(line))
    return 0


def _read_csv(path: Path, header_starts: tuple[str, ...]) -> list[dict]:
    try:
        with open(path, newline="", encoding="utf-8") as f:
            reader = csv.DictReader(f)
            if tuple(reader.fieldnames or ())[:len(header_starts)] != header_starts:
                raise Refusal(f"{path} is not tutor grade's {path.name} (its header is not "
                              f"{','.join(header_starts)},...); give a folder that `tutor grade --out` wrote.")
            return list(reader)
    except FileNotFoundError:
        raise Refusal(f"{path.parent} has no {path.name}: give the --out folder of `tutor grade` (run it first; "
                      f"this tutor writes {path.name} there).") from None
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise Refusal(f"{path} cannot be read ({exc}).") from None


def _lms_ids(course: str | None) -> dict[str, str]:
    """{assignment: Canvas assignment id} from course.toml's [assignments.NAME] lms_id."""
    if not course:
        return {}
    from tutor.classroom.assignments import AssignmentError, read_settings

    try:
        settings, _ = read_settings(Path(course))
    except AssignmentError as exc:
        raise Refusal(str(exc)) from None
    tables = settings.get("assignments") or {}
    return {name: str(t["lms_id"]) for name, t in tables.items() if isinstance(t, dict) and t.get("lms_id")}


def export(out: Path, roster_path: Path | None = None, to: Path | None = None) -> list[str]:
    if not out.is_dir():
        raise Refusal(f"{out}: no such folder; give the --out folder of `tutor grade`.")
    totals = _read_csv(out / "totals.csv", ("student", "assignment", "score", "max_score"))
    grades = _read_csv(out / "grades.csv", ("student", "exercise", "score", "max_score", "assignment"))
    options = last_run_options(out / "gradebook.sqlite")
    roster_path = roster_path or (Path(options["roster"]) if options.get("roster") else None)
    roster = _roster(roster_path)
    assignments = list(dict.fromkeys(r["assignment"] for r in totals))
    if not assignments:
        raise Refusal(f"{out / 'totals.csv'} holds no grades yet; run `tutor grade` to the end first.")
    final = {(r["student"], r["assignment"]): r for r in totals}
    possible = {r["assignment"]: r["max_score"] for r in totals}
    people, unknown = _people(roster, totals)
    target = _target_folder(out, to)
    lms = _lms_ids(options.get("course"))
    atomic_write(target / "canvas.csv", canvas_csv(people, assignments, possible, final, lms))
    written = [target / "canvas.csv"]
    for assignment in assignments:
        path = target / f"{_safe(assignment)}.csv"
        atomic_write(path, wide_csv(people, assignment, grades, final))
        written.append(path)
    lines = [f"Wrote {', '.join(str(p) for p in written)} ({len(people)} students, {len(assignments)} assignment(s))."]
    if unknown:
        lines.append(f"warning: {len(unknown)} graded student(s) are not on the roster {roster_path} "
                     f"({', '.join(unknown[:5])}{' ...' if len(unknown) > 5 else ''}): exported with their folder "
                     f"name as SIS User ID; add them to the roster.")
    return lines


def _roster(roster_path: Path | None) -> dict[str, Member]:
    if roster_path is None:
        return {}
    try:
        return read_roster(roster_path)
    except RosterError as exc:
        raise Refusal(str(exc)) from None


def _people(roster: dict[str, Member], totals: list[dict]) -> tuple[list[Member], list[str]]:
    """(everyone to export: the roster's students, then those graded but not on it; the latter's
    ids). Without a roster, every graded student, as a Member with the folder name only."""
    graded = list(dict.fromkeys(r["student"] for r in totals))
    unknown = [s for s in graded if roster and s not in roster]
    return list(roster.values()) + [Member(s) for s in (graded if not roster else unknown)], unknown


def _target_folder(out: Path, to: Path | None) -> Path:
    target = Path(to) if to else out / "export"
    try:
        target.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise Refusal(f"cannot create {target} ({exc.strerror}); give --to a folder you can write to.") from None
    return target


def _safe(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]", "_", name).lstrip(".") or "assignment"


def _cell(text: str) -> str:
    """A spreadsheet never runs a name as a formula (=, +, -, @ first)."""
    text = str(text)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def canvas_csv(people, assignments, possible, final, lms) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CANVAS_FIXED + tuple(f"{a} ({lms[a]})" if a in lms else a for a in assignments))
    writer.writerow(("Points Possible", "", "", "", "") + tuple(possible[a] for a in assignments))
    for m in people:
        scores = []
        for a in assignments:
            row = final.get((m.id, a))
            scores.append(number(float(row["final"]), 2) if row and row.get("final") not in (None, "") else "0")
        writer.writerow((_cell(m.name or m.id), _cell(m.lms_id), _cell(m.id), _cell(m.sis_login or m.email),
                         _cell(m.section)) + tuple(scores))
    return buffer.getvalue()


def wide_csv(people, assignment: str, grades: list[dict], final: dict) -> str:
    exercises = list(dict.fromkeys(r["exercise"] for r in grades if r["assignment"] == assignment))
    scores = {(r["student"], r["exercise"]): r["score"] for r in grades if r["assignment"] == assignment}
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(("student", "name", "email", *exercises, "score", "penalty", "final", "status"))
    for m in people:
        row = final.get((m.id, assignment))
        if row is None:
            writer.writerow((_cell(m.id), _cell(m.name), _cell(m.email), *("0" for _ in exercises), "0", "0", "0",
                             "missing"))
            continue
        writer.writerow((_cell(m.id), _cell(m.name), _cell(m.email), *(scores.get((m.id, e), "0" if row["status"] == "missing" else "") for e in exercises),
                         row["score"], row["penalty"], row["final"], row["status"]))
    return buffer.getvalue()
