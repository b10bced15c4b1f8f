"""Grading the students that need it, several at once, through the engine.

    plan(students, gradebook, version, exercises, regrade) -> Plan
    grade_students(...)  each student's code runs (Grader.run) on `jobs` workers while other
                         threads judge the runs (Grader.judge_run, once the reference is
                         ready); each student's complete set of results goes to the gradebook's
                         writer thread as one transaction; a student whose grading failed is
                         not recorded (the next run tries again)
"""
from __future__ import annotations

import functools
import gc
import threading
import time
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from typing import Callable, Sequence

from tutor.engine.results import ERROR, ExerciseResult

from .gradebook import Gradebook
from .submissions import Student


@dataclass
class Plan:
    to_grade: list[str]          # students, in order
    reused: list[str]            # students whose current submission is already graded
    changed: list[str]           # of to_grade: graded before, but the submission (or grader) changed


def plan(students: dict[str, Student], hashes: dict[str, str], gradebook: Gradebook, version: str,
         exercises: Sequence[str], regrade: bool) -> Plan:
    done = gradebook.complete(version, exercises)
    seen = gradebook.graded_students()
    to_grade, reused, changed = [], [], []
    for name in students:
        if not regrade and (name, hashes[name]) in done:
            reused.append(name)
            continue
        to_grade.append(name)
        if name in seen and (name, hashes[name]) not in done:
            changed.append(name)
    return Plan(to_grade, reused, changed)


def complete_results(student: Student, exercises: Sequence, engine_results: Sequence[ExerciseResult]
                     ) -> list[ExerciseResult]:
    """One result per exercise of the manifest, in its order: the engine's, or ours for a module
    that is missing or unreadable (and, defensively, for one the engine left out)."""
    by_id = {r.exercise: r for r in engine_results}
    out = []
    for exercise in exercises:
        module = exercise.module
        if module in student.problems:
            out.append(ExerciseResult(
                exercise=exercise.id, score=0.0, max_score=float(exercise.points), passed=False,
                message=student.problems[module], status=ERROR, diagnosis="missing_function"))
        elif module not in student.sources:
            out.append(ExerciseResult(
                exercise=exercise.id, score=0.0, max_score=float(exercise.points), passed=False,
                message=f"{module}.py was not handed in, so {exercise.function} scores 0. Add "
                        f"{module}.py to your submission.",
                status=ERROR, diagnosis="missing_function"))
        elif exercise.id in by_id:
            out.append(by_id[exercise.id])
        else:
            out.append(ExerciseResult(
                exercise=exercise.id, score=0.0, max_score=float(exercise.points), passed=False,
                message="the grader returned no result for this exercise (an internal error); "
                        "ask your instructor to grade again.",
                status=ERROR, diagnosis="crash"))
    return out


def completed(student: Student, exercises: Sequence, engine_results: Sequence[ExerciseResult]
              ) -> tuple[list[ExerciseResult], dict[str, str]]:
    """What the gradebook records for a student: complete_results, and each module's file state."""
    files = {m: ("source" if m in student.sources else "problem" if m in student.problems else "missing")
             for m in (e.module for e in exercises)}
    return complete_results(student, exercises, engine_results), files


@dataclass
class Outcome:
    graded: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)    # student -> what went wrong (not recorded)
    learner_seconds: float = 0.0
    engine_seconds: float = 0.0                             # wall time inside grader.grade, summed


# Students whose code has run but who are not judged yet (the reference is not ready): a bound on
# the memory their raw results hold.
MAX_UNJUDGED = 64


def quiet_collector(grade):
    """While a class is graded, the class's sources, the plan and every imported module live
    through the whole run: frozen, the cyclic collector stops walking them, and it runs less
    often (each student makes many small objects, few of them cyclic). It took about 1.5 ms of
    the grader's CPU per student on a class of 200."""
    @functools.wraps(grade)
    def quietly(*args, **kwargs):
        gc.collect()
        gc.freeze()
        thresholds = gc.get_threshold()
        gc.set_threshold(RUN_GC_THRESHOLD, *thresholds[1:])
        try:
            return grade(*args, **kwargs)
        finally:
            gc.set_threshold(*thresholds)
            gc.unfreeze()
    return quietly


RUN_GC_THRESHOLD = 20_000     # allocations between young collections while a class is graded (Python's: 700)


