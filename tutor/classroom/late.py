"""Late work: when a submission was handed in, when it was due, and what that costs.

Submission times are read the way nbgrader reads them: `timestamp.txt` in the submission
folder (one line, e.g. `2026-11-20 12:00:00.000000 UTC`, as `nbgrader submit` writes it; an
ISO 8601 time works too; a time without a zone is UTC, as nbgrader's `parse_utc`). A
submission is late by max(0, submitted - due) seconds (nbgrader's `total_seconds_late`).

The policies (the `[late]` table of course.toml, or nbgrader's
`LateSubmissionPlugin.penalty_method` for an nbgrader course):

    none       no penalty (nbgrader's default)
    zero       a late submission scores 0 (nbgrader's 'zero': penalty = score)
    per_hour   `per_hour` points off for every hour or part of an hour late, never below 0

For an nbgrader course the penalty itself is assigned by nbgrader's own AssignLatePenalties
with the course's configuration (tutor/nbgrader/sync.py); `nbgrader_settings` reads that
configuration the way `nbgrader autograde` does (nbgrader_config.py in Jupyter's config
path, then in the course folder), and also gives the course root (`CourseDirectory.root`).
"""
from __future__ import annotations

import math
import re
import sqlite3
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

TIMESTAMP_FILE = "timestamp.txt"
POLICIES = ("none", "zero", "per_hour")
MAX_TIMESTAMP_BYTES = 200


class LateError(ValueError):
    """A due date or a late policy that cannot be used; str() says what to do."""


@dataclass(frozen=True)
class LatePolicy:
    method: str = "none"
    per_hour: float = 0.0
    source: str = ""          # where it was configured, for the feedback

    def penalty(self, score: float, seconds_late: float) -> float:
        """Points taken off `score` for a submission `seconds_late` late (0 when on time)."""
        if seconds_late <= 0 or score <= 0 or self.method == "none":
            return 0.0
        if self.method == "zero":
            return float(score)
        hours = math.ceil(seconds_late / 3600)
        return min(float(score), hours * self.per_hour)

    def describe(self) -> str:
        where = f" ({self.source})" if self.source else ""
        if self.method == "zero":
            return f"a late submission scores 0{where}."
        if self.method == "per_hour":
            return f"{self.per_hour:g} point(s) off for every hour or part of an hour late, never below 0{where}."
        return f"no penalty for late submissions{where}."


def policy_from_settings(settings: dict, source: str = "course.toml [late]") -> LatePolicy:
    """The `[late]` table: policy = "none" | "zero" | "per_hour", per_hour = points per hour."""
    if "late" not in settings:
        return LatePolicy()   # nbgrader's default too
    table = settings.get("late") or {}
    if not isinstance(table, dict):
        raise LateError(f"{source}: [late] must be a table (policy = \"none\" | \"zero\" | \"per_hour\").")
    method = table.get("policy", "none")
    if method not in POLICIES:
        raise LateError(f"{source}: policy = {method!r} is not one of {', '.join(POLICIES)}.")
    per_hour = table.get("per_hour", 0.0)
    if isinstance(per_hour, bool) or not isinstance(per_hour, (int, float)) or not 0 <= per_hour < math.inf:
        raise LateError(f"{source}: per_hour must be a number of points, 0 or more (got {per_hour!r}).")
    if method == "per_hour" and per_hour == 0:
        raise LateError(f"{source}: policy = \"per_hour\" needs per_hour = <points off per hour late>.")
    return LatePolicy(method, float(per_hour), source)


_ZONE_WORD = re.compile(r"^(.*\d)\s+([A-Za-z][A-Za-z_/+\-0-9]*|[+-]\d{2}:?\d{2})$")


