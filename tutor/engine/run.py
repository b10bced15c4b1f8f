"""Running a submission: its sources to a worker, one job, the child's raw answers back.

    clean_sources(sources, allowed) / read_sources(workspace)   only the exercises' modules,
        of a sane size, ever travel to a worker (a workspace's json.py never does)
    run_tasks(worker, plan_key, plan_frame, tasks, sources, timeout, limits, on_progress)
        -> {task index: (header, payload)}: a job on one worker; a zygote that died is replaced
        and the tasks it did not answer run once more on the fresh one before they count as
        crashed, so that a submission is never charged for a zygote an earlier one damaged.
    Run: what a run produced, for judging later (Grader.judge_run)
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from tutor import manifest
from tutor.engine.pool import WorkerDied
from tutor.files import MAX_SOURCE_BYTES   # the one limit, shared with `tutor grade`

WORKER_ATTEMPTS = 2           # a job whose zygote died is run once more on a fresh zygote


@dataclass
class Run:
    """A submission's code has run (Grader.run); Grader.judge_run turns it into results."""
    sources: dict[str, str]
    plan_key: int
    runnable: list[int]
    raw: dict[int, tuple[dict, bytes]]


def exercise_modules(exercises=()) -> frozenset[str]:
    """The only modules of a submission that travel to the worker: the exercises' own (a
    workspace's json.py or signal.py never does; see docs/SANDBOX.md)."""
    return frozenset(e.module for e in (*manifest.EXERCISES, *exercises))


def clean_sources(sources: dict, allowed: frozenset[str] | None = None) -> dict[str, str]:
    """Only the exercises' modules, with text of a sane size, travel to the worker."""
    allowed = exercise_modules() if allowed is None else allowed
    clean = {}
    for name, source in dict(sources).items():
        if isinstance(name, str) and name in allowed and isinstance(source, str) \
                and len(source.encode("utf-8", "replace")) <= MAX_SOURCE_BYTES:
            clean[name] = source
    return clean


def read_sources(workspace: Path) -> dict[str, str]:
    sources, allowed = {}, exercise_modules()
    for path in sorted(Path(workspace).glob("*.py")):
        if path.stem in allowed and path.is_file() and path.stat().st_size <= MAX_SOURCE_BYTES:
            sources[path.stem] = path.read_text(encoding="utf-8", errors="replace")
    return sources


def run_tasks(worker, plan_key, plan_frame, tasks, sources, timeout, limits=None,
              on_progress=None) -> dict[int, tuple[dict, bytes]]:
    if not tasks:
        return {}
    answered: dict[int, tuple[dict, bytes]] = {}
    remaining = list(range(len(tasks)))
    died = None
    for attempt in range(WORKER_ATTEMPTS):
        try:
            if attempt:
                worker.restart()
            got = worker.run(plan_key, plan_frame, [tasks[i] for i in remaining], sources, timeout, limits,
                             on_progress=None if on_progress is None else
                             (lambda task, numbers, ids=list(remaining): on_progress(ids[task], numbers)))
            died = None
        except WorkerDied as error:
            got, died = error.partial, error
        except OSError as error:    # a fresh zygote could not be started
            got, died = {}, WorkerDied(f"the worker could not be restarted ({error})")
        for index, answer in got.items():
            answered[remaining[index]] = answer
        remaining = [i for i in remaining if i not in answered]
        if died is None or not remaining:
            break
        # The zygote itself died (not a child: the zygote reports those as results). It may have
        # been damaged before this job ran, so the unanswered tasks get one more try on a fresh one.
    for index in remaining:
        answered[index] = ({"type": "result", "error": "crash", "message": str(died)}, b"")
    return answered
