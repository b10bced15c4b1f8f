"""Grading a class on a Dask distributed cluster: the coordinator's side (pipeline.Executor).

    tutor grade SUBMISSIONS --out OUT --cluster tcp://HOST:8786   a running cluster
    tutor grade SUBMISSIONS --out OUT --executor dask             a local cluster, to try it

This process stays the coordinator: it reads the class, computes the reference once (or reads
it from OUT/reference-cache), ships it to every Dask worker once (a broadcast), sends the
students' files as bytes in batches, and is the only writer of the gradebook: one transaction
per finished batch, in the order batches finish (as_completed). On the Dask workers,
cluster_worker.py grades through tutor's own sandbox; learner code never runs in a Dask
process, and no Dask worker imports torch.

Faults: Dask re-runs the batches of a worker that died elsewhere (and record_batch records a
student once per run however often their batch ran); a batch that fails is split in halves
down to single students; a single student is tried twice on their own, then left ungraded
with the reason (the run exits 1, and the same command retries them). A coordinator killed
with kill -9 loses at most its unfinished batches: the next run grades only the missing.
"""
from __future__ import annotations

import collections
import hashlib
import logging
import math
import time
from typing import Callable

from tutor.classroom.cluster_worker import GraderPlugin, WorkerRefused, grade_batch, versions, worker_status
from tutor.classroom.pipeline import Refusal
from tutor.classroom.runner import Outcome, completed

INSTALL = 'pip install "nn-tutor[cluster]"'
BATCH_SECONDS_TARGET = 4.0     # a batch should take seconds, so a task's ~1 ms of scheduling is noise
STUDENT_SECONDS_GUESS = 0.3    # one student's grading on one core (benchmarks/bench_cluster.py)
MAX_BATCH = 32
BATCHES_PER_THREAD = 4         # enough batches that a lost or slow worker does not hold the run up
SINGLE_ATTEMPTS = 2            # a student alone in a batch is tried this often before being left ungraded
CONNECT_SECONDS = 20
POLL_SECONDS = 0.02            # how often the coordinator looks for finished batches
QUIET_SECONDS = 5.0            # nothing finished this long: look again at which workers may grade
WORKER_WAIT_SECONDS = 10.0     # a cluster without workers yet: how long to wait for the first
NO_WORKER_SECONDS = 120.0      # no worker may grade for this long mid-run: the rest are left ungraded


class ClusterError(Refusal):
    """The cluster cannot be used; str() says why and what to do (the CLI exits 2 with it)."""


def require_dask():
    """The distributed module, or ClusterError with the install command."""
    try:
        import distributed
    except ImportError:
        raise ClusterError(f"--cluster and --executor dask need Dask distributed, which is not installed: "
                           f"{INSTALL}") from None
    return distributed


def batch_size(students: int, threads: int) -> int:
    """Students per task: big enough that scheduling is negligible (a few seconds of work), small
    enough that every Dask thread gets several batches (a dead worker's share is redone elsewhere)."""
    by_balance = math.ceil(students / max(1, threads * BATCHES_PER_THREAD))
    by_overhead = max(1, int(BATCH_SECONDS_TARGET / STUDENT_SECONDS_GUESS))
    return max(1, min(MAX_BATCH, by_overhead, by_balance))


def halves(batch: list[str]) -> list[list[str]]:
    middle = len(batch) // 2
    return [batch[:middle], batch[middle:]]


