"""`tutor grade SUBMISSIONS --out OUT`: grade a class, resumably.

SUBMISSIONS/<student>/<module>.py in; OUT/gradebook.sqlite (the record), OUT/grades.csv and
OUT/feedback/<student>.md (views of it, rewritten atomically at the end) out. Running the
same command again after an interruption (even kill -9) grades only the students that are
not yet in the gradebook for their current submission and grader version.

Exit status: 0 when grading finished (whatever the students scored); 1 when some students
could not be graded (an internal error: the same command retries them); 2 for an instructor's
input that cannot be used (the message says what to do); 130 when interrupted.
"""
from __future__ import annotations

import contextlib
import os
import sqlite3
import threading
import time
from datetime import datetime, timezone
from pathlib import Path

from rich.console import Console
from rich.markup import escape

from tutor.classroom import outputs, reports, similarity
from tutor.classroom.gradebook import (FILENAME, Gradebook, GradebookBusy, GradebookError, computed_grader_version,
                                       grader_version)
from tutor.classroom.resources import clamp_jobs
from tutor.classroom.runner import grade_students, plan
from tutor.classroom.submissions import SubmissionsError, discover
from tutor.classroom.term import TermError, check_out, prepare

REFERENCE_CACHE = "reference-cache"
BAD_INPUT = 2
INTERNAL = 1


class Refusal(Exception):
    """The instructor's input cannot be used; str() says what to do."""


def run(args) -> int:
    err = Console(stderr=True, highlight=False, soft_wrap=True)
    out_console = Console(highlight=False, soft_wrap=True)
    try:
        return _run(args, err, out_console)
    except Refusal as exc:
        err.print(f"[bold red]tutor grade:[/] {escape(str(exc))}")
        return BAD_INPUT


def _cores() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))   # the cores this process may use
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def _options(args, err: Console | None = None) -> tuple[Path, Path, int, float, bool, bool]:
    jobs = args.jobs if args.jobs is not None else _cores()
    if jobs < 1:
        raise Refusal(f"--jobs must be at least 1 (got {args.jobs}).")
    jobs, clamped = clamp_jobs(jobs)   # --jobs 1000 must not start 1000 workers
    if clamped and err is not None:
        err.print(f"[yellow]note:[/] {escape(clamped)}")
    timeout = float(args.timeout)
    if not timeout > 0 or timeout != timeout or timeout == float("inf"):
        raise Refusal(f"--timeout must be a positive number of seconds (got {args.timeout}).")
    return Path(args.submissions), Path(args.out), jobs, timeout, bool(args.regrade), bool(getattr(args, "force", False))


def _nbgrader_hook(args):
    """The nbgrader gradebook sync lives in tutor/classroom/nbgrader_sync.py:
    `sync(nbgrader_db: Path, rows, classfolder, results=...) -> str | None` (a line to print), where rows
    are grades.csv's (student, exercise, score or None, max_score) and results {student: [gradebook
    rows as dicts: exercise, score, status, diagnosis, message, details...]}; and optionally
    `check(nbgrader_db: Path) -> str | None` (a problem, checked before grading starts)."""
    if args.nbgrader_db is None:
        return None
    try:
        import tutor.classroom.nbgrader_sync as sync
    except ModuleNotFoundError as exc:
        if exc.name != "tutor.classroom.nbgrader_sync":
            raise
        raise Refusal(f"--nbgrader-db needs the nbgrader integration (tutor/classroom/nbgrader_sync.py), "
                      f"which this installation of tutor does not have. Run without --nbgrader-db: the "
                      f"grades go to --out as grades.csv and gradebook.sqlite.") from None
    check = getattr(sync, "check", None)
    problem = check(args.nbgrader_db) if check else None
    if problem:
        raise Refusal(f"--nbgrader-db {args.nbgrader_db}: {problem}")
    return sync


def _prepare_out(out: Path, force: bool, err: Console) -> None:
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
    if not gradebook.exists() and leftovers:
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
        err.print(f"moved the earlier {escape(names)} to {escape(str(aside))}/")
    try:
        reports.feedback_folder(out)   # a link planted at OUT/feedback is refused before anything runs
    except reports.FeedbackFolderError as exc:
        raise Refusal(str(exc)) from None


