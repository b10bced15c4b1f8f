"""Grading a class as a library call: `grade_class(options)` yields what happens, as events.

    for event in grade_class(GradeOptions(submissions=Path("class"), out=Path("out"), jobs=4)):
        ...   # Notice / Started / StudentDone / Report / Finished

The steps, in order: refuse unusable input (Refusal, raised before anything is written),
read the class folder, prepare the term (assignments, late policy, roster: term.py), open the
gradebook in OUT, plan who needs grading (runner.plan), run the executor, then write the views
(grades.csv, totals.csv, feedback/: outputs.py; the similarity report) from the gradebook and
sync nbgrader.

The executor seam: an `Executor` grades the students a run needs and records them through
the gradebook; `LocalExecutor` is tutor's own worker pool on this machine (runner.py), and
tutor/classroom/cluster.py adds one for a Dask cluster. The gradebook (only ever written by
this process) and the views are the same whichever executor graded.

Exit codes (Finished.status): 0 graded; 1 some students could not be graded (the same call
retries them) or the gradebook, a feedback file or nbgrader could not be written; Refusal for unusable input
(the CLI's 2); KeyboardInterrupt passes through once the gradebook has been told.
"""
from __future__ import annotations

import os
import queue
import sqlite3
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from types import SimpleNamespace
from typing import Callable, Iterator, Protocol, Sequence

from tutor.classroom import outputs, reports, similarity
from tutor.classroom.gradebook import (FILENAME, Gradebook, GradebookBusy, GradebookError, computed_grader_version,
                                       grader_version)
from tutor.classroom.runner import Outcome, grade_students, plan
from tutor.classroom.submissions import SubmissionsError, discover
from tutor.classroom.term import Term, TermError, check_out, prepare

REFERENCE_CACHE = "reference-cache"
OK = 0
INTERNAL = 1


class Refusal(Exception):
    """The instructor's input cannot be used; str() says what to do."""


@dataclass(frozen=True)
class GradeOptions:
    submissions: Path
    out: Path
    jobs: int = 1                      # students graded at once (local workers, or per cluster node)
    timeout: float = 10.0              # seconds per exercise
    regrade: bool = False
    force: bool = False
    nbgrader_db: Path | None = None
    executor: str = "local"            # "local" | "dask"
    cluster: str | None = None         # a Dask scheduler address; None with executor "dask": a local cluster
    # the term (tutor/classroom/term.py): course folder, assignments reported, exercises, due date, roster
    course: Path | None = None         # default: --nbgrader-db's folder, or the class folder's parent
    assignments: tuple[str, ...] = ()  # names in course.toml; () every one handed out
    exercises: str | None = None       # "layers,optim.sgd_step": report only these
    due: str | None = None             # ISO 8601
    roster: Path | None = None         # default: COURSE/roster.csv


# ---- events ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Notice:
    """A line for the instructor: level is "info", "warning", "note" or "error"."""
    text: str
    level: str = "info"


@dataclass(frozen=True)
class Started:
    """Grading starts: `total` students to grade."""
    total: int


@dataclass(frozen=True)
class StudentDone:
    """One student is graded and saved (ok) or could not be graded (not ok); `workers` in use, when known."""
    student: str
    ok: bool
    workers: int | None = None


@dataclass(frozen=True)
class Stopped:
    """Grading ended (the progress display can go)."""


@dataclass(frozen=True)
class Report:
    """A line of the closing summary (the CLI prints these on stdout)."""
    text: str


@dataclass(frozen=True)
class Finished:
    status: int


Event = Notice | Started | StudentDone | Stopped | Report | Finished


# ---- the executor seam ---------------------------------------------------------------------------

@dataclass
class Job:
    """What an executor grades: `names` of `students`, recorded in `gradebook` under `run_id`."""
    names: list[str]
    students: dict
    hashes: dict[str, str]
    gradebook: Gradebook
    run_id: int
    version: str
    exercises: list
    jobs: int


class Executor(Protocol):
    isolation: str              # what the sandbox guarantees where the code runs (recorded per run)
    notices: list[str]          # lines for the instructor once it is set up (a worker that refuses...)

    def start(self) -> None:
        """Start workers (and the reference) now, before the first student."""

    def grade(self, job: Job, on_done: Callable[..., None], stop: threading.Event) -> Outcome:
        """Grade job.names, recording each student (complete) in job.gradebook; on_done(student, ok)."""

    def close(self) -> None:
        """Stop the workers."""


