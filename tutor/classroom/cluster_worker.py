"""The Dask worker's side of `tutor grade --cluster` (the coordinator's side: cluster.py).

A Dask worker process holds the cluster's connection, so learner code never runs in it: the
worker plugin (GraderPlugin) starts tutor's own sandboxed worker pool (tutor.engine.pool, the
same zygotes `tutor grade` uses locally) on each Dask worker, and grade_batch() grades a batch
of students through a Grader on that pool. The Grader judges here, in the Dask worker, like
the local coordinator judges in its own process: the sandboxed children never hold the
expected values.

The reference comes from the coordinator, computed once: each exercise's prepared cases in the
reference cache's frame format (JSON + raw float64/int64 arrays, never a pickle; see
tutor/engine/cache.py), written here into a private folder from which the Grader loads them
exactly as a resumed local run loads OUT/reference-cache. So a Dask worker never imports torch.

A worker whose isolation is not `full`, or whose tutor, NumPy, manifest or engine differs from
the coordinator's, refuses every batch (WorkerRefused, with the reason the instructor sees).
Nothing here imports torch, Textual or the gradebook's writer.
"""
from __future__ import annotations

import hashlib
import importlib.util
import json
import shutil
import tempfile
import threading
from dataclasses import asdict
from pathlib import Path

from tutor.files import atomic_write

PLUGIN_PREFIX = "tutor-grader-"
REFERENCE_PACKAGE = "tutor.reference"

try:   # the base class when Dask is installed; the plugin works the same without it
    from distributed import WorkerPlugin as _PluginBase
except ImportError:   # pragma: no cover - cluster.py refuses to start without Dask
    _PluginBase = object


class WorkerRefused(Exception):
    """This Dask worker cannot grade; str() says which worker and why."""


def versions() -> dict[str, str]:
    """What must be the same on the coordinator and every Dask worker for grades to be the same."""
    import numpy
    import tutor
    from tutor.classroom.gradebook import computed_grader_version

    spec = importlib.util.find_spec("tutor.manifest")
    manifest = hashlib.sha256(Path(spec.origin).read_bytes()).hexdigest()[:12]
    return {"tutor": tutor.__version__, "NumPy": numpy.__version__, "manifest": manifest,
            "engine": computed_grader_version()}


def plugin_name(expected: dict[str, str]) -> str:
    """One plugin per set of versions: coordinators of the same tutor share a worker's pool (several
    classes graded at once), and one with another tutor never replaces it mid-run."""
    digest = hashlib.sha256(json.dumps(expected, sort_keys=True).encode()).hexdigest()[:12]
    return PLUGIN_PREFIX + digest


def refusal(expected: dict[str, str], found: dict[str, str], isolation: str) -> str | None:
    """Why a worker with `found` versions and `isolation` must not grade for a coordinator with `expected`."""
    problems = []
    if not isolation.startswith("full"):
        problems.append(f"its sandbox is not at the full isolation level ({isolation}); install bubblewrap and "
                        f"allow unprivileged user namespaces on this node (docs/CLUSTER.md)")
    for key, wanted in expected.items():
        if found.get(key) != wanted:
            problems.append(f"it has {key} {found.get(key)} where the coordinator has {wanted}")
    return "; ".join(problems) or None


class GraderPlugin(_PluginBase):
    """Per Dask worker: the refusal check, the sandboxed pool, and one Grader per shipped plan."""

    idempotent = True      # registered again by the next coordinator: the running one is kept

    def __init__(self, expected: dict[str, str]):
        self.expected = dict(expected)
        self.name = plugin_name(self.expected)

    def setup(self, worker=None) -> None:
        from tutor.engine.pool import WorkerPool
        from tutor.engine.sandbox import isolation_level

        self.address = getattr(worker, "address", "?")
        self.isolation = isolation_level()
        self.problem = refusal(self.expected, versions(), self.isolation)
        self.threads = max(1, int(getattr(getattr(worker, "state", None), "nthreads", 1) or 1))
        self._lock = threading.Lock()
        self._graders: dict = {}
        self._folder = Path(tempfile.mkdtemp(prefix="tutor-plan-"))
        self.pool = None
        if self.problem is None:
            # tutor's own zygotes, one per Dask thread: learner code runs in their sandboxed children.
            self.pool = WorkerPool(self.threads)
            self.pool.start()

    def teardown(self, worker=None) -> None:
        for grader in self._graders.values():
            grader.close()
        if self.pool is not None:
            self.pool.close()
        shutil.rmtree(self._folder, ignore_errors=True)

    def status(self) -> dict:
        return {"address": self.address, "isolation": self.isolation, "problem": self.problem,
                "threads": self.threads}

    def grader(self, digest: str, plan: dict[str, bytes], timeout: float):
        """The Grader for a shipped plan (made once per plan and timeout, on this worker's pool)."""
        from tutor.engine import Grader, cache, threads

        with self._lock:
            key = (digest, float(timeout))
            if key not in self._graders:
                folder = self._folder / digest
                for exercise_id, frame in plan.items():
                    path = cache.entry_path(REFERENCE_PACKAGE, exercise_id, folder)
                    path.parent.mkdir(parents=True, exist_ok=True)
                    atomic_write(path, frame)
                grader = Grader(timeout=timeout, pool=self.pool, reference_cache=folder)
                grader.prepare()      # reads the shipped entries: no torch here
                threads.one_math_thread()   # this process grades: its cores are the sandboxes'
                self._graders[key] = grader
            return self._graders[key]


def worker_status(name: str, dask_worker=None) -> dict:
    """Run on every Dask worker by the coordinator (Client.run): the verdict of the plugin `name`."""
    plugin = _plugin(name, dask_worker)
    if plugin is None:
        return {"address": getattr(dask_worker, "address", "?"), "isolation": "unknown",
                "problem": "tutor's worker plugin is not set up here", "threads": 0}
    return plugin.status()


def _plugin(name: str, worker=None):
    if worker is None:
        from distributed import get_worker

        worker = get_worker()
    return getattr(worker, "plugins", {}).get(name)


def grade_batch(name: str, digest: str, plan: dict[str, bytes], timeout: float, batch: list) -> dict:
    """A Dask task: grade [(student, {module: UTF-8 bytes})] with the plugin `name`; results as plain dicts.

    Returns {"worker": address, "graded": {student: [ExerciseResult as dict]}, "failed": {student: why}}.
    Raises WorkerRefused on a worker that must not grade (the coordinator sends the batch elsewhere)."""
    plugin = _plugin(name)
    if plugin is None:
        raise WorkerRefused("a Dask worker without tutor's worker plugin was given a batch")
    if plugin.problem:
        raise WorkerRefused(f"worker {plugin.address} refuses to grade: {plugin.problem}")
    grader = plugin.grader(digest, plan, timeout)
    graded, failed = {}, {}
    for student, encoded in batch:
        sources = {module: data.decode("utf-8", "surrogatepass") for module, data in encoded.items()}
        try:
            graded[student] = [asdict(r) for r in grader.grade(sources)]
        except Exception as exc:   # noqa: BLE001 - an engine failure, not the student's: retried alone
            failed[student] = f"{type(exc).__name__}: {exc}"
    return {"worker": plugin.address, "graded": graded, "failed": failed}
