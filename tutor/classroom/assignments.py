"""Which assignments were handed out, and each student's total on each.

tutor grades every exercise it finds; its outputs (grades.csv, totals.csv, the feedback, the
summary line) cover only the assignments that were handed out:

- an nbgrader submitted/<student>/<assignment>/ folder: the assignments are the folder names
  (their exercises: course.toml's, else those of `tutor nbgrader export`'s assignment);
- a plain class folder: every exercise, as one assignment "all", unless `--exercises
  layers,optim.sgd_step` (modules or exercise ids), `--assignment NAME` (from course.toml) or
  course.toml's [assignments] restrict them.

course.toml keys read here (the course settings file, shared with tutor/course.py):

    [assignments.NAME]
    exercises = ["perceptron.perceptron_predict", ...]   # exercise ids (or module names)
    points = { "perceptron.perceptron_predict" = 2 }      # optional: the exercise's points here
    due = "2026-12-01T23:59:00+00:00"                      # optional
    [late]  policy = "none" | "zero" | "per_hour"; per_hour = points   (tutor/classroom/late.py)

Totals are summed from the unrounded scores and rounded once, for display only.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Iterable, Sequence

from tutor.classroom.late import LateError, LatePolicy, parse_due, policy_from_settings, read_timestamp, seconds_late

COURSE_FILE = "course.toml"
ALL = "all"


class AssignmentError(ValueError):
    """An option or a course.toml entry that cannot be used; str() says what to do."""


@dataclass(frozen=True)
class Assignment:
    name: str
    exercises: tuple[str, ...]
    points: dict = field(default_factory=dict)    # exercise id -> points in this assignment
    due: datetime | None = None

    def max_points(self, exercise: str, default: float) -> float:
        return float(self.points.get(exercise, default))


def read_settings(course: Path | None) -> tuple[dict, Path | None]:
    """(course.toml as a dict, its path) or ({}, None) when there is none."""
    if course is None:
        return {}, None
    path = Path(course) / COURSE_FILE
    if not path.is_file():
        return {}, None
    try:
        import tomllib
    except ImportError:   # Python 3.10: the same parser, as a package (a dependency there)
        import tomli as tomllib
    try:
        with open(path, "rb") as f:
            return tomllib.load(f), path
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise AssignmentError(f"{path} cannot be read ({exc}); fix the file (it is TOML).") from None


def _known_ids() -> dict[str, float]:
    from tutor.manifest import EXERCISES

    return {e.id: float(e.points) for e in EXERCISES}


def expand(items: Iterable[str], where: str) -> tuple[str, ...]:
    """Exercise ids from ids and module names, in syllabus order; unknown names refused."""
    known = _known_ids()
    chosen: set[str] = set()
    for item in items:
        item = str(item).strip()
        if not item:
            continue
        if item in known:
            chosen.add(item)
            continue
        in_module = [e for e in known if e.split(".")[0] == item]
        if not in_module:
            modules = sorted({e.split(".")[0] for e in known})
            raise AssignmentError(f"{where}: {item!r} is neither an exercise (module.function) nor a module "
                                  f"({', '.join(modules)}).")
        chosen.update(in_module)
    if not chosen:
        raise AssignmentError(f"{where}: no exercises given.")
    return tuple(e for e in known if e in chosen)


def _from_settings(name: str, table, known: dict, where: str) -> Assignment:
    if not isinstance(table, dict):
        raise AssignmentError(f"{where}: [assignments.{name}] must be a table with exercises = [...].")
    exercises = expand(table.get("exercises") or [], f"{where} [assignments.{name}] exercises")
    points = table.get("points") or {}
    if not isinstance(points, dict):
        raise AssignmentError(f"{where}: [assignments.{name}] points must be a table of exercise = points.")
    for exercise, value in points.items():
        if exercise not in exercises:
            raise AssignmentError(f"{where}: [assignments.{name}] gives points to {exercise}, which is not one "
                                  f"of its exercises.")
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not value >= 0:
            raise AssignmentError(f"{where}: [assignments.{name}] points for {exercise} must be a number, "
                                  f"0 or more (got {value!r}).")
    due = table.get("due")
    if isinstance(due, datetime):   # TOML's own date-time type
        due = parse_due(due.isoformat(), f"{where} [assignments.{name}] due")
    elif due is not None:
        due = parse_due(str(due), f"{where} [assignments.{name}] due")
    return Assignment(name, exercises, {k: float(v) for k, v in points.items()}, due)


def course_assignments(settings: dict, where: str) -> dict[str, Assignment]:
    tables = settings.get("assignments") or {}
    if not isinstance(tables, dict):
        raise AssignmentError(f"{where}: [assignments] must hold one table per assignment.")
    known = _known_ids()
    return {name: _from_settings(name, table, known, where) for name, table in tables.items()}


def _exported(name: str) -> tuple[str, ...] | None:
    try:
        from tutor.notebook.build import assignments
    except ImportError:
        return None
    for a in assignments():
        if a.name == name:
            return tuple(e.id for e in a.exercises)
    return None


def handed_out(students: dict, *, settings: dict, settings_path: Path | None = None,
               names: Sequence[str] = (), only: str | None = None, due: str | None = None) -> list[Assignment]:
    """The assignments tutor's outputs cover (see the module's docstring)."""
    try:
        return _handed_out(students, settings, settings_path, names, only, due)
    except LateError as exc:   # a due date that is not one
        raise AssignmentError(str(exc)) from None


def _handed_out(students, settings, settings_path, names, only, due) -> list[Assignment]:
    where = str(settings_path or COURSE_FILE)
    course = course_assignments(settings, where)
    chosen = _chosen(students, course, where, names, only)
    if due is not None:
        when = parse_due(due, "--due")
        chosen = [Assignment(a.name, a.exercises, a.points, when) for a in chosen]
    return chosen


def _chosen(students, course: dict[str, Assignment], where: str, names, only) -> list[Assignment]:
    """The assignments the options, the class folder's layout or course.toml name, in that order."""
    if only is not None and names:
        raise AssignmentError("give --exercises or --assignment, not both.")
    if only is not None:
        return [Assignment(ALL, expand(only.split(","), "--exercises"))]
    if names:
        return _named(course, where, names)
    layout = _nbgrader_layout(students)
    if layout:
        return _from_layout(layout, course)
    if course:
        return list(course.values())
    return [Assignment(ALL, tuple(_known_ids()))]


