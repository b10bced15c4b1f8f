"""`tutor grade COURSE/submitted --out OUT --nbgrader-db COURSE/gradebook.db`: tutor's grades
into the course's nbgrader gradebook, so formgrader, `nbgrader generate_feedback` and
`nbgrader export` work as after `nbgrader autograde`, without running a single notebook.

Called by tutor/commands/grade.py after grading:

    check(nbgrader_db) -> str | None        before grading: is it a usable nbgrader gradebook?
    sync(nbgrader_db, rows, classfolder, results=None) -> str
        rows: (student, exercise id, score or None, max score) for every student x exercise;
        results (optional): {student: [result dicts with "exercise", "message", "details"]}
        for the diagnosis shown in the autograded notebooks (else the score alone is shown).

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

All of it goes through one nbgrader Gradebook, each submission as one transaction
(tutor/classroom/nbgrader_session.py: nbgrader's preprocessors otherwise open the gradebook
and commit to it many times per notebook, most of the sync's time).

A graded cell that is not tutor's (a teacher added it) is not executed: it is marked for
manual grading. A notebook that was not submitted scores 0, as with nbgrader.
"""
from __future__ import annotations

import os
import shutil
import sqlite3
import stat
import threading
import warnings
from collections import defaultdict
from pathlib import Path

from tutor.classroom.reports import atomic_write
from tutor.notebook.cells import TEST, parse_grade_id
from tutor.safe_text import html_text, printable


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
    threading.Thread(target=_preload, name="nbgrader-import", daemon=True).start()
    return None


def _preload() -> None:
    from tutor.classroom.nbgrader_import import import_nbgrader

    try:
        import_nbgrader()
    except Exception:  # noqa: BLE001 - sync() imports it again and reports
        pass


def _timestamp(assignment_dir: Path):
    from nbgrader.utils import parse_utc

    path = assignment_dir / "timestamp.txt"
    try:   # the student's file: never through a link, and a date is short
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(fd, "rb") as f:
            if not stat.S_ISREG(os.fstat(f.fileno()).st_mode):
                return None
            text = f.read(200).decode("utf-8", "replace").strip()
    except OSError:
        return None
    try:
        return parse_utc(text) if text else None
    except ValueError:
        return None


def _outputs(exercise: str, score, max_score: float, result: dict | None) -> list:
    """The outputs a tutor test cell gets: what check() would have shown in the kernel."""
    from nbformat.v4 import new_output

    message = printable((result or {}).get("message") or "")
    details = [printable(d) for d in ((result or {}).get("details") or [])]
    passed = score is not None and score >= max_score
    shown = "?" if score is None else f"{round(score, 2):g}"   # the exact score goes in execute_result
    mark = "✓" if passed else "✗"
    head = f"{mark} {exercise}  {shown}/{max_score:g}  {message}".rstrip()
    text = "\n".join([head] + [f"    · {d}" for d in details]) + "\n(graded by tutor in its sandbox)"
    colour = "#1a7f37" if passed else "#cf222e"
    items = "".join(f"<li><pre style=\"margin:0;white-space:pre-wrap\">{html_text(d)}</pre></li>" for d in details)
    block = (f'<div class="tutor-check" style="border-left:4px solid {colour};padding:4px 10px">'
             f'<div><b style="color:{colour}">{mark}</b> <code>{html_text(exercise)}</code> '
             f'{shown}/{max_score:g}</div>'
             f'<div>{html_text(message)}</div>' + (f"<ul>{items}</ul>" if items else "") +
             '<div style="color:#57606a;font-size:smaller">graded by tutor in its sandbox</div></div>')
    outputs = [new_output("display_data", data={"text/plain": text, "text/html": block})]
    if score is None:
        return outputs   # not graded: no verdict, the cell is marked for manual grading
    if score <= 0:
        outputs.append(new_output("error", ename="CheckFailed", evalue=f"{exercise} did not pass: {message}",
                                  traceback=[f"CheckFailed: {exercise} did not pass: {message}"]))
    elif score < max_score:
        # repr: the exact float, so nbgrader sums unrounded scores (2/3 + 2/3 + 1 is 2.33, not 2.34)
        outputs.append(new_output("execute_result", data={"text/plain": repr(float(score))}, execution_count=None))
    return outputs