class LocalExecutor:
    """tutor's own sandboxed worker pool on this machine (runner.grade_students)."""

    def __init__(self, options: GradeOptions, *, needs_engine: bool, hidden_tests: bool):
        self.grader = None
        self.notices: list[str] = []
        if needs_engine:     # else nothing to run: no torch, no workers
            from tutor.engine import Grader

            if hidden_tests:   # the same interface; each exercise's hidden tests are run and combined too
                from tutor.nbgrader.notebooks import HiddenTestsGrader as Grader  # noqa: F811
            # The reference answers are kept in OUT (the instructor's, never visible to learner code),
            # so that a resumed or repeated run need not import torch at all.
            self.grader = Grader(timeout=options.timeout, jobs=options.jobs,
                                 reference_cache=options.out / REFERENCE_CACHE,
                                 **({"course": options.submissions} if hidden_tests else {}))   # its hidden-test secret
            self.isolation = self.grader.isolation
        else:
            from tutor.engine.sandbox import isolation_level

            self.isolation = isolation_level()

    def start(self) -> None:
        if self.grader is not None:
            # The workers start, and the reference answers are prepared in the background
            # (or read from OUT): the students' code runs meanwhile, and is judged once ready.
            self.grader.start()

    def grade(self, job: Job, on_done, stop: threading.Event) -> Outcome:
        return grade_students(job.names, job.students, job.hashes, grader=self.grader, gradebook=job.gradebook,
                              run_id=job.run_id, version=job.version, exercises=job.exercises, jobs=job.jobs,
                              on_done=on_done, stop=stop)

    def close(self) -> None:
        if self.grader is not None:
            self.grader.close()


def on_cluster(options: GradeOptions) -> bool:
    return options.executor == "dask" or options.cluster is not None


def make_executor(options: GradeOptions, *, needs_engine: bool, hidden_tests: bool) -> Executor:
    if not on_cluster(options):
        return LocalExecutor(options, needs_engine=needs_engine, hidden_tests=hidden_tests)
    from tutor.classroom.cluster import DaskExecutor   # its ClusterError is a Refusal

    return DaskExecutor(options, needs_engine=needs_engine, hidden_tests=hidden_tests)


# ---- the pipeline -------------------------------------------------------------------------------

def grade_class(options: GradeOptions, executor_factory=make_executor) -> Iterator[Event]:
    """Grade the class folder into the output folder; see the module docstring.

    Raises Refusal (before writing anything) for input that cannot be used."""
    if on_cluster(options):
        _require_dask()
    try:
        check_out(options.submissions, options.out)   # --out inside the class would be graded next time
    except TermError as exc:
        raise Refusal(str(exc)) from None
    sync = nbgrader_hook(options.nbgrader_db)
    if not on_cluster(options):
        _decide_isolation_meanwhile()
    exercises, modules = _manifest()
    classfolder = _read_class(options, modules)
    term = prepare_term(options, classfolder)
    for line in classfolder.all_warnings() + term.warnings():
        yield Notice(line, "warning")
    moved = prepare_out(options.out, options.force)
    if moved:
        yield Notice(moved)
    gradebook = open_gradebook(options)
    try:
        yield from _grade(options, classfolder, gradebook, exercises, modules, sync, executor_factory, term)
    finally:
        gradebook.close()


def _decide_isolation_meanwhile() -> None:
    """The sandbox's probe (a confined process that reports what this machine allows, about half
    a second) runs while the class folder is read; the workers need its answer, never before."""
    from tutor.engine import sandbox

    def decide():
        try:
            sandbox.plan()
        except Exception:  # noqa: BLE001 - the workers ask again, and say what is wrong
            pass
    threading.Thread(target=decide, name="sandbox-probe", daemon=True).start()


def _require_dask() -> None:
    from tutor.classroom.cluster import require_dask

    require_dask()       # raises ClusterError, a Refusal, naming the install command


def _manifest() -> tuple[list, list[str]]:
    from tutor.manifest import EXERCISES
    from tutor.paths import exercise_modules

    if not EXERCISES:
        raise Refusal("this tutor has no exercises in its manifest (tutor/manifest.py); nothing to grade.")
    return list(EXERCISES), exercise_modules()


