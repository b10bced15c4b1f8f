"""`tutor grade SUBMISSIONS --out OUT`: grade a class, resumably.

SUBMISSIONS/<student>/<module>.py in; OUT/gradebook.sqlite (the record), OUT/grades.csv,
OUT/totals.csv and OUT/feedback/<student>.md (views of it, rewritten atomically at the end) out.
The work is tutor/classroom/pipeline.py's; this module parses and prints. Running the
same command again after an interruption (even kill -9) grades only the students that are
not yet in the gradebook for their current submission and grader version.

Exit status: 0 when grading finished (whatever the students scored); 1 when some students
could not be graded (an internal error: the same command retries them); 2 for an instructor's
input that cannot be used (the message says what to do); 130 when interrupted.
"""
from __future__ import annotations

import contextlib
import os
import threading
import time
from pathlib import Path

from rich.console import Console
from rich.markup import escape

from tutor.classroom.pipeline import (INTERNAL, Finished, GradeOptions, Notice, Refusal, Report, Started, Stopped,
                                      StudentDone, grade_class)
from tutor.classroom.resources import clamp_jobs

BAD_INPUT = 2


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


def _options(args, err: Console | None = None) -> GradeOptions:
    jobs = args.jobs if args.jobs is not None else _cores()
    if jobs < 1:
        raise Refusal(f"--jobs must be at least 1 (got {args.jobs}).")
    jobs, clamped = clamp_jobs(jobs)   # --jobs 1000 must not start 1000 workers
    if clamped and err is not None:
        err.print(f"[yellow]note:[/] {escape(clamped)}")
    timeout = float(args.timeout)
    if not timeout > 0 or timeout != timeout or timeout == float("inf"):
        raise Refusal(f"--timeout must be a positive number of seconds (got {args.timeout}).")
    return GradeOptions(submissions=Path(args.submissions), out=Path(args.out), jobs=jobs, timeout=timeout,
                        regrade=bool(args.regrade), force=bool(getattr(args, "force", False)),
                        nbgrader_db=args.nbgrader_db, executor=getattr(args, "executor", None) or "local",
                        cluster=getattr(args, "cluster", None), course=getattr(args, "course", None),
                        assignments=tuple(getattr(args, "assignment", None) or ()),
                        exercises=getattr(args, "exercises", None), due=getattr(args, "due", None),
                        roster=getattr(args, "roster", None))


def _run(args, err: Console, stdout: Console) -> int:
    """Print what the class-grading pipeline (tutor/classroom/pipeline.py) reports."""
    progress = None
    try:
        for event in grade_class(_options(args, err)):
            if isinstance(event, Started):
                progress = _Progress(err, event.total).__enter__()
            elif isinstance(event, StudentDone):
                progress.advance(event.student, event.ok, event.workers)
            elif isinstance(event, Stopped):
                progress.__exit__()
                progress = None
            elif isinstance(event, Report):
                stdout.print(escape(event.text))
            elif isinstance(event, Notice):
                _notice(err, event)
            elif isinstance(event, Finished):
                return event.status
    finally:
        if progress is not None:
            progress.__exit__()
    return INTERNAL


LEVELS = {"info": "", "warning": "[yellow]warning:[/] ", "note": "[yellow]note:[/] ", "error": "[red]error:[/] "}


def _notice(err: Console, notice: Notice) -> None:
    if notice.level == "failure":
        err.print(f"[red]{escape(notice.text)}[/]")
    else:
        err.print(f"{LEVELS[notice.level]}{escape(notice.text)}")


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
                                Rate(), TextColumn("{task.fields[workers]}"), TimeElapsedColumn(),
                                TimeRemainingColumn(), console=console)
            self.task = self.bar.add_task("grading", total=total, workers="")

    def __enter__(self):
        if self.bar:
            self.bar.start()
        return self

    def advance(self, student: str, ok: bool, workers: int | None = None) -> None:
        with self.lock:
            self.done += 1
            # a cluster says how many of its workers are grading; the local pool does not
            in_use = f"{workers} worker{'s' if workers != 1 else ''} in use" if workers is not None else ""
            if self.bar:
                self.bar.update(self.task, advance=1, workers=in_use)
                return
            now = time.perf_counter()
            if now - self.last_line >= 5 or self.done == self.total:
                self.last_line = now
                rate = self.done / max(now - self.started, 1e-9)
                self.console.print(f"graded {self.done}/{self.total} students ({rate:.1f} students/s"
                                   f"{', ' + in_use if in_use else ''})")

    def __exit__(self, *exc):
        if self.bar:
            self.bar.stop()
