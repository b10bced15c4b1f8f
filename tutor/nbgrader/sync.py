"""`tutor grade COURSE/submitted --out OUT --nbgrader-db COURSE/gradebook.db`: tutor's grades
into the course's nbgrader gradebook, so formgrader, `nbgrader generate_feedback` and
`nbgrader export` work as after `nbgrader autograde`, without running a single notebook.

Called by tutor/commands/grade.py after grading:

    check(nbgrader_db) -> str | None        before grading: is it a usable nbgrader gradebook?
    sync(nbgrader_db, rows, classfolder, results=None) -> str
        rows: (student, exercise id, score or None, max score) for every student x exercise;
        results (optional): {student: [result dicts with "exercise", "message", "details"]}
        for the diagnosis shown in the autograded notebooks (else the score alone is shown).
    start(the same) -> a function that returns sync()'s line: the sync begun now, in the
        process check() started (tutor/nbgrader/process.py), while grading's own
        views are written.
    prepare(nbgrader_db, classfolder) before grading: that process reads and shapes the
        submitted notebooks meanwhile (what needs no grade: prepare_notebooks).

For each student folder in the nbgrader layout and each assignment of the gradebook it holds,
this does what `nbgrader autograde` does, with tutor's scores in place of executing cells:

1. creates the student and the submission (timestamp.txt read as nbgrader does);
2. sanitises each notebook with nbgrader's own preprocessors (ClearOutput, DeduplicateIds,
   OverwriteKernelspec, OverwriteCells: a tampered test cell is put back from the source,
   CheckCellMetadata);
3. writes each tutor test cell's outcome as its output (display_data when passed; an error
   when it scored 0; an execute_result holding the score for partial credit: nbgrader's own
   partial-credit convention) and saves grades and comments with nbgrader's SaveAutoGrades
   and AssignLatePenalties, into autograded/<student>/<assignment>/<notebook>.ipynb.

All of it goes through one nbgrader Gradebook (tutor/nbgrader/session.py: nbgrader's
preprocessors otherwise open the gradebook and commit to it many times per notebook, most of
the sync's time), and all submissions as one transaction: one commit, one disk sync. When a
submission fails, nothing of that transaction is kept, and the submissions are written again
each as its own transaction, so that the failing one is reported and the others are written.

A graded cell that is not tutor's (a teacher added it) is not executed: it is marked for
manual grading. A notebook that was not submitted scores 0, as with nbgrader.
"""
from __future__ import annotations

import sqlite3
import warnings
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from tutor.nbgrader.files import (copy_other_files, instructor_files, notebook_text, read_submitted,
                                             real_folder, timestamp)
from tutor.files import atomic_write
from tutor.nbgrader.outputs import graded_cell_outputs
from tutor.notebook.cells import TEST, parse_grade_id
from tutor.safe_text import printable


def _db_url(path: Path) -> str:
    return "sqlite:///" + str(Path(path).resolve())


