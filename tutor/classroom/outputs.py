"""tutor grade's views for the assignments that were handed out, written from the gradebook:

    OUT/grades.csv       student,exercise,score,max_score,assignment: every student x every
                         exercise of every assignment handed out (in that assignment's points)
    OUT/totals.csv       student,assignment,score,max_score,submitted,late,penalty,final,status:
                         per-assignment totals, late penalty applied; roster students without a
                         submission have status "missing" and 0
    OUT/feedback/*.md    per student: per-assignment totals, lateness and the policy, then the
                         exercises (tutor/classroom/reports.py)
    OUT/feedback/.departed/  feedback of students no longer in the class, moved aside

Scores are summed unrounded and rounded once, when shown.
"""
from __future__ import annotations

import csv
import io
import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timezone
from functools import partial
from pathlib import Path
from typing import Sequence

from tutor.classroom import reports
from tutor.classroom.assignments import Assignment, Total, scaled, totals
from tutor.classroom.late import LatePolicy, describe_late
from tutor.files import atomic_write
from tutor.safe_text import csv_cell, printable

GRADES_HEADER = ("student", "exercise", "score", "max_score", "assignment")
TOTALS_HEADER = ("student", "assignment", "score", "max_score", "submitted", "seconds_late", "penalty", "final",
                 "status")
DEPARTED = ".departed"
FEEDBACK_WRITERS = 4


@dataclass
class Written:
    totals: list[Total] = field(default_factory=list)
    feedback_files: int = 0
    exercises: int = 0
    departed: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)   # lines for the instructor (files not written)


def selected_rows(results: Sequence[dict], assignment: Assignment) -> list[dict]:
    """The student's results for the assignment's exercises, in its points, in its order."""
    by_id = {r["exercise"]: r for r in results}
    rows = []
    for exercise in assignment.exercises:
        r = by_id.get(exercise)
        if r is None:
            continue
        score, points = scaled(assignment, r)
        rows.append(dict(r, score=score, max_score=points))
    return rows


def assignment_section(student_totals: Sequence[Total], policy: LatePolicy | None,
                       due: dict[str, datetime | None]) -> list[str]:
    """The feedback's per-assignment totals, with lateness and the late policy."""
    lines = ["## Assignments", "", "| assignment | score | late | penalty | final |", "|---|---|---|---|---|"]
    for t in student_totals:
        late = describe_late(t.seconds_late) if due.get(t.assignment) else "no due date"
        lines.append(f"| {printable(t.assignment)} | {reports.number(t.score, 2)} / {reports.number(t.max_score, 2)}"
                     f" | {late} | {reports.number(t.penalty, 2)} | {reports.number(t.final, 2)} |")
    lines.append("")
    for t in student_totals:
        if due.get(t.assignment):
            lines.append(f"- {printable(t.assignment)} was due {_when(due[t.assignment])}"
                         + (f", handed in {_when(t.submitted)}" if t.submitted else "")
                         + (f" ({printable(t.note)})" if t.note else "") + ".")
    if any(due.get(t.assignment) for t in student_totals):
        lines.append(f"- Late work: {policy.describe() if policy else 'the course’s own late-penalty rule (nbgrader plugin).'}")
        lines.append("")
    return lines


def _when(value: datetime | None) -> str:
    return value.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M UTC") if value else "?"


def write(out: Path, students: dict, results: dict[str, list[dict]], assignments: Sequence[Assignment],
          policy: LatePolicy | None, roster_missing: Sequence[str] = (), extensions: dict | None = None,
          failed: dict[str, str] | None = None) -> Written:
    """grades.csv, totals.csv and the feedback files. `results`: {student: gradebook rows}
    for every student graded for their current submission (others get blank scores); `failed`:
    {student: why} for students the engine could not grade, who get a "not graded yet" feedback.
    One student's feedback that cannot be written is a problem line, never the end of the run."""
    feedback_dir = reports.feedback_folder(out)   # a link planted there is refused
    written = Written(exercises=sum(len(a.exercises) for a in assignments))
    grades, kept = io.StringIO(), set()
    grade_writer = csv.writer(grades, lineterminator="\n")
    grade_writer.writerow(GRADES_HEADER)
    due = {a.name: a.due for a in assignments}
    # Feedback files are written a few at a time: each waits for the disk (fsync) while the next
    # one is made. A student's problem lines keep the class's order.
    with ThreadPoolExecutor(max_workers=FEEDBACK_WRITERS, thread_name_prefix="feedback") as writers:
        feedback = []
        for name, student in students.items():
            mine = results.get(name) or []
            _write_grade_rows(grade_writer, name, mine, assignments)
            if mine:
                student_totals = [totals(student, mine, assignment, policy,
                                         (extensions or {}).get((name, assignment.name))) for assignment in assignments]
                written.totals += student_totals
                kept.add(reports.feedback_filename(name))
                text = partial(_graded_markdown, student, name, _feedback_rows(mine, assignments), student_totals,
                               policy, due)
                feedback.append((True, writers.submit(reports.write_feedback, feedback_dir, name, text)))
            elif name in (failed or {}):   # the student learns why there is no grade yet
                kept.add(reports.feedback_filename(name))
                text = reports.not_graded_markdown(name, failed[name])
                feedback.append((False, writers.submit(reports.write_feedback, feedback_dir, name, text)))
        for graded, future in feedback:
            problem = future.result()
            written.problems += [problem] if problem else []
            written.feedback_files += graded and not problem
    atomic_write(out / "grades.csv", grades.getvalue())
    atomic_write(out / "totals.csv", totals_csv(written.totals, assignments, roster_missing))
    written.departed = move_departed(feedback_dir, kept | {reports.feedback_filename(n) for n in students})
    return written