def _run(args, err: Console, stdout: Console) -> int:
    submissions, out, jobs, timeout, regrade, force = _options(args, err)
    try:
        check_out(submissions, out)
    except TermError as exc:
        raise Refusal(str(exc)) from None
    sync = _nbgrader_hook(args)

    from tutor.manifest import EXERCISES
    from tutor.paths import exercise_modules

    exercises = list(EXERCISES)
    modules = exercise_modules()
    if not exercises:
        raise Refusal("this tutor has no exercises in its manifest (tutor/manifest.py); nothing to grade.")
    try:
        classfolder = discover(submissions, modules, skip=[out])
    except SubmissionsError as exc:
        raise Refusal(str(exc)) from None
    if not classfolder.students:
        raise Refusal(f"{submissions} holds no student folders, so there is nothing to grade. Lay it out as "
                      f"{submissions}/<student>/<module>.py (modules: {', '.join(m + '.py' for m in modules)}).")
    try:
        args.term = prepare(args, classfolder)   # assignments, late policy, roster (tutor/classroom/term.py)
    except TermError as exc:
        raise Refusal(str(exc)) from None
    for line in classfolder.all_warnings() + args.term.warnings():
        err.print(f"[yellow]warning:[/] {escape(line)}")

    _prepare_out(out, force, err)
    try:
        gradebook = Gradebook(out / FILENAME, submissions, force=force)
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

    try:
        return _grade(args, classfolder, gradebook, exercises, modules, out, jobs, timeout, regrade, force,
                      sync, err, stdout)
    finally:
        gradebook.close()