class DaskExecutor:
    """pipeline.Executor on a Dask cluster (an address), or on a local one started for this run."""

    task = staticmethod(grade_batch)     # what a Dask worker runs per batch (cluster_worker.py)

    def __init__(self, options, *, needs_engine: bool, hidden_tests: bool):
        distributed = require_dask()
        if hidden_tests:
            raise ClusterError("nbgrader notebooks with hidden tests are graded with --executor local only (the "
                               "default); run without --cluster/--executor dask.")
        self.options = options
        self.notices: list[str] = []
        self.client = self.cluster = None
        self.plan = None
        self.workers, self.threads = [], 1
        if not needs_engine:            # nothing to run (no student has code): no cluster needed
            from tutor.engine.sandbox import isolation_level

            self.isolation = isolation_level()
            return
        self.client, self.cluster = _connect(distributed, options)
        try:
            plugin = GraderPlugin(versions())
            self.plugin = plugin.name
            self.client.register_plugin(plugin, name=plugin.name)
            self.admit_workers()
        except BaseException:
            self.close()
            raise

    # -- the workers -------------------------------------------------------------------------
    def admit_workers(self) -> None:
        """The workers that may grade: those whose plugin found nothing wrong (asked again on each
        call). Raises ClusterError, with every worker's reason, when there is none."""
        try:
            self.client.wait_for_workers(1, timeout=WORKER_WAIT_SECONDS)
        except (TimeoutError, OSError):
            pass                           # said below: no workers
        statuses = self.client.run(worker_status, self.plugin, on_error="ignore")   # a dying worker is left out
        good = {a: s for a, s in statuses.items() if not s["problem"]}
        for address, status in sorted(statuses.items()):
            line = f"Dask worker {address} refuses to grade: {status['problem']}"
            if status["problem"] and line not in self.notices:
                self.notices.append(line)
        if not good:
            where = self.options.cluster or "the local cluster"
            raise ClusterError(f"no Dask worker of {where} can grade"
                               + (": " + "; ".join(f"{a}: {s['problem']}" for a, s in sorted(statuses.items()))
                                  if statuses else " (it has no workers); start some with `dask worker ADDRESS`."))
        self.workers = sorted(good)
        self.threads = sum(s["threads"] for s in good.values())
        isolations = collections.Counter(s["isolation"] for s in good.values())
        self.isolation = isolations.most_common(1)[0][0]

    # -- pipeline.Executor --------------------------------------------------------------------
    def start(self) -> None:
        """Compute the reference here, once (or read it from OUT), and ship it to every worker."""
        if self.client is None:
            return
        frames = _prepared_frames(self.options)
        digest = hashlib.sha256(b"".join(k.encode() + b"\0" + v for k, v in sorted(frames.items()))).hexdigest()[:16]
        shipped = self.client.scatter(frames, broadcast=True, hash=False)
        self.plan = (digest, shipped)

    def grade(self, job, on_done: Callable[..., None], stop) -> Outcome:
        return _Coordinator(self, job, on_done, stop).run()

    def close(self) -> None:
        for thing in (self.client, self.cluster):
            if thing is not None:
                try:
                    thing.close()
                except Exception:  # noqa: BLE001 - closing a cluster that is going away anyway
                    pass
        self.client = self.cluster = None


def _connect(distributed, options):
    """(client, cluster or None): the scheduler at options.cluster, or a local cluster of `jobs` workers."""
    logging.getLogger("distributed").setLevel(logging.ERROR)
    if options.cluster:
        try:
            return distributed.Client(options.cluster, timeout=CONNECT_SECONDS), None
        except (OSError, TimeoutError, ValueError) as exc:
            raise ClusterError(f"cannot reach the Dask scheduler at {options.cluster} ({exc}); check the "
                               f"address (tcp://HOST:8786 or tls://HOST:8786) and that `dask scheduler` runs "
                               f"there.") from None
    cluster = distributed.LocalCluster(n_workers=max(1, options.jobs), threads_per_worker=1, processes=True,
                                       host="127.0.0.1", dashboard_address=None, silence_logs=logging.ERROR)
    try:
        return distributed.Client(cluster, timeout=CONNECT_SECONDS), cluster
    except BaseException:
        cluster.close()
        raise


def _prepared_frames(options) -> dict[str, bytes]:
    """{exercise id: the prepared exercise in the reference cache's frame format} for the manifest,
    from OUT/reference-cache (computed with PyTorch into it first when missing)."""
    from tutor.classroom.cluster_worker import REFERENCE_PACKAGE
    from tutor.classroom.pipeline import REFERENCE_CACHE
    from tutor.engine import Grader, cache
    from tutor.manifest import EXERCISES

    folder = options.out / REFERENCE_CACHE
    with Grader(jobs=1, reference_cache=folder) as grader:   # prepares only: no worker is started
        prepared = grader.prepare()
    frames = {}
    for exercise, entry in zip(EXERCISES, prepared):
        path = cache.entry_path(REFERENCE_PACKAGE, exercise.id, folder)
        if entry.problem is None and not path.is_file():
            # prepared earlier in this process (the engine shares prepared exercises across Graders):
            # written into this OUT's cache now, the frames the workers get
            cache.store(REFERENCE_PACKAGE, entry, folder)
        if entry.problem or not path.is_file():
            raise ClusterError(f"the reference for {exercise.id} could not be prepared "
                               f"({entry.problem or f'{path} was not written'}); grade with --executor local.")
        frames[exercise.id] = path.read_bytes()
    return frames


