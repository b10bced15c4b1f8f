"""A course's settings (`course.toml`) and its hidden-test secret (`.tutor-secret`).

    COURSE/course.toml        the instructor's choices, read by export, check(), `tutor check
                              --course` and `tutor grade`:

        [course]
        name = "nn-course"
        hints = true            # offer hints
        solutions = true        # offer solution reveals after solving
        [assignments.01_perceptron]
        exercises = ["perceptron.perceptron_predict", ...]
        points = { "perceptron.perceptron_predict" = 2 }   # optional overrides
        due = "2026-12-01T23:59:00+00:00"                  # optional

    COURSE/.tutor-secret      random bytes (hex), mode 0600, written once by `tutor nbgrader
                              export`, never released (it is outside source/ and release/):
                              the hidden tests' inputs are derived from it, so only the
                              instructor's course folder can run them.

    load_course(folder) -> Course     a missing course.toml is the default course (every
                                      lesson an assignment); a bad one raises CourseError
                                      with one line naming the problem
    find_secret(start) -> bytes|None  the secret of the course folder above `start`
"""
from __future__ import annotations

import os
import secrets
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

SETTINGS = "course.toml"
SECRET = ".tutor-secret"
SECRET_ENV = "TUTOR_COURSE"      # a course folder, for kernels started outside it


class CourseError(ValueError):
    """course.toml is not usable; str() is one line naming the problem and what to do."""


@dataclass(frozen=True)
class AssignmentSettings:
    name: str
    exercises: tuple[str, ...]
    points: dict = field(default_factory=dict)     # exercise id -> points (overrides)
    due: str | None = None


@dataclass(frozen=True)
class Course:
    folder: Path
    name: str = "tutor"
    hints: bool = True
    solutions: bool = True
    assignments: tuple[AssignmentSettings, ...] = ()   # empty: one per lesson (the default course)
    configured: bool = False                           # a course.toml was read

    def secret(self) -> bytes | None:
        return read_secret(self.folder)

    def points(self, exercise_id: str) -> float | None:
        for assignment in self.assignments:
            if exercise_id in assignment.points:
                return assignment.points[exercise_id]
        return None

    def select(self, exercises) -> list:
        """Of `exercises`, those the course assigns, with its points (the default course: all)."""
        if not self.assignments:
            return list(exercises)
        chosen = {e.id: e for e in self.exercises()}
        return [chosen[e.id] for e in exercises if e.id in chosen]

    def exercises(self) -> list:
        """The manifest exercises the course assigns, with its points (all of them by default)."""
        import dataclasses

        from tutor import manifest

        if not self.assignments:
            return list(manifest.EXERCISES)
        chosen = []
        for assignment in self.assignments:
            for exercise_id in assignment.exercises:
                exercise = manifest.by_id(exercise_id)
                points = assignment.points.get(exercise_id)
                chosen.append(exercise if points is None else dataclasses.replace(exercise, points=points))
        return chosen


def _problem(path: Path, text: str) -> CourseError:
    return CourseError(f"{path}: {text}")


def _exercise_ids(path: Path, name: str, value) -> tuple[str, ...]:
    from tutor import manifest

    if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
        raise _problem(path, f"[assignments.{name}] exercises must be a non-empty list of exercise ids "
                             f"such as \"layers.affine_forward\"")
    known = {e.id for e in manifest.EXERCISES}
    for exercise_id in value:
        if exercise_id not in known:
            import difflib

            close = difflib.get_close_matches(exercise_id, sorted(known), n=1)
            hint = f" (did you mean {close[0]}?)" if close else ""
            raise _problem(path, f"[assignments.{name}] names {exercise_id!r}, which is not an exercise{hint}")
    if len(set(value)) != len(value):
        raise _problem(path, f"[assignments.{name}] lists an exercise twice")
    return tuple(value)


def _points(path: Path, name: str, value, exercises: tuple[str, ...]) -> dict:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise _problem(path, f"[assignments.{name}] points must be a table {{ \"module.function\" = 2 }}")
    out = {}
    for exercise_id, points in value.items():
        if exercise_id not in exercises:
            raise _problem(path, f"[assignments.{name}] gives points to {exercise_id!r}, which it does not assign")
        if isinstance(points, bool) or not isinstance(points, (int, float)) or not 0 < points <= 1000:
            raise _problem(path, f"[assignments.{name}] points of {exercise_id} must be a number above 0")
        out[exercise_id] = points
    return out


def _assignment(path: Path, name: str, table) -> AssignmentSettings:
    if not isinstance(table, dict):
        raise _problem(path, f"[assignments.{name}] must be a table")
    unknown = set(table) - {"exercises", "points", "due"}
    if unknown:
        raise _problem(path, f"[assignments.{name}] has unknown key(s) {', '.join(sorted(unknown))} "
                             f"(known: exercises, points, due)")
    exercises = _exercise_ids(path, name, table.get("exercises"))
    due = table.get("due")
    if due is not None:
        import datetime

        try:
            datetime.datetime.fromisoformat(str(due))
        except ValueError:
            raise _problem(path, f"[assignments.{name}] due {due!r} is not a date such as "
                                 f"\"2026-12-01T23:59:00+00:00\"") from None
        due = str(due)
    return AssignmentSettings(name, exercises, _points(path, name, table.get("points"), exercises), due)