@quiet_collector
def grade_students(names: Sequence[str], students: dict[str, Student], hashes: dict[str, str], *,
                   grader, gradebook: Gradebook, run_id: int, version: str, exercises: Sequence,
                   jobs: int, on_done: Callable[[str, bool], None] | None = None,
                   stop: threading.Event | None = None, retries: int = 1) -> Outcome:
    """Two stages, so that the workers never wait: `jobs` + 1 threads run the students' code
    (Grader.run, which needs no reference answers), and `jobs` threads judge the runs
    (Grader.judge_run, which waits for the reference while it is being prepared), write the
    gradebook and report progress. A grader without run() (a test double) just grades."""
    outcome = Outcome()
    stop = stop or threading.Event()
    lock = threading.Lock()
    staged = hasattr(grader, "run") and hasattr(grader, "judge_run")
    unjudged = threading.BoundedSemaphore(MAX_UNJUDGED)
    writes: list[Future] = []
    judged: list[Future] = []

    def failed(name: str, exc: BaseException) -> None:
        with lock:
            outcome.failed[name] = f"{type(exc).__name__}: {exc}"
        if on_done:
            on_done(name, False)

    def timed(fn, *args):
        started = time.perf_counter()
        try:
            return fn(*args)
        finally:
            with lock:
                outcome.engine_seconds += time.perf_counter() - started

    def run_one(name: str) -> None:
        try:
            _run_one(name)
        except Exception as exc:  # noqa: BLE001 - one student's trouble is theirs, never the class's
            from .incidents import report

            failed(name, RuntimeError(report(exc, name)))

    def _run_one(name: str) -> None:
        if stop.is_set():
            return
        sources = dict(students[name].sources)
        if not sources:    # grader is None only when no student to grade has any source
            finish(name, [])
            return
        if not staged:
            judge_one(name, sources, None)
            return
        for attempt in range(retries + 1):
            try:
                run = timed(grader.run, sources)
                break
            except Exception as exc:   # noqa: BLE001 - an engine failure, not the student's
                if stop.is_set() or attempt == retries:
                    failed(name, exc)
                    return
        unjudged.acquire()
        try:
            future = judging.submit(judge_one, name, sources, run)
        except BaseException:
            unjudged.release()
            raise
        with lock:
            judged.append(future)

    def judge_one(name: str, sources: dict, run) -> None:
        try:
            if stop.is_set():
                return
            for attempt in range(retries + 1):
                try:
                    if run is not None:
                        engine_results = list(timed(grader.judge_run, run))
                    else:
                        engine_results = list(timed(grader.grade, sources))
                    break
                except Exception as exc:   # noqa: BLE001 - an engine failure, not the student's
                    run = None             # the retry grades from scratch
                    if stop.is_set() or attempt == retries:
                        failed(name, exc)
                        return
        finally:
            if staged:
                unjudged.release()
        try:
            finish(name, engine_results)
        except Exception as exc:  # noqa: BLE001 - one student's trouble is theirs, never the class's
            from .incidents import report

            failed(name, RuntimeError(report(exc, name)))

    def finish(name: str, engine_results: list[ExerciseResult]) -> None:
        results, files = completed(students[name], exercises, engine_results)
        # The commit happens on the gradebook's writer thread; this thread goes on meanwhile. The
        # student counts as graded, and the progress moves, once the transaction is committed; a
        # failed write stops the run (and is raised at the end).
        learner = sum(r.seconds or 0.0 for r in engine_results)
        written = gradebook.record(run_id, name, hashes[name], version, results, files)

        def committed(future: Future) -> None:
            if future.cancelled() or future.exception() is not None:
                stop.set()          # the gradebook cannot be written: grade no further
                return
            with lock:
                outcome.graded.append(name)
                outcome.learner_seconds += learner
            if on_done:
                on_done(name, True)

        written.add_done_callback(committed)
        with lock:
            writes.append(written)

    jobs = max(1, jobs)
    # One running thread more than there are workers: a worker never waits for its thread to
    # send the next job. The judging threads compare in this process meanwhile.
    running = ThreadPoolExecutor(max_workers=jobs + 1 if staged and jobs > 1 else jobs, thread_name_prefix="run")
    judging = ThreadPoolExecutor(max_workers=jobs, thread_name_prefix="judge")
    try:
        pending: set[Future] = {running.submit(run_one, name) for name in names}
        while pending:
            done, pending = wait(pending, timeout=0.2, return_when=FIRST_COMPLETED)
            for future in done:
                exc = future.exception()
                if exc is not None:
                    stop.set()
                    raise exc
        running.shutdown(wait=True)
        for future in list(judged):
            while not future.done():
                wait([future], timeout=0.2)
            if future.exception() is not None:
                stop.set()
                raise future.exception()
    except BaseException:
        stop.set()
        running.shutdown(wait=False, cancel_futures=True)
        judging.shutdown(wait=False, cancel_futures=True)
        raise
    judging.shutdown(wait=True)
    for written in list(writes):     # every commit done (and a failed one raised) before returning
        written.result()
    return outcome