class _Coordinator:
    """One run's batches: submit, take results as they finish, record, split what fails."""

    def __init__(self, executor: DaskExecutor, job, on_done, stop):
        from distributed import as_completed

        self.executor, self.job, self.on_done, self.stop = executor, job, on_done, stop
        self.outcome = Outcome()
        self.batches: dict = {}                      # future -> its students
        self.single_tries: collections.Counter = collections.Counter()
        self.finished_by: collections.deque = collections.deque()   # (time, worker) of recent batches
        self.without_workers_since: float | None = None
        self.done = as_completed()

    def run(self) -> Outcome:
        names = self._record_without_code(self.job.names)
        size = batch_size(len(names), self.executor.threads)
        for start in range(0, len(names), size):
            self._submit(names[start:start + size])
        quiet_since = time.monotonic()
        while self.batches and not self.stop.is_set():
            ready = self.done.next_batch(block=False)       # batches as they finish, in any order
            if not ready:
                if time.monotonic() - quiet_since > QUIET_SECONDS:
                    self._follow_workers()
                    quiet_since = time.monotonic()
                time.sleep(POLL_SECONDS)
                continue
            quiet_since = time.monotonic()
            for future in ready:
                self._take(future)
        for future in self.batches:        # stopped: nothing more is wanted
            future.cancel()
        return self.outcome

    def _take(self, future) -> None:
        batch = self.batches.pop(future, None)
        if batch is None:                  # moved to other workers meanwhile
            return
        if future.status == "finished":
            self._finished(batch, future.result())
        else:
            self._failed(batch, _reason(future))

    def _follow_workers(self) -> None:
        """Nothing finished for a while: when the workers that may grade changed (some died, new
        ones passed the checks), the waiting batches go to the ones there are now. With none for
        NO_WORKER_SECONDS, the students still waiting are left ungraded, with the reason."""
        before = set(self.executor.workers)
        try:
            self.executor.admit_workers()
            self.without_workers_since = None
        except Exception as exc:  # noqa: BLE001 - ClusterError, or the scheduler went away
            self.without_workers_since = self.without_workers_since or time.monotonic()
            if time.monotonic() - self.without_workers_since > NO_WORKER_SECONDS:
                self._give_up(f"{exc}".strip() or type(exc).__name__)
            return
        if set(self.executor.workers) == before:
            return
        for future, batch in list(self.batches.items()):
            if future.status == "pending":
                del self.batches[future]
                future.cancel()
                self._submit(batch, again=True)

    def _give_up(self, reason: str) -> None:
        for future, batch in list(self.batches.items()):
            del self.batches[future]
            future.cancel()
            for name in batch:
                self.outcome.failed[name] = f"no Dask worker could grade ({reason})"
                self.on_done(name, False, 0)

    def _submit(self, batch: list[str], again: bool = False) -> None:
        if len(batch) == 1 and not again:
            self.single_tries[batch[0]] += 1
        students = self.job.students
        payload = [(name, {m: text.encode("utf-8", "surrogatepass") for m, text in students[name].sources.items()})
                   for name in batch]
        executor = self.executor
        digest, shipped = executor.plan
        # Strictly on the workers that passed the checks (a refusing worker gets nothing).
        future = executor.client.submit(executor.task, executor.plugin, digest, shipped, executor.options.timeout,
                                        payload, pure=False, workers=executor.workers, allow_other_workers=False)
        self.batches[future] = batch
        self.done.add(future)

    def _record_without_code(self, names: list[str]) -> list[str]:
        """Students with no code to run are recorded here, as the local runner does; returns the others."""
        students = self.job.students
        empty = [n for n in names if not students[n].sources]
        if empty:
            self._record({n: [] for n in empty}, worker=None)
        return [n for n in names if students[n].sources]

    def _finished(self, batch: list[str], answer: dict) -> None:
        from tutor.engine.results import ExerciseResult

        graded = {name: [ExerciseResult(**r) for r in rows] for name, rows in answer["graded"].items()}
        self._record(graded, worker=answer["worker"])
        for name in batch:
            if name not in graded:
                self._failed([name], answer["failed"].get(name, "the worker returned no result"))

    def _failed(self, batch: list[str], reason: str) -> None:
        if self.stop.is_set():
            return
        if len(batch) > 1:
            for half in halves(batch):
                self._submit(half)
        elif self.single_tries[batch[0]] < SINGLE_ATTEMPTS:
            self._submit(batch)
        else:
            self.outcome.failed[batch[0]] = reason
            self.on_done(batch[0], False, self._workers_in_use())

    def _record(self, graded: dict, worker: str | None) -> None:
        job = self.job
        entries = []
        for name, engine_results in graded.items():
            try:
                results, files = completed(job.students[name], job.exercises, engine_results)
            except Exception as exc:  # noqa: BLE001 - one student's trouble is theirs, never the class's (runner.py)
                from tutor.classroom.incidents import report

                self.outcome.failed[name] = f"RuntimeError: {report(exc, name)}"
                self.on_done(name, False, self._workers_in_use())
                continue
            entries.append((name, job.hashes[name], results, files))
        written = job.gradebook.record_batch(job.run_id, job.version, entries).result()   # one transaction
        if worker is not None:
            self.finished_by.append((time.monotonic(), worker))
        for name in written:
            self.outcome.graded.append(name)
            self.on_done(name, True, self._workers_in_use())

    def _workers_in_use(self) -> int:
        """Dask workers that finished a batch in the last 10 seconds."""
        horizon = time.monotonic() - 10
        while self.finished_by and self.finished_by[0][0] < horizon:
            self.finished_by.popleft()
        return len({worker for _, worker in self.finished_by})


def _reason(future) -> str:
    try:
        exc = future.exception(timeout=5)
    except Exception as error:  # noqa: BLE001 - cancelled, lost: say what we know
        return f"{type(error).__name__}: {error}"
    if isinstance(exc, WorkerRefused):
        return str(exc)
    return f"{type(exc).__name__}: {exc}"