def check(nbgrader_db: Path) -> str | None:
    """A problem with the gradebook, or None. Reads it with sqlite3 (importing nbgrader takes
    seconds), and starts importing nbgrader in the background for the sync after grading."""
    path = Path(nbgrader_db)
    if not path.is_file():
        return (f"no such file. Give the course's gradebook.db (nbgrader creates it in the course folder on "
                f"`nbgrader generate_assignment`; run that first).")
    try:
        import importlib.util

        if importlib.util.find_spec("nbgrader") is None:
            raise ImportError
    except (ImportError, ValueError):
        return "nbgrader is not installed: pip install 'nn-tutor[classroom]' (or pip install nbgrader)."
    try:
        con = sqlite3.connect(f"file:{path.resolve()}?mode=ro", uri=True)
        try:
            tables = {row[0] for row in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
            if not {"assignment", "notebook", "student", "grade"} <= tables:
                return "not an nbgrader gradebook (it has no assignment, notebook, student and grade tables)."
            names = [row[0] for row in con.execute("SELECT name FROM assignment")]
        finally:
            con.close()
    except sqlite3.Error as exc:
        return f"not an nbgrader gradebook ({exc})."
    if not names:
        return ("the gradebook has no assignments yet: run `nbgrader generate_assignment ASSIGNMENT` in the "
                "course folder first.")
    from tutor.nbgrader import process as nbgrader_process

    nbgrader_process.start(path)   # imports nbgrader in a process of its own while the class is graded
    return None


def _zero_missing(gb, assignment: str, notebook: str, student: str) -> None:
    submission = gb.find_submission_notebook(notebook, assignment, student)
    for grade in submission.grades:
        grade.auto_score = 0
        grade.needs_manual_grade = False
    gb.db.commit()


@dataclass
class SyncRequest:
    """What the sync needs, as plain data (it may run in another process: tutor/nbgrader/process.py)."""
    nbgrader_db: str
    rows: list | None               # (student, exercise id, score or None, max score); None: not yet
    students: dict                  # name -> (folder, {assignment: {notebook: path}} or None)
    diagnoses: dict                 # student -> exercise id -> {"message", "details"}
    config: object = None           # the course's nbgrader configuration (traitlets Config)
    autograded: str | None = None


def sync(nbgrader_db: Path, rows, classfolder, results: dict | None = None, *, log=None, config=None,
         autograded: Path | None = None) -> str:
    """config: the course's nbgrader configuration (tutor.classroom.late.nbgrader_settings), so
    that the late penalty is nbgrader's configured one; autograded: its CourseDirectory.root's
    autograded/ folder (default: next to the gradebook)."""
    return start(nbgrader_db, rows, classfolder, results, config=config, autograded=autograded)()


def start(nbgrader_db: Path, rows, classfolder, results: dict | None = None, *, config=None,
          autograded: Path | None = None) -> Callable[[], str]:
    """sync(), begun: a function that returns its summary line (or raises). In the process
    check() started for this gradebook (tutor/nbgrader/process.py) the sync runs from now on, while the
    caller goes on; else it runs in this process when the function is called."""
    from tutor.nbgrader import process as nbgrader_process

    request = SyncRequest(str(nbgrader_db), [tuple(row) for row in rows], _students(classfolder),
                          _diagnoses(results), config, str(autograded) if autograded else None)
    try:
        pending = nbgrader_process.submit(request)
    except Exception:  # noqa: BLE001 - e.g. a configuration that cannot be handed over: synced here
        pending = None
    return pending.result if pending is not None else (lambda: sync_request(request))


def prepare(nbgrader_db: Path, classfolder, *, config=None, autograded: Path | None = None) -> None:
    """Before grading: the process check() started reads the submitted notebooks and puts them in
    shape with nbgrader's preprocessors (what needs no grade, prepare_notebooks) while the class is
    graded. Nothing happens without that process; nothing here ever fails the grading."""
    from tutor.nbgrader import process as nbgrader_process

    try:
        nbgrader_process.prepare(SyncRequest(str(nbgrader_db), None, _students(classfolder), {}, config,
                                             str(autograded) if autograded else None))
    except Exception:  # noqa: BLE001 - an optimisation only: the sync reads them itself
        pass


def _students(classfolder) -> dict:
    return {name: (str(student.folder), student.meta.get("nbgrader")) for name, student in classfolder.students.items()}


def _diagnoses(results: dict | None) -> dict:
    """What the test cells show of each result: its message and details."""
    by_student: dict[str, dict[str, dict]] = defaultdict(dict)
    for student, items in (results or {}).items():
        for item in (items.values() if isinstance(items, dict) else items):
            item = item if isinstance(item, dict) else getattr(item, "__dict__", {})
            if item.get("exercise"):
                by_student[student][item["exercise"]] = {"message": item.get("message"),
                                                         "details": list(item.get("details") or [])}
    return dict(by_student)


def sync_request(request: SyncRequest, ready: dict | None = None) -> str:
    """The sync; `ready`: notebooks prepare_notebooks() has read and put in shape already."""
    with warnings.catch_warnings():
        # nbgrader's own update_or_create_submission trips SQLAlchemy's autoflush warnings
        warnings.filterwarnings("ignore", message=".*not in session.*")
        return _sync(request, ready or {})


def _places(request: SyncRequest) -> tuple[Path, Path, Path]:
    """(the gradebook, the course folder, its autograded/ folder)."""
    nbgrader_db, autograded = Path(request.nbgrader_db), request.autograded
    course = Path(autograded).parent if autograded else nbgrader_db.resolve().parent
    return nbgrader_db, course, Path(autograded) if autograded else course / "autograded"


def _sync(request: SyncRequest, ready: dict) -> str:
    from tutor.nbgrader.imports import import_nbgrader
    from tutor.nbgrader.session import shared_gradebook

    import_nbgrader()
    nbgrader_db, course, autograded = _places(request)
    scores: dict[tuple[str, str], tuple] = {(s, e): (score, mx) for s, e, score, mx in request.rows}
    with shared_gradebook(_db_url(nbgrader_db)) as book:   # one gradebook (tutor/nbgrader/session.py)
        with book.transaction() as gb:
            known = {a.name: [n.name for n in a.notebooks] for a in gb.assignments}
        return _sync_students(book, nbgrader_db, course, autograded, known, scores, request.diagnoses,
                              request.students, request.config, ready)


def prepare_notebooks(request: SyncRequest) -> dict:
    """{(student, assignment, notebook, path): (notebook put in shape, None) or (None, why it is
    refused)} for every submitted notebook of the gradebook's assignments: what needs no grade
    (_sanitised), done before the grades are known. A notebook that raises is left out (the sync
    does it again, and reports what it raises)."""
    from tutor.nbgrader.imports import import_nbgrader
    from tutor.nbgrader.session import shared_gradebook

    import_nbgrader()
    nbgrader_db, course, _ = _places(request)
    ready: dict[tuple, tuple] = {}
    with warnings.catch_warnings(), shared_gradebook(_db_url(nbgrader_db)) as book:
        warnings.filterwarnings("ignore", message=".*not in session.*")
        with book.transaction() as gb:   # reads only: the instructor's notebooks and cells
            known = {a.name: [n.name for n in a.notebooks] for a in gb.assignments}
            instructor: dict[str, set] = {}
            for name, _folder, assignment, files in _submissions(request.students, known)[1]:
                if assignment not in instructor:
                    instructor[assignment] = instructor_files(course, assignment)
                for notebook, path in ((n, files[n]) for n in known[assignment] if n in files):
                    try:
                        ready[(name, assignment, notebook, path)] = _sanitised(
                            Path(path), instructor[assignment], book.db_url, name, assignment, notebook)
                    except Exception:  # noqa: BLE001 - done again by the sync, which reports it
                        pass
    return ready


def _sync_students(book, nbgrader_db: Path, course: Path, autograded: Path, known: dict, scores: dict,
                   by_student: dict, students: dict, config, ready: dict) -> str:
    skipped, submissions = _submissions(students, known)
    instructor = {assignment: instructor_files(course, assignment) for assignment in {s[2] for s in submissions}}

    def write(submission, tally: _Tally, ready: dict) -> None:
        name, folder, assignment, files = submission
        _sync_submission(book.gradebook, book.db_url, course, autograded, name, folder, assignment, files,
                         known[assignment], scores, by_student.get(name, {}), tally, config, instructor[assignment],
                         ready)

    tally = _Tally(skipped)
    try:   # the usual case: every submission in one transaction, so one commit (one disk sync), not one each
        with book.transaction():
            for submission in submissions:
                write(submission, tally, ready)
                book.release()   # written into the transaction: the session holds the next one only
    except Exception:  # noqa: BLE001 - nothing was written: again, one transaction per submission
        tally = _Tally(skipped)
        for submission in submissions:
            manual = tally.manual
            try:   # one submission's trouble is that submission's: the others are still written
                with book.transaction():
                    write(submission, tally, {})   # every notebook read again
            except Exception as exc:  # noqa: BLE001 - reported with an incident id, never hidden
                from tutor.classroom.incidents import report

                tally.manual = manual   # its writes were rolled back, its manual-grading marks too
                tally.skipped.append(f"{submission[0]}/{submission[2]} ({report(exc, submission[0])})")
    return _summary(tally, nbgrader_db, autograded)


def _submissions(students: dict, known: dict) -> tuple[list[str], list[tuple]]:
    """(what is skipped and why, [(student name, folder, assignment, {notebook: path})])."""
    skipped, submissions = [], []
    for name, (folder, layout) in students.items():
        if not layout:
            skipped.append(f"{name} (not in the nbgrader layout)")
            continue
        for assignment, files in sorted(layout.items()):
            if assignment in known:
                submissions.append((name, folder, assignment, files))
            else:
                skipped.append(f"{name}/{assignment} (not an assignment of the gradebook)")
    return skipped, submissions


def _summary(tally: "_Tally", nbgrader_db: Path, autograded: Path) -> str:
    parts = [f"nbgrader gradebook {nbgrader_db}: {tally.synced} submission(s) written "
             f"({tally.notebooks_written} notebook(s) in {autograded})"]
    if tally.manual:
        parts.append(f"{tally.manual} graded cell(s) that are not tutor's need manual grading in formgrader")
    if tally.refused:
        shown = "; ".join(tally.refused[:5]) + (f" and {len(tally.refused) - 5} more" if len(tally.refused) > 5 else "")
        parts.append(f"refused {len(tally.refused)} submitted notebook(s), which score 0: {shown}")
    if tally.skipped:
        shown = ", ".join(tally.skipped[:5]) + (f" and {len(tally.skipped) - 5} more" if len(tally.skipped) > 5 else "")
        parts.append(f"skipped {shown}")
    return printable("; ".join(parts) + ".")


class _Tally:
    def __init__(self, skipped: list[str]):
        self.synced = self.notebooks_written = self.manual = 0
        self.skipped: list[str] = list(skipped)
        self.refused: list[str] = []


def _sync_submission(gb, db_url: str, course: Path, autograded: Path, name: str, student_folder: str, assignment: str,
                     files: dict, notebooks: list[str], scores: dict, results: dict, tally: _Tally,
                     config, instructor: set, ready: dict) -> None:
    folder = Path(student_folder) / assignment
    handed_in = timestamp(folder)
    gb.update_or_create_student(name)
    if handed_in:
        gb.update_or_create_submission(assignment, name, timestamp=handed_in)
    else:
        gb.update_or_create_submission(assignment, name)
    if not autograded.exists():
        autograded.mkdir(parents=True)
    out_dir = real_folder(autograded / name / assignment, autograded)
    for notebook in notebooks:
        source = files.get(notebook)
        if source is None:
            nb, problem = None, "was not submitted"
        else:
            nb, problem = ready.pop((name, assignment, notebook, source), None) or _sanitised(
                Path(source), instructor, db_url, name, assignment, notebook)
        if nb is None:
            if source is not None:
                tally.refused.append(f"{name}/{assignment}/{notebook}.ipynb {problem}")
            _zero_missing(gb, assignment, notebook, name)
            continue
        nb = _grade_notebook(nb, gb, db_url, name, assignment, notebook, scores, results, tally, config)
        atomic_write(out_dir / f"{notebook}.ipynb", notebook_text(nb))
        tally.notebooks_written += 1
    copy_other_files(course / "source" / assignment, out_dir)
    tally.synced += 1


def _resources(db_url: str, name: str, assignment: str, notebook: str) -> dict:
    return {"nbgrader": {"notebook": notebook, "assignment": assignment, "student": name, "db_url": db_url}}


def _sanitised(path: Path, instructor: set, db_url: str, name: str, assignment: str, notebook: str):
    """(the submitted notebook, put in shape as `nbgrader autograde` does before it runs anything:
    ClearOutput, DeduplicateIds, OverwriteKernelspec, OverwriteCells (a tampered cell put back from
    the source) and CheckCellMetadata; None) or (None, why it is refused)."""
    from nbgrader.preprocessors import (CheckCellMetadata, ClearOutput, DeduplicateIds, OverwriteCells,
                                        OverwriteKernelspec)

    nb, problem = read_submitted(path, instructor)
    if nb is None:
        return None, problem
    resources = _resources(db_url, name, assignment, notebook)
    for pre in (ClearOutput(), DeduplicateIds(), OverwriteKernelspec(), OverwriteCells(), CheckCellMetadata()):
        nb, resources = pre.preprocess(nb, resources)
    return nb, None


def _grade_notebook(nb, gb, db_url: str, name: str, assignment: str, notebook: str, scores: dict, results: dict,
                    tally: _Tally, config=None):
    """What `nbgrader autograde` does to a notebook put in shape (_sanitised), with tutor's scores
    in the test cells."""
    from nbgrader.api import MissingEntry
    from nbgrader.preprocessors import AssignLatePenalties, SaveAutoGrades

    resources = _resources(db_url, name, assignment, notebook)
    foreign: list[str] = []
    for cell in nb.cells:
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if not meta.get("grade") or cell.cell_type != "code":
            continue
        parsed = parse_grade_id(meta.get("grade_id"))
        if parsed is None or parsed[0] != TEST:
            foreign.append(meta.get("grade_id"))
            continue
        exercise = parsed[1]
        points = float(meta.get("points", 0))
        score, max_score = scores.get((name, exercise), (None, points))
        if score is not None and max_score and max_score != points:
            score = score * points / max_score   # the teacher changed the cell's points
        if score is not None:
            score = max(0.0, min(float(score), points))
        cell.outputs = graded_cell_outputs(exercise, score, points, results.get(exercise))
        cell.execution_count = None
        if score is None:
            foreign.append(meta.get("grade_id"))
    nb, resources = SaveAutoGrades().preprocess(nb, resources)
    for grade_id in foreign:
        try:
            grade = gb.find_grade(grade_id, notebook, assignment, name)
        except MissingEntry:
            continue
        grade.auto_score = None
        grade.needs_manual_grade = True
        tally.manual += 1
    if foreign:
        gb.db.commit()
    # with the course's config, as autograde: LateSubmissionPlugin.penalty_method, plugin_class
    late = AssignLatePenalties(config=config) if config is not None else AssignLatePenalties()
    nb, resources = late.preprocess(nb, resources)
    return nb


__all__ = ["check", "sync"]
