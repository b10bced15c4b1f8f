"""What `tutor grade` needs to know about the term before grading: the course folder and its
settings, the assignments handed out, the late policy, the roster, and where the output may go.
Everything here is checked before a single student is graded; a problem is a TermError whose
str() is the one line the instructor reads (exit status 2).

    course_folder(args, submissions) -> Path | None
    check_out(submissions, out)                     --out equal to or inside the class: refused
    prepare(args, classfolder) -> Term
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from tutor.classroom.assignments import (COURSE_FILE, Assignment, AssignmentError, handed_out, late_policy,
                                         read_settings)
from tutor.classroom.late import LateError, LatePolicy
from tutor.classroom.roster import ROSTER_FILE, Member, RosterError, find_roster, read_roster, reconcile


class TermError(ValueError):
    """An instructor's input that cannot be used; str() says what to do."""


@dataclass
class Term:
    course: Path | None
    assignments: list[Assignment]
    policy: LatePolicy | None
    roster: dict[str, Member] = field(default_factory=dict)
    roster_path: Path | None = None
    missing: list[str] = field(default_factory=list)        # on the roster, no submission
    unknown: list[str] = field(default_factory=list)        # submitted, not on the roster
    autograded: Path | None = None                          # nbgrader: where autograded/ goes
    nbgrader_config: object = None                          # nbgrader: its traitlets Config
    similarity: str = ""                                    # the similarity report's summary line
    unknown_assignments: list[str] = field(default_factory=list)   # nbgrader folders tutor does not know
    extensions: dict = field(default_factory=dict)          # nbgrader: {(student, assignment): timedelta}

    def warnings(self) -> list[str]:
        """The roster against the class folder, in words."""
        lines = []
        if self.unknown_assignments:
            lines.append(f"the assignment folder(s) {_some(self.unknown_assignments)} are neither in {COURSE_FILE} nor "
                         f"assignments of `tutor nbgrader export`: left out of tutor's outputs (name their exercises "
                         f"in {COURSE_FILE} as [assignments.NAME] exercises = [...]).")
        if self.unknown:
            lines.append(f"{len(self.unknown)} submission(s) are not on the roster {self.roster_path} "
                         f"({_some(self.unknown)}): graded; add them to the roster to export their grades.")
        if self.missing:
            lines.append(f"{len(self.missing)} student(s) on the roster handed nothing in ({_some(self.missing)}): "
                         f"0 (missing) in totals.csv and the exports.")
        return lines

    def options(self) -> dict:
        """What the gradebook's runs.options records (tutor export reads roster and course)."""
        return {"course": str(self.course.resolve()) if self.course else None,
                "roster": str(self.roster_path.resolve()) if self.roster_path else None,
                "assignments": [a.name for a in self.assignments],
                "late": self.policy.describe() if self.policy else "nbgrader plugin"}

    def sync_options(self) -> dict:
        """Keyword arguments of tutor.nbgrader.sync.sync: nbgrader's own configuration and course root."""
        if self.nbgrader_config is None:
            return {}
        return {"config": self.nbgrader_config, "autograded": self.autograded}


def _some(names: list[str]) -> str:
    return ", ".join(names[:5]) + (f" and {len(names) - 5} more" if len(names) > 5 else "")


def course_folder(args, submissions: Path) -> Path | None:
    """--course DIR; else the folder of --nbgrader-db; else the class folder's parent when it
    holds course.toml or roster.csv (COURSE/submitted, or COURSE/class)."""
    given = getattr(args, "course", None)
    if given is not None:
        if not Path(given).is_dir():
            raise TermError(f"--course {given}: no such folder; give the course folder (it holds {COURSE_FILE} "
                            f"and {ROSTER_FILE}).")
        return Path(given)
    if getattr(args, "nbgrader_db", None) is not None:
        return Path(args.nbgrader_db).resolve().parent
    parent = Path(submissions).resolve().parent
    if (parent / COURSE_FILE).is_file() or (parent / ROSTER_FILE).is_file():
        return parent
    return None


def check_out(submissions: Path, out: Path) -> None:
    """OUT must not be the class folder nor inside it: its feedback/ and reference-cache/
    would be read as students on the next run."""
    root, target = Path(submissions).resolve(), Path(out).resolve()
    if target == root:
        raise TermError(f"--out {out} is the class folder itself; its feedback/ and reference-cache/ would be "
                        f"graded as students next time. Choose a folder outside it, e.g. {root.parent / 'grades'}.")
    if root in target.parents:
        raise TermError(f"--out {out} is inside the class folder {submissions}; its feedback/ and "
                        f"reference-cache/ would be graded as students next time. Choose a folder outside it, "
                        f"e.g. {root.parent / 'grades'}.")


def prepare(args, classfolder) -> Term:
    course = course_folder(args, classfolder.root)
    try:
        settings, settings_path = read_settings(course)
        assignments = handed_out(classfolder.students, settings=settings, settings_path=settings_path,
                                 names=list(getattr(args, "assignment", None) or []),
                                 only=getattr(args, "exercises", None), due=getattr(args, "due", None))
        policy = late_policy(settings, settings_path)
    except (AssignmentError, LateError) as exc:
        raise TermError(str(exc)) from None
    if not assignments:
        raise TermError(f"{classfolder.root}: none of its assignment folders is an assignment tutor knows; name "
                        f"them in {COURSE_FILE} ([assignments.NAME] exercises = [...]).")
    term = Term(course, assignments, policy)
    folders = sorted({a for s in classfolder.students.values() for a in (s.meta.get("nbgrader") or {})})
    term.unknown_assignments = [a for a in folders if a not in {x.name for x in assignments}] \
        if not (getattr(args, "exercises", None) or getattr(args, "assignment", None)) else []
    if getattr(args, "nbgrader_db", None) is not None:
        _nbgrader(term, args, classfolder)
    roster_path = find_roster(getattr(args, "roster", None), course)
    if roster_path is not None:
        try:
            term.roster = read_roster(roster_path)
        except RosterError as exc:
            raise TermError(str(exc)) from None
        term.roster_path = roster_path
        term.missing, term.unknown = reconcile(term.roster, list(classfolder.students))
    return term


def _nbgrader(term: Term, args, classfolder) -> None:
    """An nbgrader course: nbgrader's late policy and due dates win over course.toml's, as
    nbgrader autograde (which assigns the penalty in the gradebook) uses them."""
    from tutor.classroom.late import nbgrader_due_dates, nbgrader_extensions, nbgrader_settings

    db = Path(args.nbgrader_db)
    try:
        settings = nbgrader_settings(Path(classfolder.root).resolve().parent, db.resolve().parent)
        due = nbgrader_due_dates(db)
    except LateError as exc:
        raise TermError(str(exc)) from None
    except Exception:  # noqa: BLE001 - nbgrader's check() reports an unusable gradebook
        return
    try:
        term.extensions = nbgrader_extensions(db)
    except Exception:  # noqa: BLE001 - without them the totals use the due date (nbgrader's gradebook has them)
        term.extensions = {}
    term.policy = settings.policy
    term.autograded = settings.autograded
    term.nbgrader_config = settings.config
    term.assignments = [Assignment(a.name, a.exercises, a.points, due.get(a.name, a.due)) for a in term.assignments]
