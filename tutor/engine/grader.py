"""The Grader: a thin façade over the plan (plan.py), the run (run.py) and judging (judge.py).

    prepare   every case of every exercise once per Grader: inputs, the reference's answers
              and what judging will ask about a case (plan.py); a class grader with a cache
              folder has them computed in a process of its own (reference_process.py), so
              that torch never enters the grading process
    run       a submission's sources to a worker, one job, the child's raw answers back
              (run.py); the inputs travel to each worker once, as the "plan"
    judge     verdicts from the prepared cases and the child's arrays (judge.py, pure), then
              for a backward that disagrees with autograd a small second run against the
              learner's own forward (explain.py)

Scoring: an exercise is worth `points`; the score is points x the fraction of its cases
passed (rounded to 0.01), and `passed` means every case passed. A timeout, crash, missing
function or failed import fails every case of the exercise.
"""
from __future__ import annotations

import itertools
import threading
from pathlib import Path

from tutor import manifest
from tutor.engine import cache, explain, judge, reference_process, sandbox, threads
from tutor.engine import plan
from tutor.engine.judge import make_result, text
from tutor.engine.plan import PreparedExercise, encode_plan
from tutor.engine.pool import WorkerPool
from tutor.engine.results import ExerciseResult
from tutor.engine.run import Run, clean_sources, exercise_modules, run_tasks

_PLAN_KEYS = itertools.count(1)