def _write_grade_rows(grade_writer, name: str, mine: Sequence[dict], assignments: Sequence[Assignment]) -> None:
    """grades.csv's rows of one student: every exercise of every assignment, blank when not graded."""
    by_id = {r["exercise"]: r for r in mine}
    for assignment in assignments:
        for exercise in assignment.exercises:
            r = by_id.get(exercise)
            score, points = scaled(assignment, r) if r else (None, assignment.max_points(exercise, 0.0))
            grade_writer.writerow((csv_cell(name), csv_cell(exercise), reports.number(score),
                                   reports.number(points), csv_cell(assignment.name)))


def _feedback_rows(mine: Sequence[dict], assignments: Sequence[Assignment]) -> list[dict]:
    """The student's results for every assignment's exercises, each exercise once."""
    rows, seen = [], set()
    for assignment in assignments:
        for row in selected_rows(mine, assignment):
            if row["exercise"] not in seen:
                seen.add(row["exercise"])
                rows.append(row)
    return rows


def _graded_markdown(student, name: str, rows: list[dict], student_totals, policy, due) -> str:
    """One graded student's feedback (made while it is written, so that a failure here is this
    student's problem line: reports.write_feedback)."""
    return reports.feedback_markdown(name, rows, warnings=student.warnings,
                                     sections=assignment_section(student_totals, policy, due))


def totals_csv(all_totals: Sequence[Total], assignments: Sequence[Assignment], roster_missing: Sequence[str]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(TOTALS_HEADER)
    for t in all_totals:
        status = "late" if t.seconds_late > 0 else "graded"
        writer.writerow((csv_cell(t.student), csv_cell(t.assignment), reports.number(t.score), reports.number(t.max_score),
                         t.submitted.isoformat() if t.submitted else "", reports.number(t.seconds_late),
                         reports.number(t.penalty), reports.number(t.final), status))
    for name in roster_missing:
        for a in assignments:
            possible = sum(a.max_points(e, _points(e)) for e in a.exercises)
            writer.writerow((csv_cell(name), csv_cell(a.name), "0", reports.number(possible), "", "0", "0", "0", "missing"))
    return buffer.getvalue()


def _points(exercise: str) -> float:
    from tutor.manifest import by_id

    try:
        return float(by_id(exercise).points)
    except Exception:  # noqa: BLE001 - an exercise the manifest no longer has
        return 0.0


def move_departed(feedback_dir: Path, current: set[str]) -> list[str]:
    """Feedback files of students no longer in the class, moved to feedback/.departed/ (never
    deleted; a name already there gets the time appended)."""
    moved = []
    try:
        entries = list(os.scandir(feedback_dir))
    except OSError:
        return moved
    aside = feedback_dir / DEPARTED
    for entry in entries:
        if not entry.name.endswith(".md") or entry.name in current or entry.name.startswith("."):
            continue
        if not entry.is_file(follow_symlinks=False):
            continue
        aside.mkdir(exist_ok=True)
        target = aside / entry.name
        if target.exists():
            stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%fZ")
            target = aside / f"{entry.name[:-3]}.{stamp}.md"
        os.replace(entry.path, target)
        moved.append(entry.name[:-3])
    return moved


def summary_lines(written: Written, assignments: Sequence[Assignment]) -> list[str]:
    """One line per assignment: the class average (unrounded sums, rounded once), late count."""
    lines = []
    for a in assignments:
        mine = [t for t in written.totals if t.assignment == a.name]
        if not mine:
            continue
        average = sum(t.final for t in mine) / len(mine)
        late = sum(1 for t in mine if t.seconds_late > 0)
        possible = mine[0].max_score
        lines.append(f"{a.name}: class average {reports.number(average, 2)} / {reports.number(possible, 2)} "
                     f"points over {len(mine)} students" + (f" ({late} late)" if late else "") + ".")
    return lines