def _zero_missing(gb, assignment: str, notebook: str, student: str) -> None:
    submission = gb.find_submission_notebook(notebook, assignment, student)
    for grade in submission.grades:
        grade.auto_score = 0
        grade.needs_manual_grade = False
    gb.db.commit()


def sync(nbgrader_db: Path, rows, classfolder, results: dict | None = None, *, log=None, config=None,
         autograded: Path | None = None) -> str:
    """config: the course's nbgrader configuration (tutor.classroom.late.nbgrader_settings), so
    that the late penalty is nbgrader's configured one; autograded: its CourseDirectory.root's
    autograded/ folder (default: next to the gradebook)."""
    with warnings.catch_warnings():
        # nbgrader's own update_or_create_submission trips SQLAlchemy's autoflush warnings
        warnings.filterwarnings("ignore", message=".*not in session.*")
        return _sync(nbgrader_db, rows, classfolder, results, config, autograded)


def _sync(nbgrader_db: Path, rows, classfolder, results: dict | None, config=None,
          autograded: Path | None = None) -> str:
    from tutor.classroom.nbgrader_import import import_nbgrader
    from tutor.classroom.nbgrader_session import shared_gradebook

    import_nbgrader()
    db_url = _db_url(nbgrader_db)
    course = Path(autograded).parent if autograded else Path(nbgrader_db).resolve().parent
    autograded = Path(autograded) if autograded else course / "autograded"
    scores: dict[tuple[str, str], tuple] = {(s, e): (score, mx) for s, e, score, mx in rows}
    by_student: dict[str, dict[str, dict]] = defaultdict(dict)
    for student, items in (results or {}).items():
        for item in (items.values() if isinstance(items, dict) else items):
            item = item if isinstance(item, dict) else getattr(item, "__dict__", {})
            if item.get("exercise"):
                by_student[student][item["exercise"]] = item

    with shared_gradebook(db_url) as book:   # one gradebook, one transaction per submission
        with book.submission() as gb:
            known = {a.name: [n.name for n in a.notebooks] for a in gb.assignments}
        return _sync_students(book, nbgrader_db, course, autograded, known, scores, by_student, classfolder,
                              config)


def _sync_students(book, nbgrader_db: Path, course: Path, autograded: Path, known: dict, scores: dict,
                   by_student: dict, classfolder, config) -> str:
    tally = _Tally()
    instructor: dict[str, set] = {}
    for name, student in classfolder.students.items():
        layout = student.meta.get("nbgrader")
        if not layout:
            tally.skipped.append(f"{name} (not in the nbgrader layout)")
            continue
        for assignment, files in sorted(layout.items()):
            if assignment not in known:
                tally.skipped.append(f"{name}/{assignment} (not an assignment of the gradebook)")
                continue
            # One submission's trouble is that submission's: the others are still written.
            if assignment not in instructor:
                instructor[assignment] = _instructor_files(course, assignment)
            manual = tally.manual
            try:
                with book.submission() as gb:
                    _sync_submission(gb, book.db_url, course, autograded, name, student, assignment, files,
                                     known[assignment], scores, by_student.get(name, {}), tally, config,
                                     instructor[assignment])
            except Exception as exc:  # noqa: BLE001 - reported with an incident id, never hidden
                from tutor.classroom.incidents import report

                tally.manual = manual   # its writes were rolled back, its manual-grading marks too
                tally.skipped.append(f"{name}/{assignment} ({report(exc, name)})")
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
    def __init__(self):
        self.synced = self.notebooks_written = self.manual = 0
        self.skipped: list[str] = []
        self.refused: list[str] = []


def _instructor_files(course: Path, assignment: str) -> set[tuple[int, int]]:
    """(st_dev, st_ino) of every file of the assignment's source/ and release/ folders: a
    submitted notebook that is one of them (however it got there) is never copied."""
    found = set()
    for top in (course / "source" / assignment, course / "release" / assignment):
        if not top.is_dir():
            continue
        for path in top.rglob("*"):
            try:
                st = os.stat(path)
            except OSError:
                continue
            found.add((st.st_dev, st.st_ino))
    return found