def _read_class(options: GradeOptions, modules: list[str]):
    submissions = options.submissions
    try:
        classfolder = discover(submissions, modules, skip=[options.out])
    except SubmissionsError as exc:
        raise Refusal(str(exc)) from None
    if not classfolder.students:
        raise Refusal(f"{submissions} holds no student folders, so there is nothing to grade. Lay it out as "
                      f"{submissions}/<student>/<module>.py (modules: {', '.join(m + '.py' for m in modules)}).")
    return classfolder


def prepare_term(options: GradeOptions, classfolder) -> Term:
    """Assignments handed out, late policy, roster (tutor/classroom/term.py), before anything runs."""
    asked = SimpleNamespace(course=options.course, assignment=list(options.assignments), exercises=options.exercises,
                            due=options.due, roster=options.roster, nbgrader_db=options.nbgrader_db)
    try:
        return prepare(asked, classfolder)
    except TermError as exc:
        raise Refusal(str(exc)) from None


def nbgrader_hook(nbgrader_db: Path | None):
    """The nbgrader gradebook sync lives in tutor/nbgrader/sync.py:
    `sync(nbgrader_db: Path, rows, classfolder, results=...) -> str | None` (a line to print), where rows
    are grades.csv's (student, exercise, score or None, max_score) and results {student: [gradebook
    rows as dicts: exercise, score, status, diagnosis, message, details...]}; and optionally
    `check(nbgrader_db: Path) -> str | None` (a problem, checked before grading starts) and
    `start(the same as sync) -> a function returning sync's line` (the sync begun before the
    views are written, so that it can write alongside them) and `prepare(nbgrader_db, classfolder,
    **term.sync_options())` (before grading: what needs no grade, done meanwhile; never raises)."""
    if nbgrader_db is None:
        return None
    try:
        import tutor.nbgrader.sync as sync
    except ModuleNotFoundError as exc:
        if exc.name != "tutor.nbgrader.sync":
            raise
        raise Refusal(f"--nbgrader-db needs the nbgrader integration (tutor/nbgrader/sync.py), "
                      f"which this installation of tutor does not have. Run without --nbgrader-db: the "
                      f"grades go to --out as grades.csv and gradebook.sqlite.") from None
    check = getattr(sync, "check", None)
    problem = check(nbgrader_db) if check else None
    if problem:
        raise Refusal(f"--nbgrader-db {nbgrader_db}: {problem}")
    return sync


def prepare_out(out: Path, force: bool) -> str | None:
    """Make the output folder usable; returns a line to show when earlier output was moved aside."""
    if out.exists() and not out.is_dir():
        raise Refusal(f"--out {out} is a file; give a folder (it is created when missing).")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise Refusal(f"cannot create the output folder {out} ({exc.strerror}); choose one you can write to.") \
            from None
    if not os.access(out, os.W_OK | os.X_OK):
        raise Refusal(f"cannot write in the output folder {out}; choose one you can write to.")
    gradebook = out / FILENAME
    feedback = out / "feedback"
    for path, kind in ((feedback, "a folder"), (out / "grades.csv", "a file")):
        if path.exists() and path.is_dir() != (kind == "a folder"):
            raise Refusal(f"{path} is in the way: tutor grade writes {kind} there. Move it away or choose another "
                          f"--out folder.")
    leftovers = [p for p in (out / "grades.csv",) if p.exists()]
    if feedback.is_dir() and any(feedback.iterdir()):
        leftovers.append(feedback)
    moved = _set_aside(out, leftovers, force) if leftovers and not gradebook.exists() else None
    try:
        reports.feedback_folder(out)   # a link planted at OUT/feedback is refused before anything runs
    except reports.FeedbackFolderError as exc:
        raise Refusal(str(exc)) from None
    return moved


def _set_aside(out: Path, leftovers: list[Path], force: bool) -> str:
    """Output of another run without its gradebook: refused, or (--force) moved to previous-<time>/."""
    names = " and ".join(f"{p.name}{'/' if p.is_dir() else ''}" for p in leftovers)
    if not force:
        raise Refusal(
            f"{out} already holds {names} but no {FILENAME}: the output of another run (or a gradebook "
            f"that was deleted). Choose another --out folder, or pass --force to move them into "
            f"{out}/previous-<time>/ and grade from scratch.")
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    aside = out / f"previous-{stamp}"
    aside.mkdir()
    for p in leftovers:
        os.replace(p, aside / p.name)
    return f"moved the earlier {names} to {aside}/"