def _grade(args, classfolder, gradebook: Gradebook, exercises, modules, out: Path, jobs: int, timeout: float,
           regrade: bool, force: bool, sync, err: Console, stdout: Console) -> int:
    if gradebook.set_aside_to:
        err.print(f"moved the unusable gradebook to {escape(str(gradebook.set_aside_to))}; starting a new one")
    if gradebook.adopted_from:
        err.print(f"grading {escape(str(classfolder.root))} into the gradebook of "
                  f"{escape(gradebook.adopted_from)} (--force); its earlier grades are kept")
    if gradebook.interrupted_runs:
        err.print("resuming: an earlier run into this folder was interrupted")

    version = grader_version()
    students = classfolder.students
    # nbgrader notebooks are graded on their test cells' hidden tests too (the same verdicts as
    # `nbgrader autograde`); grades made without them are not reused (unless the version is pinned).
    hidden_tests = any("nbgrader" in s.meta for s in students.values())
    if hidden_tests and not os.environ.get("TUTOR_GRADER_VERSION", "").strip():
        version += "+hidden-tests"
    hashes = {name: s.content_hash(modules) for name, s in students.items()}
    exercise_ids = [e.id for e in exercises]
    todo = plan(students, hashes, gradebook, version, exercise_ids, regrade)
    gone = sorted(gradebook.graded_students() - set(students))
    if gone:
        shown = ", ".join(gone[:5]) + (f" and {len(gone) - 5} more" if len(gone) > 5 else "")
        err.print(f"[yellow]note:[/] {len(gone)} student(s) in the gradebook have no folder in "
                  f"{escape(str(classfolder.root))} now ({escape(shown)}): their grades stay in the gradebook "
                  f"but are left out of grades.csv")
    parts = [f"{len(students)} students"]
    if todo.reused:
        parts.append(f"{len(todo.reused)} already graded (unchanged)")
    if todo.changed:
        parts.append(f"{len(todo.changed)} changed since they were graded")
    err.print(f"{'; '.join(parts)}; grading {len(todo.to_grade)}"
              f"{' (--regrade)' if regrade and todo.to_grade else ''}")

    grader = None
    if any(students[name].sources for name in todo.to_grade):   # else nothing to run: no torch, no workers
        from tutor.engine import Grader

        if hidden_tests:   # the same interface; each exercise's hidden tests are run and combined too
            from tutor.classroom.nbgrader_notebooks import HiddenTestsGrader as Grader  # noqa: F811
        # The reference answers are kept in OUT (the instructor's, never visible to learner code),
        # so that a resumed or repeated run need not import torch at all.
        grader = Grader(timeout=timeout, jobs=jobs, reference_cache=out / REFERENCE_CACHE,
                        **({"course": classfolder.root} if hidden_tests else {}))   # its hidden-test secret
        isolation = grader.isolation
    else:
        from tutor.engine.sandbox import isolation_level

        isolation = isolation_level()
    options = {"submissions": str(classfolder.root.resolve()), "out": str(out.resolve()), "jobs": jobs,
               "timeout": timeout, "regrade": regrade, "force": force,
               "nbgrader_db": str(args.nbgrader_db) if args.nbgrader_db else None, **args.term.options()}
    if os.environ.get("TUTOR_GRADER_VERSION", "").strip():
        options["computed_grader_version"] = computed_grader_version()
    run_id = gradebook.start_run(grader_version=version, isolation=isolation, jobs=jobs, timeout=timeout,
                                 regrade=regrade, options=options, students_total=len(students))
    stop = threading.Event()
    started = time.perf_counter()
    outcome = None
    status = "failed"
    try:
        if todo.to_grade:
            if grader is not None:
                # The workers start, and the reference answers are prepared in the background
                # (or read from OUT): the students' code runs meanwhile, and is judged once ready.
                grader.start()
            with _Progress(err, len(todo.to_grade)) as progress:
                outcome = grade_students(todo.to_grade, students, hashes, grader=grader, gradebook=gradebook,
                                         run_id=run_id, version=version, exercises=exercises, jobs=jobs,
                                         on_done=progress.advance, stop=stop)
        status = "finished"
    except KeyboardInterrupt:
        status = "interrupted"
        stop.set()
        saved = gradebook.query("SELECT COUNT(*) FROM submissions WHERE run_id=?", (run_id,))[0][0]
        err.print(f"interrupted: {saved} student(s) graded in this run are saved in the gradebook; "
                  f"run the same command again to continue.")
        raise
    except sqlite3.Error as exc:
        stop.set()
        err.print(f"[red]error:[/] the gradebook {escape(str(gradebook.path))} could not be written ({escape(str(exc))}; "
                  f"is the disk full?). The students saved before this are kept: free some space and run the same "
                  f"command again to continue.")
        return INTERNAL
    finally:
        if grader is not None:
            grader.close()
        graded = gradebook.query("SELECT COUNT(*) FROM submissions WHERE run_id=?", (run_id,))[0][0]
        try:
            gradebook.finish_run(run_id, status, graded=graded, reused=len(todo.reused))
        except Exception:   # noqa: BLE001 - the run row is bookkeeping; the grades are saved
            pass
    elapsed = time.perf_counter() - started

    # The views (tutor/classroom/outputs.py): the assignments handed out, from the gradebook.
    rows, missing, all_results = _gradebook_rows(students, gradebook, hashes, version, exercises)
    views = _write_views(args, out, students, all_results, err, dict(outcome.failed) if outcome else {})
    for line in reports.finish_views(out, students, views.problems):   # name map, problems, internal-errors.log
        err.print(f"[red]error:[/] {escape(line)}")
    graded_now = len(outcome.graded) if outcome else 0
    rate = f" ({graded_now / elapsed:.1f} students/s)" if graded_now and elapsed > 0 else ""
    stdout.print(f"Graded {graded_now} student(s) in {elapsed:.1f} s{rate}; "
                 f"{len(todo.reused)} unchanged student(s) taken from the gradebook.")
    for line in outputs.summary_lines(views, args.term.assignments):
        stdout.print(escape(line))
    stdout.print(f"Wrote {escape(str(out / 'grades.csv'))} ({len(students)} students x {views.exercises} exercises of "
                 f"{len(args.term.assignments)} assignment(s)), {escape(str(out / 'totals.csv'))}, "
                 f"{escape(str(out / 'feedback'))}/ ({views.feedback_files} files), {escape(str(out / FILENAME))}.")
    stdout.print(escape(args.term.similarity))
    stdout.print(f"Isolation: {escape(isolation)}")

    if sync is not None:
        try:
            message = sync.sync(args.nbgrader_db, rows, classfolder, results=all_results,
                                **args.term.sync_options())
        except Exception as exc:   # noqa: BLE001 - the grades are safe in OUT; say so
            err.print(f"[red]error:[/] writing to the nbgrader gradebook {escape(str(args.nbgrader_db))} failed: "
                      f"{escape(f'{type(exc).__name__}: {exc}')}. The grades are in {escape(str(out))}; run the "
                      f"same command again to retry.")
            return INTERNAL
        if message:
            stdout.print(escape(str(message)))

    failed = dict(outcome.failed) if outcome else {}
    if views.problems and not (failed or missing):
        return INTERNAL
    if failed or missing:
        for name in sorted(failed):
            err.print(f"[red]error:[/] {escape(name)} could not be graded: {escape(failed[name])}")
        err.print(f"[red]{len(set(missing) | set(failed))} student(s) have no grades yet[/] (blank scores in "
                  f"grades.csv); run the same command again to retry them.")
        return INTERNAL
    return 0