def parse_timestamp(text: str) -> datetime:
    """A time as nbgrader writes or reads it, as an aware UTC datetime; ValueError if not one."""
    text = str(text).strip()
    if not text:
        raise ValueError("empty")
    try:
        import dateutil.parser  # nbgrader's own parser, where installed

        from nbgrader.utils import parse_utc   # noqa: F401 - exactly nbgrader's reading
    except ImportError:
        return _parse_plain(text)
    try:
        value = parse_utc(text)
    except (ValueError, OverflowError, TypeError, dateutil.parser.ParserError) as exc:
        raise ValueError(str(exc)) from None
    return value.replace(tzinfo=timezone.utc)


def _parse_plain(text: str) -> datetime:
    match = _ZONE_WORD.match(text)
    if match and match.group(2).upper() in ("UTC", "GMT", "Z"):
        text = match.group(1)
    value = datetime.fromisoformat(text.replace("Z", "+00:00") if text.endswith("Z") else text)
    if value.tzinfo is None:
        return value.replace(tzinfo=timezone.utc)
    return value.astimezone(timezone.utc)


def parse_due(text: str, where: str) -> datetime:
    try:
        return parse_timestamp(text)
    except ValueError:
        raise LateError(f"{where}: {text!r} is not a date and time; write it as ISO 8601, "
                        f"e.g. 2026-12-01T23:59:00+00:00.") from None


def read_timestamp(folder: Path) -> tuple[datetime | None, str | None]:
    """(submission time, None), (None, None) when there is no timestamp.txt, or (None, problem)."""
    path = Path(folder) / TIMESTAMP_FILE
    try:
        if path.is_symlink() or not path.is_file():
            return None, (f"{TIMESTAMP_FILE} is not a regular file; ignored" if path.exists() or path.is_symlink()
                          else None)
        with open(path, "rb") as f:
            data = f.read(MAX_TIMESTAMP_BYTES + 1)
    except OSError as exc:
        return None, f"{TIMESTAMP_FILE} cannot be read ({exc.strerror}); the submission counts as on time"
    try:
        return parse_timestamp(data[:MAX_TIMESTAMP_BYTES].decode("utf-8", "replace")), None
    except ValueError:
        return None, f"{TIMESTAMP_FILE} does not hold a date and time; the submission counts as on time"


def seconds_late(submitted: datetime | None, due: datetime | None) -> float:
    """nbgrader's total_seconds_late: 0 without a time or a due date, never negative."""
    if submitted is None or due is None:
        return 0.0
    return max(0.0, (submitted - due).total_seconds())


def describe_late(seconds: float) -> str:
    if seconds <= 0:
        return "on time"
    days, rest = divmod(int(math.ceil(seconds)), 86400)
    hours, rest = divmod(rest, 3600)
    minutes = math.ceil(rest / 60)
    parts = [f"{days} d"] * bool(days) + [f"{hours} h"] * bool(hours) + [f"{minutes} min"] * bool(minutes)
    return " ".join(parts) + " late"


# --- nbgrader's configuration ------------------------------------------------------------------

@dataclass(frozen=True)
class NbgraderSettings:
    config: object              # traitlets Config, what AssignLatePenalties is built with
    root: Path                  # CourseDirectory.root (or the folder of nbgrader_config.py)
    autograded: Path            # root / CourseDirectory.autograded_directory
    policy: LatePolicy | None   # None: a custom LateSubmissionPlugin (nbgrader computes it)