def open_gradebook(options: GradeOptions) -> Gradebook:
    out, submissions, force = options.out, options.submissions, options.force
    try:
        return Gradebook(out / FILENAME, submissions, force=force)
    except GradebookBusy as exc:
        raise Refusal(str(exc)) from None
    except GradebookError as exc:
        if "another class folder" in str(exc):
            hint = (f"Choose another --out folder, or (if you moved or renamed the class folder, or mean to "
                    f"merge) pass --force to grade {submissions} into it anyway (grades already there are kept).")
        else:
            hint = (f"Choose another --out folder, or pass --force to rename it aside "
                    f"({FILENAME}.set-aside-<time>, nothing is deleted) and start a new gradebook.")
        raise Refusal(f"{exc} {hint}") from None
    except (OSError, sqlite3.Error) as exc:
        raise Refusal(f"cannot use {out / FILENAME} ({getattr(exc, 'strerror', None) or exc}); check that the "
                      f"folder and the file are writable, or choose another --out folder.") from None


def _gradebook_notices(gradebook: Gradebook, classfolder) -> Iterator[Notice]:
    if gradebook.set_aside_to:
        yield Notice(f"moved the unusable gradebook to {gradebook.set_aside_to}; starting a new one")
    if gradebook.adopted_from:
        yield Notice(f"grading {classfolder.root} into the gradebook of {gradebook.adopted_from} (--force); "
                     f"its earlier grades are kept")
    if gradebook.interrupted_runs:
        yield Notice("resuming: an earlier run into this folder was interrupted")


def _version(students: dict) -> tuple[str, bool]:
    """The grader version the grades are recorded under, and whether hidden tests are graded."""
    version = grader_version()
    # nbgrader notebooks are graded on their test cells' hidden tests too (the same verdicts as
    # `nbgrader autograde`); grades made without them are not reused (unless the version is pinned).
    hidden_tests = any("nbgrader" in s.meta for s in students.values())
    if hidden_tests and not os.environ.get("TUTOR_GRADER_VERSION", "").strip():
        version += "+hidden-tests"
    return version, hidden_tests


def _plan_notices(todo, gradebook: Gradebook, classfolder, regrade: bool) -> Iterator[Notice]:
    students = classfolder.students
    gone = sorted(gradebook.graded_students() - set(students))
    if gone:
        shown = ", ".join(gone[:5]) + (f" and {len(gone) - 5} more" if len(gone) > 5 else "")
        yield Notice(f"{len(gone)} student(s) in the gradebook have no folder in {classfolder.root} now ({shown}): "
                     f"their grades stay in the gradebook but are left out of grades.csv", "note")
    parts = [f"{len(students)} students"]
    if todo.reused:
        parts.append(f"{len(todo.reused)} already graded (unchanged)")
    if todo.changed:
        parts.append(f"{len(todo.changed)} changed since they were graded")
    yield Notice(f"{'; '.join(parts)}; grading {len(todo.to_grade)}"
                 f"{' (--regrade)' if regrade and todo.to_grade else ''}")


def _run_options(options: GradeOptions, classfolder, term: Term) -> dict:
    """What the runs table records about how this run was asked for (tutor export reads the term's part)."""
    recorded = {"submissions": str(classfolder.root.resolve()), "out": str(options.out.resolve()),
                "jobs": options.jobs, "timeout": options.timeout, "regrade": options.regrade, "force": options.force,
                "nbgrader_db": str(options.nbgrader_db) if options.nbgrader_db else None, **term.options()}
    if options.executor != "local" or options.cluster:
        recorded["executor"] = options.executor
        recorded["cluster"] = options.cluster
    if os.environ.get("TUTOR_GRADER_VERSION", "").strip():
        recorded["computed_grader_version"] = computed_grader_version()
    return recorded