def _named(course: dict[str, Assignment], where: str, names) -> list[Assignment]:
    missing = [n for n in names if n not in course]
    if missing:
        have = ", ".join(course) or "none"
        raise AssignmentError(f"--assignment {missing[0]}: not an assignment of {where} (it has: {have}).")
    return [course[n] for n in names]


def _nbgrader_layout(students) -> list[str]:
    """The assignment folders of nbgrader's layout, sorted; none for a plain class folder."""
    layout = sorted({a for s in students.values() for a in (s.meta.get("nbgrader") or {})})
    # A folder mixing plain students (modules) with nbgrader's layout is graded as a plain one:
    # the plain students' work must not vanish from the outputs.
    mixed = any(s.sources and not s.meta.get("nbgrader") for s in students.values())
    return [] if mixed else layout


def _from_layout(layout: list[str], course: dict[str, Assignment]) -> list[Assignment]:
    """Each assignment folder as course.toml defines it, else as `tutor nbgrader export` made it."""
    chosen = []
    for name in layout:
        if name in course:
            chosen.append(course[name])
        elif (ids := _exported(name)) is not None:
            chosen.append(Assignment(name, ids))
    return chosen


def late_policy(settings: dict, settings_path: Path | None) -> LatePolicy:
    try:
        return policy_from_settings(settings, f"{settings_path or COURSE_FILE} [late]")
    except LateError as exc:
        raise AssignmentError(str(exc)) from None


# --- totals ---------------------------------------------------------------------------------

@dataclass
class Total:
    student: str
    assignment: str
    score: float               # unrounded sum of the exercises' scores (in the assignment's points)
    max_score: float
    submitted: datetime | None = None
    seconds_late: float = 0.0
    penalty: float = 0.0
    note: str = ""             # e.g. a timestamp.txt that cannot be read

    @property
    def final(self) -> float:
        return max(0.0, self.score - self.penalty)


def scaled(assignment: Assignment, result: dict) -> tuple[float, float]:
    """(score, max) of one result in the assignment's points (course.toml may change them)."""
    max_score = float(result["max_score"])
    points = assignment.max_points(result["exercise"], max_score)
    score = float(result["score"] or 0.0)
    if max_score and points != max_score:
        score = score * points / max_score
    return score, points


def submission_folder(student, assignment: Assignment) -> Path:
    """Where the student's timestamp.txt is: the assignment's folder in nbgrader's layout."""
    if assignment.name in (student.meta.get("nbgrader") or {}):
        return Path(student.folder) / assignment.name
    return Path(student.folder)


def totals(student, results: Sequence[dict], assignment: Assignment, policy: LatePolicy | None,
           extension: timedelta | None = None) -> Total:
    """One student's total on one assignment, late penalty included. `results` are the
    gradebook's rows for the student; exercises without one count 0; `extension` moves the
    student's due date (nbgrader's grant_extension)."""
    by_id = {r["exercise"]: r for r in results}
    known = _known_ids()
    score = possible = 0.0
    for exercise in assignment.exercises:
        r = by_id.get(exercise)
        if r is None:
            possible += assignment.max_points(exercise, known.get(exercise, 0.0))
            continue
        s, p = scaled(assignment, r)
        score += s
        possible += p
    total = Total(student.name, assignment.name, score, possible)
    if assignment.due is not None:
        total.submitted, problem = read_timestamp(submission_folder(student, assignment))
        total.note = problem or ("" if total.submitted else "no timestamp.txt: counted as on time")
        total.seconds_late = seconds_late(total.submitted, assignment.due + (extension or timedelta(0)))
        if policy is not None:
            total.penalty = policy.penalty(score, total.seconds_late)
    return total