def _gradebook_rows(students, gradebook, hashes, version, exercises):
    """(rows for the nbgrader sync: every student x exercise, students without grades, {student: results})."""
    order = {e.id: i for i, e in enumerate(exercises)}
    rows, missing, all_results = [], [], {}
    for name in students:
        results = sorted(gradebook.results(name, hashes[name], version), key=lambda r: order.get(r["exercise"], 1e9))
        by_id = {r["exercise"]: r for r in results}
        if not results:
            missing.append(name)
        for e in exercises:
            r = by_id.get(e.id)
            rows.append((name, e.id, r["score"] if r else None, r["max_score"] if r else float(e.points)))
        if results:
            all_results[name] = [r for r in results if r["exercise"] in order]
    return rows, missing, all_results


def _write_views(args, out, students, all_results, err, failed):
    views = outputs.write(out, students, all_results, args.term.assignments, args.term.policy,
                          roster_missing=args.term.missing, extensions=args.term.extensions, failed=failed)
    if views.departed:
        err.print(f"moved the feedback of {len(views.departed)} student(s) no longer in the class to "
                  f"{escape(str(out / 'feedback' / outputs.DEPARTED))}/")
    try:   # a report to read, never graded on: its failure costs no grade
        args.term.similarity = similarity.report(out, students, course=args.term.course)
    except Exception as exc:  # noqa: BLE001
        args.term.similarity = f"Similarity: no report this time ({type(exc).__name__}: {exc})."
    return views


@contextlib.contextmanager
def _nothing():
    yield


class _Progress:
    """A rich progress bar on a terminal; a plain line every few seconds otherwise."""

    def __init__(self, console: Console, total: int):
        self.console = console
        self.total = total
        self.done = 0
        self.started = time.perf_counter()
        self.last_line = self.started
        self.lock = threading.Lock()
        self.bar = None
        if console.is_terminal:
            from rich.progress import (BarColumn, MofNCompleteColumn, Progress, ProgressColumn, TextColumn,
                                       TimeElapsedColumn, TimeRemainingColumn)
            from rich.text import Text

            class Rate(ProgressColumn):
                def render(self, task):
                    speed = task.finished_speed or task.speed
                    return Text(f"{speed:.1f} students/s" if speed else "", style="cyan")

            self.bar = Progress(TextColumn("grading"), BarColumn(), MofNCompleteColumn(), TextColumn("students"),
                                Rate(), TimeElapsedColumn(), TimeRemainingColumn(), console=console)
            self.task = self.bar.add_task("grading", total=total)

    def __enter__(self):
        if self.bar:
            self.bar.start()
        return self

    def advance(self, student: str, ok: bool) -> None:
        with self.lock:
            self.done += 1
            if self.bar:
                self.bar.advance(self.task)
                return
            now = time.perf_counter()
            if now - self.last_line >= 5 or self.done == self.total:
                self.last_line = now
                rate = self.done / max(now - self.started, 1e-9)
                self.console.print(f"graded {self.done}/{self.total} students ({rate:.1f} students/s)")

    def __exit__(self, *exc):
        if self.bar:
            self.bar.stop()