def _grade(options: GradeOptions, classfolder, gradebook: Gradebook, exercises, modules, sync,
           executor_factory, term: Term) -> Iterator[Event]:
    yield from _gradebook_notices(gradebook, classfolder)
    students = classfolder.students
    version, hidden_tests = _version(students)
    hashes = {name: s.content_hash(modules) for name, s in students.items()}
    todo = plan(students, hashes, gradebook, version, [e.id for e in exercises], options.regrade)
    yield from _plan_notices(todo, gradebook, classfolder, options.regrade)
    if sync is not None and hasattr(sync, "prepare"):   # what needs no grade, done while the class is graded
        sync.prepare(options.nbgrader_db, classfolder, **term.sync_options())

    executor = executor_factory(options, needs_engine=any(students[n].sources for n in todo.to_grade),
                                hidden_tests=hidden_tests)
    for line in executor.notices:
        yield Notice(line, "warning")
    run_id = gradebook.start_run(grader_version=version, isolation=executor.isolation, jobs=options.jobs,
                                 timeout=options.timeout, regrade=options.regrade,
                                 options=_run_options(options, classfolder, term), students_total=len(students))
    job = Job(todo.to_grade, students, hashes, gradebook, run_id, version, exercises, options.jobs)
    started = time.perf_counter()
    outcome = None
    status = "failed"
    similar = SimilarityMeanwhile(options.out, students, term.course)   # sources only: no grade needed
    try:
        if todo.to_grade:
            executor.start()
            outcome = yield from _run_executor(executor, job)
            if outcome is None:          # the gradebook could not be written (said already)
                yield Finished(INTERNAL)
                return
        status = "finished"
    except (KeyboardInterrupt, GeneratorExit):
        status = "interrupted"
        raise
    finally:
        executor.close()
        try:
            gradebook.finish_run(run_id, status, graded=gradebook.graded_in_run(run_id), reused=len(todo.reused))
        except Exception:   # noqa: BLE001 - the run row is bookkeeping; the grades are saved
            pass
    elapsed = time.perf_counter() - started
    yield from _finish(options, classfolder, gradebook, exercises, hashes, version, todo, outcome, elapsed,
                       executor.isolation, sync, term, similar)


def _run_executor(executor: Executor, job: Job):
    """Run the executor on a thread and yield its progress here; returns its Outcome (None when the
    gradebook could not be written). Ctrl-C stops it, says what is saved, and is raised again."""
    events: queue.Queue = queue.Queue()
    stop = threading.Event()
    box: dict = {}

    def on_done(student: str, ok: bool, workers: int | None = None) -> None:
        events.put(StudentDone(student, ok, workers))

    def work() -> None:
        try:
            box["outcome"] = executor.grade(job, on_done, stop)
        except BaseException as exc:   # noqa: BLE001 - raised again on the caller's thread
            box["error"] = exc
        finally:
            events.put(None)

    yield Started(len(job.names))
    thread = threading.Thread(target=work, name="grading", daemon=True)
    try:
        thread.start()
        while True:
            try:
                event = events.get(timeout=0.2)
            except queue.Empty:
                continue
            if event is None:
                break
            yield event
    except KeyboardInterrupt:
        stop.set()
        yield Stopped()
        yield Notice(f"interrupted: {job.gradebook.graded_in_run(job.run_id)} student(s) graded in this run are "
                     f"saved in the gradebook; run the same command again to continue.")
        raise
    except GeneratorExit:
        stop.set()
        raise
    yield Stopped()
    error = box.get("error")
    if isinstance(error, sqlite3.Error):
        yield Notice(f"the gradebook {job.gradebook.path} could not be written ({error}; is the disk full?). The "
                     f"students saved before this are kept: free some space and run the same command again to "
                     f"continue.", "error")
        return None
    if error is not None:
        raise error
    return box["outcome"]


@dataclass
class Views:
    rows: list = field(default_factory=list)         # every (student, exercise, score or None, max_score): nbgrader
    missing: list = field(default_factory=list)      # students with no grades
    results: dict = field(default_factory=dict)      # student -> gradebook rows (for the views and nbgrader)


def gradebook_views(students: dict, gradebook: Gradebook, exercises: Sequence, hashes: dict, version: str) -> Views:
    """Each student's grades for their current submission, from the gradebook."""
    views = Views()
    order = {e.id: i for i, e in enumerate(exercises)}
    for name in students:
        results = sorted(gradebook.results(name, hashes[name], version), key=lambda r: order.get(r["exercise"], 1e9))
        by_id = {r["exercise"]: r for r in results}
        if not results:
            views.missing.append(name)
        for e in exercises:
            r = by_id.get(e.id)
            views.rows.append((name, e.id, r["score"] if r else None, r["max_score"] if r else float(e.points)))
        if results:
            views.results[name] = [r for r in results if r["exercise"] in order]
    return views