def load_course(folder) -> Course:
    """The course of `folder` from its course.toml, or the default course when there is none."""
    folder = Path(folder)
    if not folder.is_dir():
        raise CourseError(f"{folder}: no such course folder (give the folder that holds course.toml)")
    path = folder / SETTINGS
    if not path.is_file():
        return Course(folder)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise _problem(path, f"cannot be read ({exc})") from None
    except tomllib.TOMLDecodeError as exc:
        raise _problem(path, f"is not valid TOML ({exc}); fix it or delete it for the default course") from None
    unknown = set(data) - {"course", "assignments"}
    if unknown:
        raise _problem(path, f"has unknown section(s) {', '.join(sorted(unknown))} (known: [course], [assignments.NAME])")
    head = data.get("course", {})
    if not isinstance(head, dict):
        raise _problem(path, "[course] must be a table")
    for key in ("hints", "solutions"):
        if key in head and not isinstance(head[key], bool):
            raise _problem(path, f"[course] {key} must be true or false")
    name = head.get("name", "tutor")
    if not isinstance(name, str) or not name.strip():
        raise _problem(path, "[course] name must be a non-empty string")
    tables = data.get("assignments", {})
    if not isinstance(tables, dict):
        raise _problem(path, "[assignments] must hold one table per assignment: [assignments.01_perceptron]")
    assignments = []
    for assignment_name, table in tables.items():
        if not assignment_name.replace("_", "").replace("-", "").isalnum():
            raise _problem(path, f"assignment name {assignment_name!r}: use letters, digits, _ and -")
        assignments.append(_assignment(path, assignment_name, table))
    return Course(folder, name.strip(), head.get("hints", True), head.get("solutions", True),
                  tuple(assignments), configured=True)


def default_settings(assignments) -> str:
    """A course.toml describing `assignments` (tutor.notebook.build.Assignment), for the instructor to edit."""
    lines = ['# The course\'s settings, read by `tutor nbgrader export`, check(), `tutor check --course`',
             '# and `tutor grade`. Edit, then run `tutor nbgrader export --force` again.',
             "[course]", 'name = "tutor"', "hints = true        # offer hints",
             "solutions = true    # offer solution reveals after solving", ""]
    for assignment in assignments:
        ids = ", ".join(f'"{e.id}"' for e in assignment.exercises)
        lines += [f"[assignments.{assignment.name}]", f"exercises = [{ids}]",
                  "# points = { \"module.function\" = 2 }", ""]
    return "\n".join(lines)


# --- the hidden-test secret ---------------------------------------------------------------------

def read_secret(folder) -> bytes | None:
    path = Path(folder) / SECRET
    try:
        text = path.read_text(encoding="ascii").strip()
        value = bytes.fromhex(text)
    except (OSError, ValueError):
        return None
    return value if len(value) >= 16 else None


def write_secret(folder) -> Path:
    """COURSE/.tutor-secret (mode 0600), unless it exists: an existing secret is never replaced
    (grades already given would change)."""
    path = Path(folder) / SECRET
    if path.exists():
        return path
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as f:
        f.write(secrets.token_hex(32) + "\n")
    return path


def find_secret(start=None) -> bytes | None:
    """The hidden-test secret: $TUTOR_COURSE's, else that of the OUTERMOST folder above `start`
    (default: the working directory) holding one. Outermost: autograde runs a student's notebook
    in COURSE/autograded/<student>/<assignment>/, where the student's own files are copied, so
    a `.tutor-secret` a student submitted must never be preferred to the course's."""
    env = os.environ.get(SECRET_ENV, "").strip()
    if env:
        return read_secret(env)
    here = Path(start or os.getcwd()).resolve()
    found = None
    for folder in [here, *here.parents]:
        secret = read_secret(folder)
        if secret is not None:
            found = secret
    return found


def find_course(start=None) -> Course | None:
    """The course folder above `start` holding a course.toml (outermost, as find_secret), loaded."""
    env = os.environ.get(SECRET_ENV, "").strip()
    if env:
        return load_course(env)
    here = Path(start or os.getcwd()).resolve()
    found = None
    for folder in [here, *here.parents]:
        if (folder / SETTINGS).is_file():
            found = folder
    return load_course(found) if found else None


def solutions_enabled(start=None) -> bool:
    """Does the course around `start` (or $TUTOR_COURSE) offer its solutions after solving?
    True with no course; False when its course.toml says `solutions = false`, or cannot be read
    (a setting meant to turn reveals off is never ignored because of a typo elsewhere)."""
    try:
        course = find_course(start)
    except CourseError:
        return False
    return True if course is None else bool(course.solutions)
