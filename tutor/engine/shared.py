"""Graders kept for the next check, all on one shared sandbox worker.

A learner checks again and again (the app, `tutor check --watch`, `check()` in a notebook):
each selection of exercises keeps its Grader (the reference prepared once) and every one of
them runs on the same single worker process, so a notebook or an app starts one sandbox,
not one per exercise. The class grader makes Graders of its own, with `jobs` workers.

    shared_grader(exercises, timeout=10.0, cache=True, key=None) -> Grader
    check_workspace(workspace, selector=None, timeout=10.0) -> list[ExerciseResult]
    close_all()      stops them (also at exit)
"""
from __future__ import annotations

import atexit
import threading
from pathlib import Path

from tutor import manifest
from tutor.engine.pool import WorkerPool
from tutor.engine.results import ExerciseResult
from tutor.engine.run import read_sources

_GRADERS: dict[tuple, object] = {}
_POOL: list[WorkerPool] = []
_LOCK = threading.Lock()


def shared_grader(exercises, timeout: float = 10.0, cache: bool = True, key=None):
    """The kept Grader for these exercises (`key` names a selection whose exercises are not
    hashable, such as a notebook's hidden-test variant), made on first use."""
    from tutor.engine.grader import Grader

    key = (tuple(exercises) if key is None else key, float(timeout), bool(cache))
    with _LOCK:
        grader = _GRADERS.get(key)
        if grader is None:
            if not _POOL:
                _POOL.append(WorkerPool(1))
            grader = _GRADERS[key] = Grader(list(exercises), timeout=timeout, cache=cache, pool=_POOL[0])
        return grader


def check_workspace(workspace: Path, selector: str | None = None, timeout: float = 10.0) -> list[ExerciseResult]:
    """Grade WORKSPACE/*.py for the selected exercises (all, a module, or one).

    The Grader (and its worker) is kept for the next call with the same selection, so that
    an app or a notebook checking again and again pays for the reference and the worker once.
    """
    grader = shared_grader(manifest.select(selector), timeout=timeout)
    return grader.grade(read_sources(Path(workspace)))


@atexit.register
def close_all() -> None:
    # Every kept Grader runs on the shared pool, which none of them owns: closing the pool is enough.
    with _LOCK:
        _GRADERS.clear()
        pools, _POOL[:] = list(_POOL), []
    for pool in pools:
        pool.close()