class SimilarityMeanwhile:
    """The similarity report (similarity.py) on a thread of its own, begun when grading begins:
    it reads the sources only, and written at the end it was a quarter of a second of a class of
    200 during which one core idled. A report to read, never graded on: its failure costs no grade."""

    def __init__(self, out: Path, students: dict, course: Path | None):
        self._line = ""
        self._thread = threading.Thread(target=self._write, args=(out, students, course), name="similarity",
                                        daemon=True)
        self._thread.start()

    def _write(self, out: Path, students: dict, course: Path | None) -> None:
        try:
            self._line = similarity.report(out, students, course=course)
        except Exception as exc:  # noqa: BLE001
            self._line = f"Similarity: no report this time ({type(exc).__name__}: {exc})."

    def line(self) -> str:
        """Its summary line, once written."""
        self._thread.join()
        return self._line


def write_views(out: Path, students: dict, views: Views, term: Term, failed: dict,
                similar: SimilarityMeanwhile) -> Iterator[Event]:
    """grades.csv, totals.csv, feedback/ (tutor/classroom/outputs.py), and the similarity report's
    line; returns outputs.Written. Files that could not be written are error lines, never the end
    of the run."""
    written = outputs.write(out, students, views.results, term.assignments, term.policy,
                            roster_missing=term.missing, extensions=term.extensions, failed=failed)
    if written.departed:
        yield Notice(f"moved the feedback of {len(written.departed)} student(s) no longer in the class to "
                     f"{out / 'feedback' / outputs.DEPARTED}/")
    term.similarity = similar.line()
    for line in reports.finish_views(out, students, written.problems):   # name map, problems, internal-errors.log
        yield Notice(line, "error")
    return written


def _start_sync(sync, options: GradeOptions, views: Views, classfolder, term: Term) -> Callable[[], str | None]:
    """The nbgrader sync begun: a function that returns its line or raises. The hook's start()
    writes in a process of its own while the views are written here; a hook without it syncs
    when the function is called."""
    begin = getattr(sync, "start", None)
    if begin is None:
        return lambda: sync.sync(options.nbgrader_db, views.rows, classfolder, results=views.results,
                                 **term.sync_options())
    return begin(options.nbgrader_db, views.rows, classfolder, results=views.results, **term.sync_options())


def _finish(options: GradeOptions, classfolder, gradebook: Gradebook, exercises, hashes, version, todo,
            outcome: Outcome | None, elapsed: float, isolation: str, sync, term: Term,
            similar: SimilarityMeanwhile) -> Iterator[Event]:
    out, students = options.out, classfolder.students
    failed = dict(outcome.failed) if outcome else {}
    views = gradebook_views(students, gradebook, exercises, hashes, version)
    syncing = _start_sync(sync, options, views, classfolder, term) if sync is not None else None
    written = yield from write_views(out, students, views, term, failed, similar)
    graded_now = len(outcome.graded) if outcome else 0
    rate = f" ({graded_now / elapsed:.1f} students/s)" if graded_now and elapsed > 0 else ""
    yield Report(f"Graded {graded_now} student(s) in {elapsed:.1f} s{rate}; "
                 f"{len(todo.reused)} unchanged student(s) taken from the gradebook.")
    for line in outputs.summary_lines(written, term.assignments):
        yield Report(line)
    yield Report(f"Wrote {out / 'grades.csv'} ({len(students)} students x {written.exercises} exercises of "
                 f"{len(term.assignments)} assignment(s)), {out / 'totals.csv'}, "
                 f"{out / 'feedback'}/ ({written.feedback_files} files), {out / FILENAME}.")
    yield Report(term.similarity)
    yield Report(f"Isolation: {isolation}")

    if syncing is not None:
        try:
            message = syncing()
        except Exception as exc:   # noqa: BLE001 - the grades are safe in OUT; say so
            yield Notice(f"writing to the nbgrader gradebook {options.nbgrader_db} failed: "
                         f"{type(exc).__name__}: {exc}. The grades are in {out}; run the same command again "
                         f"to retry.", "error")
            yield Finished(INTERNAL)
            return
        if message:
            yield Report(str(message))

    if failed or views.missing:
        for name in sorted(failed):
            yield Notice(f"{name} could not be graded: {failed[name]}", "error")
        yield Notice(f"{len(set(views.missing) | set(failed))} student(s) have no grades yet (blank scores in "
                     f"grades.csv); run the same command again to retry them.", "failure")
        yield Finished(INTERNAL)
        return
    yield Finished(INTERNAL if written.problems else OK)   # feedback that could not be written: exit 1