def nbgrader_settings(*course_folders: Path) -> NbgraderSettings:
    """nbgrader's configuration as `nbgrader autograde` run in the course folder reads it:
    nbgrader_config.py from Jupyter's config path, then from the course folder (the first of
    `course_folders` that holds one; later files win)."""
    from jupyter_core.paths import jupyter_config_path
    from traitlets.config import Config
    from traitlets.config.loader import ConfigFileNotFound, PyFileConfigLoader

    folders = [Path(f).resolve() for f in course_folders]
    course = next((f for f in folders if (f / "nbgrader_config.py").is_file()), folders[0])
    config = Config()
    for folder in [*reversed(jupyter_config_path()), str(course)]:
        try:
            loaded = PyFileConfigLoader("nbgrader_config.py", path=str(folder)).load_config()
        except ConfigFileNotFound:
            continue
        except Exception as exc:  # noqa: BLE001 - the instructor's file: say which and why
            raise LateError(f"{Path(folder) / 'nbgrader_config.py'} cannot be read ({type(exc).__name__}: "
                            f"{exc}); fix it (nbgrader autograde would fail on it too).") from None
        config.merge(loaded)
    root_text = config.CourseDirectory.get("root") if "CourseDirectory" in config else None
    root = Path(root_text) if root_text else course
    if not root.is_absolute():
        root = course / root
    autograded_name = (config.CourseDirectory.get("autograded_directory") if "CourseDirectory" in config
                       else None) or "autograded"
    return NbgraderSettings(config, root, root / autograded_name, _nbgrader_policy(config))


def _nbgrader_policy(config) -> LatePolicy | None:
    plugin = config.AssignLatePenalties.get("plugin_class") if "AssignLatePenalties" in config else None
    if plugin not in (None, "", "nbgrader.plugins.LateSubmissionPlugin",
                      "nbgrader.plugins.latesubmission.LateSubmissionPlugin"):
        return None
    method = (config.LateSubmissionPlugin.get("penalty_method") if "LateSubmissionPlugin" in config
              else None) or "none"
    if method not in ("none", "zero"):
        raise LateError(f"nbgrader_config.py: LateSubmissionPlugin.penalty_method = {method!r} is not one of "
                        f"'none', 'zero' (nbgrader autograde would refuse it too).")
    return LatePolicy(method, 0.0, "nbgrader_config.py, LateSubmissionPlugin.penalty_method")


def nbgrader_extensions(db: Path) -> dict[tuple[str, str], timedelta]:
    """{(student, assignment): extension} granted in an nbgrader gradebook (grant_extension).
    Read with sqlite3, as nbgrader_due_dates: importing nbgrader takes seconds before grading can
    start (the gradebook sync imports it in the background meanwhile); through nbgrader when the
    table is not as nbgrader 0.9 writes it."""
    try:
        return _extensions_sqlite(db)
    except (sqlite3.Error, ValueError, TypeError):
        return _extensions_nbgrader(db)


_EPOCH = datetime(1970, 1, 1)


def _extensions_sqlite(db: Path) -> dict[tuple[str, str], timedelta]:
    # SQLAlchemy's Interval on SQLite: a DATETIME holding 1970-01-01 + the interval.
    con = sqlite3.connect(f"file:{Path(db).resolve()}?mode=ro", uri=True)
    try:
        rows = con.execute("SELECT s.student_id, a.name, s.extension FROM submitted_assignment s "
                           "JOIN assignment a ON a.id = s.assignment_id WHERE s.extension IS NOT NULL").fetchall()
    finally:
        con.close()
    out = {}
    for student, assignment, stored in rows:
        extension = datetime.fromisoformat(stored) - _EPOCH
        if extension:
            out[(student, assignment)] = extension
    return out


def _extensions_nbgrader(db: Path) -> dict[tuple[str, str], timedelta]:
    from nbgrader.api import Gradebook

    out = {}
    with Gradebook("sqlite:///" + str(Path(db).resolve())) as gb:
        for assignment in gb.assignments:
            for submission in assignment.submissions:
                if submission.extension:
                    out[(submission.student.id, assignment.name)] = submission.extension
    return out


def nbgrader_due_dates(db: Path) -> dict[str, datetime]:
    """{assignment: due date} from an nbgrader gradebook (naive times there are UTC)."""
    import sqlite3

    con = sqlite3.connect(f"file:{Path(db).resolve()}?mode=ro", uri=True)
    try:
        rows = con.execute("SELECT name, duedate FROM assignment WHERE duedate IS NOT NULL").fetchall()
    finally:
        con.close()
    out = {}
    for name, due in rows:
        try:
            out[name] = parse_timestamp(str(due))
        except ValueError:
            continue
    return out