class Grader:
    """Grades submissions against the reference; see tutor/engine/__init__.py for the API."""

    def __init__(self, exercises=None, timeout: float = 10.0, jobs: int = 1, reference_package: str = "tutor.reference",
                 limits: dict | None = None, cache: bool = False, pool: WorkerPool | None = None,
                 reference_cache: Path | None = None):
        self.exercises = list(manifest.EXERCISES if exercises is None else exercises)
        self.timeout = float(timeout)
        self.reference_package = reference_package
        self.limits = limits
        self.cache = cache            # the learner-side disk cache (cache.py); never for class grading
        # A private folder for prepared exercises (the class grader's OUT): read and written like the
        # learner-side cache, under the same fingerprint, but nowhere a learner can write.
        self.reference_cache = Path(reference_cache) if reference_cache is not None else None
        # A pool may be shared between Graders (a worker re-sends a Grader's plan when another
        # Grader used it last); only a pool made here is closed by close().
        self._owns_pool = pool is None
        self._pool = WorkerPool(jobs) if pool is None else pool
        if jobs > 1:      # a class grader: its own maths on one thread, the cores to the workers (threads.py)
            threads.one_math_thread()
        self._lock = threading.Lock()
        # (plan key, prepared exercises, plan frame) once the reference is ready; a key, unlike
        # id(self), is never reused by a later Grader.
        self._full: tuple[int, list[PreparedExercise], bytes] | None = None
        # The same before the reference: inputs and upstream gradients only (see _early_plan).
        self._early: tuple[int, list[PreparedExercise], bytes] | None = None
        self._early_lock = threading.Lock()
        self._early_tried = False
        self._background = False      # start() prepares the reference in a background thread

    # -- public ------------------------------------------------------------------

    @property
    def isolation(self) -> str:
        return sandbox.isolation_level()

    def grade(self, sources: dict[str, str]) -> list[ExerciseResult]:
        return self.judge_run(self.run(sources))

    def start(self, prepare: bool = True) -> None:
        """Start the workers and prepare the reference in a background thread, now.

        run() then needs no reference (the learners' code runs on the plan's inputs while it is
        computed), and judge_run() waits for it. prepare=False: no background thread; the first
        judge_run() prepares. Optional: without start() the first grade() prepares.
        Meant for a process that grades many submissions: its own BLAS and OpenMP maths runs
        on one thread from here on (threads.py), leaving the cores to the workers.
        """
        threads.one_math_thread()
        self._background = True
        self._pool.start()
        if prepare:
            threading.Thread(target=self._prepare_quietly, name="reference", daemon=True).start()

    @property
    def pool(self) -> WorkerPool:
        """The worker processes this Grader runs submissions on (maybe shared with others)."""
        return self._pool

    @property
    def reference_ready(self) -> bool:
        """Whether the reference answers are prepared (judging will not wait)."""
        return self._full is not None

    @property
    def plan_key(self) -> int:
        """The plan a run() now goes on: a Run made on another one is run again by judge_run()."""
        return self._plan_for_running()[0]

    def run(self, sources: dict[str, str], on_progress=None) -> Run:
        """Run a submission's code (no judging yet): what judge_run() needs.

        on_progress(exercise id, {name: float}): the learner code's report() calls, live.
        """
        sources = clean_sources(sources, exercise_modules(self.exercises))
        with self._pool.worker() as worker:       # starts a zygote while the plan is prepared
            key, prepared, frame = self._plan_for_running()
            runnable = [i for i, p in enumerate(prepared) if p.problem is None]
            tasks = [{"exercise": i, "mode": "grade"} for i in runnable]
            relay = None if on_progress is None else (
                lambda task, numbers: on_progress(prepared[runnable[task]].exercise.id, numbers))
            raw = run_tasks(worker, key, frame, tasks, sources, self.timeout, self.limits, relay)
        return Run(sources, key, runnable, raw)

    def judge_run(self, run: Run) -> list[ExerciseResult]:
        """The results of a run(); waits for the reference when it is still being prepared."""
        prepared = self.prepare()
        if run.plan_key != self._full[0]:
            # Run on inputs that turned out to differ from the final plan's: run again on those.
            run = self.run(run.sources)
        results, failed_cases = {}, {}
        for task_index, plan_index in enumerate(run.runnable):
            failed_cases[plan_index] = []
            results[plan_index] = self.judge(prepared[plan_index], *run.raw.get(task_index, (None, b"")),
                                             failed_cases=failed_cases[plan_index])
        self._explain_backwards(prepared, results, failed_cases, run.sources)
        return [results[i] if i in results else internal_result(p) for i, p in enumerate(prepared)]

    def judge(self, prepared: PreparedExercise, header: dict | None, payload: bytes,
              failed_cases: list[int] | None = None) -> ExerciseResult:
        """The result of one exercise from the child's answer (judge.py); `failed_cases` collects failing case indices."""
        context = judge.Context(self.timeout)
        result = judge.judge_exercise(prepared, header, payload, context, failed_cases)
        result.details[:0] = notebook_notes(header if isinstance(header, dict) else {})   # a notebook's cells first
        return result

    def close(self) -> None:
        if self._owns_pool:
            self._pool.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    # -- the plan --------------------------------------------------------------------

    def prepare(self) -> list[PreparedExercise]:
        with self._lock:
            if self._full is None:
                if self.reference_cache is not None:
                    # Computed in a process of its own and read back from the folder (no torch here).
                    reference_process.prepare_into(self.reference_cache, self.reference_package, self.exercises)
                folder = self.reference_cache if self.reference_cache is not None else (
                    cache.cache_dir() if self.cache else None)
                keep = self.reference_cache is not None   # a class grader's own folder keeps variants too
                prepared = [plan.prepared_once(e, self.reference_package, folder, keep) for e in self.exercises]
                frame = encode_plan(prepared, self.timeout)
                early = self._early
                # Children that ran on the early plan ran on exactly these inputs when the frames agree.
                key = early[0] if early is not None and early[2] == frame else next(_PLAN_KEYS)
                self._full = (key, prepared, frame)
            return self._full[1]

    def _prepare_quietly(self) -> None:
        try:
            self.prepare()
        except Exception:  # noqa: BLE001 - raised again where the foreground needs the reference
            pass

    def _plan_for_running(self) -> tuple[int, list[PreparedExercise], bytes]:
        if self._full is not None:
            return self._full
        # Only while start()'s thread prepares the reference: otherwise preparing it here costs
        # no more than the early plan would (a warm learner-side cache, a single check).
        early = self._early_plan() if self._background else None
        if early is not None:
            return early
        self.prepare()
        return self._full

    def _early_plan(self) -> tuple[int, list[PreparedExercise], bytes] | None:
        """The plan before the reference is ready: every case's inputs and upstream gradient
        (plan.prepare_inputs, NumPy only). prepare() checks the final plan against this one: a
        run on an early plan that differs is run again (judge_run)."""
        if self._early is not None or self._early_tried:
            return self._early
        with self._early_lock:
            if not self._early_tried:
                try:
                    prepared = [plan.early_inputs(e, self.reference_package) for e in self.exercises]
                    self._early = (next(_PLAN_KEYS), prepared, encode_plan(prepared, self.timeout))
                except Exception:  # noqa: BLE001 - no early plan: the children wait for the reference
                    self._early = None
                self._early_tried = True
            return self._early

    # -- backward vs own forward -----------------------------------------------------------

    def _explain_backwards(self, prepared, results, failed_cases, sources) -> None:
        """A second, small run for backwards that disagree with autograd (explain.py)."""
        tasks, targets = explain.numerical_tasks(prepared, results, failed_cases)
        if not tasks:
            return
        key, _, frame = self._full
        with self._pool.worker(urgent=True) as worker:     # a judging thread waits on it
            raw = run_tasks(worker, key, frame, tasks, sources, self.timeout, self.limits)
        explain.apply(prepared, results, targets, raw)


def internal_result(prepared: PreparedExercise) -> ExerciseResult:
    return make_result(prepared.exercise, "internal",
                       f"the grader could not prepare this exercise (a bug in tutor, not in your code): "
                       f"{prepared.problem}", 0, [], 0.0)


def notebook_notes(header: dict) -> list[str]:
    """The cells of a notebook that failed or were not run (tutor.notebook.program), as text."""
    notes = header.get("notebook")
    return [text(note, 500) for note in notes[:20]] if isinstance(notes, list) else []