def _read_submitted(path: Path, instructor: set[tuple[int, int]]):
    """(notebook, None) or (None, why it is refused): read without following any link."""
    import nbformat

    from tutor.classroom.nbgrader_notebooks import read_notebook_bytes

    try:
        st = os.lstat(path)
    except OSError as exc:
        return None, f"cannot be read ({exc.strerror})"
    if (st.st_dev, st.st_ino) in instructor:
        return None, "is the instructor's own file, not a submission"
    raw, problem = read_notebook_bytes(path)
    if problem:
        return None, problem
    try:
        return nbformat.reads(raw.decode("utf-8-sig"), as_version=4), None
    except (RecursionError, MemoryError):
        return None, "is nested too deeply to be read"
    except Exception as exc:  # noqa: BLE001 - unreadable: scores 0 like a missing notebook
        return None, f"is not a readable notebook ({type(exc).__name__})"


def _real_folder(path: Path, top: Path) -> Path:
    """`path` (inside `top`) created as real folders; a symbolic link anywhere below `top` is
    refused (OSError), so that nothing is ever written through one."""
    current = top
    for part in path.relative_to(top).parts:
        current = current / part
        try:
            st = os.lstat(current)
        except FileNotFoundError:
            current.mkdir()
            continue
        if stat.S_ISLNK(st.st_mode) or not stat.S_ISDIR(st.st_mode):
            raise OSError(f"{current} is a symbolic link or not a folder; nothing is written through it")
    return current


def _sync_submission(gb, db_url: str, course: Path, autograded: Path, name: str, student, assignment: str,
                     files: dict, notebooks: list[str], scores: dict, results: dict, tally: _Tally,
                     config, instructor: set) -> None:
    folder = Path(student.folder) / assignment
    timestamp = _timestamp(folder)
    gb.update_or_create_student(name)
    if timestamp:
        gb.update_or_create_submission(assignment, name, timestamp=timestamp)
    else:
        gb.update_or_create_submission(assignment, name)
    if not autograded.exists():
        autograded.mkdir(parents=True)
    out_dir = _real_folder(autograded / name / assignment, autograded)
    for notebook in notebooks:
        source = files.get(notebook)
        nb, problem = (None, "was not submitted") if source is None else _read_submitted(Path(source), instructor)
        if nb is None:
            if source is not None:
                tally.refused.append(f"{name}/{assignment}/{notebook}.ipynb {problem}")
            _zero_missing(gb, assignment, notebook, name)
            continue
        nb = _grade_notebook(nb, gb, db_url, name, assignment, notebook, scores, results, tally, config)
        atomic_write(out_dir / f"{notebook}.ipynb", _nbformat_text(nb))
        tally.notebooks_written += 1
    _copy_other_files(course / "source" / assignment, out_dir)
    tally.synced += 1


def _nbformat_text(nb) -> str:
    import nbformat

    text = nbformat.writes(nb)
    return text if text.endswith("\n") else text + "\n"


def _grade_notebook(nb, gb, db_url: str, name: str, assignment: str, notebook: str, scores: dict, results: dict,
                    tally: _Tally, config=None):
    """What `nbgrader autograde` does to one notebook, with tutor's scores in the test cells."""
    from nbgrader.api import MissingEntry
    from nbgrader.preprocessors import (AssignLatePenalties, CheckCellMetadata, ClearOutput, DeduplicateIds,
                                        OverwriteCells, OverwriteKernelspec, SaveAutoGrades)

    resources = {"nbgrader": {"notebook": notebook, "assignment": assignment, "student": name,
                              "db_url": db_url}}
    for pre in (ClearOutput(), DeduplicateIds(), OverwriteKernelspec(), OverwriteCells(), CheckCellMetadata()):
        nb, resources = pre.preprocess(nb, resources)
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
        cell.outputs = _outputs(exercise, score, points, results.get(exercise))
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


def _copy_other_files(source_dir: Path, out_dir: Path) -> None:
    """nbgrader autograde copies the assignment's other files (data, images) next to the notebooks."""
    if not source_dir.is_dir():
        return
    for path in source_dir.rglob("*"):
        if path.is_file() and path.suffix != ".ipynb" and ".ipynb_checkpoints" not in path.parts:
            dest = out_dir / path.relative_to(source_dir)
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, dest)


__all__ = ["check", "sync"]
