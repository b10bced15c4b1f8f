"""The Grader: prepares every case once, runs submissions in workers, judges in this process.

Preparation (once per Grader, on first use): each case's inputs come from its seeded
`make(rng)`; the reference gives the expected values (and, for a backward, the random
upstream gradient is drawn here, shaped like the reference forward's out). Inputs travel to
the workers once per worker as a "plan"; a submission then costs one job: its sources in,
one result per exercise out. Every comparison happens here, on what the child returned.

Scoring: an exercise is worth `points`; the score is points x the fraction of its cases
passed (rounded to 0.01), and `passed` means every case passed. A timeout, crash, missing
function or failed import fails every case of the exercise.
"""
from __future__ import annotations

import atexit
import inspect
import itertools
import threading
import zlib
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from tutor import manifest
from tutor.engine import cache, calling, compare, judge, reference, sandbox, threads
from tutor.engine.judge import (  # noqa: F401 - judging lives in judge.py; these names stay importable here
    ERROR_DIAGNOSES, accepts_tie_routing, batch_size, element_count, finite_number, floating_point_warning,
    largest_input, make_result, output_array, summarise, text)
from tutor.engine.pool import WorkerDied, WorkerPool
from tutor.engine.results import ExerciseResult
from tutor.engine.worker.protocol import RngSeed, encode_value, pack, unpack_arrays
from tutor.files import MAX_SOURCE_BYTES  # noqa: F401 - the one limit, shared with tutor grade

KINK_NUDGE = 1e-30            # zeros moved this far either side to get both one-sided derivatives
NUMERICAL_RTOL = 1e-5         # how closely a backward must match the learner's own forward
NUMERICAL_SAMPLES = 24        # entries per gradient checked by central differences
WORKER_ATTEMPTS = 2           # a job whose zygote died is run once more on a fresh zygote


@dataclass
class PreparedCase:
    case: manifest.Case
    inputs: dict                  # NumPy values; a Generator replaced by RngSeed
    dout: np.ndarray | None = None
    expected: list[np.ndarray] | None = None
    alternatives: list[list[np.ndarray]] = field(default_factory=list)   # nudged references at kinks


@dataclass
class PreparedExercise:
    exercise: manifest.Exercise
    cases: list[PreparedCase]
    style: str                    # "pair" (out, cache) | "values" | "backward"
    grad_args: list[str]
    problem: str | None = None    # the grader could not prepare it (a bug in tutor)

    @property
    def rtol(self) -> float:
        e = self.exercise
        if e.rtol is not None:
            return e.rtol
        return manifest.GRADIENT_RTOL if e.kind == "backward" else manifest.OUTPUT_RTOL


def case_seed(exercise_id: str, case_name: str, index: int) -> int:
    return zlib.crc32(f"{exercise_id}/{index}/{case_name}".encode())


def is_manifest_entry(exercise: manifest.Exercise) -> bool:
    """Only the manifest's own entries may be cached: the fingerprint covers manifest.py, not ad-hoc ones."""
    try:
        return manifest.by_id(exercise.id) is exercise
    except KeyError:
        return False


def from_cache(exercise, cases: list[dict], style: str, grad_args: list[str]) -> PreparedExercise:
    return PreparedExercise(exercise, [PreparedCase(**c) for c in cases], style, grad_args)


def call_style(exercise: manifest.Exercise) -> str:
    if exercise.forward:
        return "backward"
    if exercise.kind == "forward" or (exercise.kind == "random" and exercise.function.endswith("_forward")):
        return "pair"
    return "values"


def qualified(exercise: manifest.Exercise, name: str | None) -> str | None:
    if not name:
        return None
    return name if "." in name else f"{exercise.module}.{name}"


def replace_generators(value, seed: int):
    if isinstance(value, np.random.Generator):
        return RngSeed(seed)
    if isinstance(value, list):
        return [replace_generators(v, seed + i + 1) for i, v in enumerate(value)]
    return value


def is_kink(case: manifest.Case) -> bool:
    """An edge case at a kink, where either one-sided derivative is right (the manifest names them so).

    Only these get the nudged references: elsewhere an exact 0 is meant strictly (step(0) = 0).
    """
    return case.edge and "kink" in case.name.lower()


def has_zero(inputs: dict) -> bool:
    return any(isinstance(v, np.ndarray) and v.dtype.kind == "f" and (v == 0).any() for v in inputs.values())


def nudged(inputs: dict, shift: float) -> dict:
    return {k: np.where(v == 0, shift, v) if isinstance(v, np.ndarray) and v.dtype.kind == "f" else v
            for k, v in inputs.items()}


@dataclass
class Run:
    """A submission's code has run (Grader.run); Grader.judge_run turns it into results."""
    sources: dict[str, str]
    plan_key: int
    runnable: list[int]
    raw: dict[int, tuple[dict, bytes]]


def _hashable(exercise) -> bool:
    try:
        hash(exercise)
    except TypeError:
        return False
    return True


def grad_args_of(forward, exercise, cases) -> list[str]:
    """The forward's float array arguments, in its order: what a backward returns gradients for."""
    order = list(inspect.signature(forward).parameters)
    inputs = cases[0].inputs if cases else {}
    names = [n for n in order if isinstance(inputs.get(n), np.ndarray) and inputs[n].dtype.kind == "f"]
    return names[:len(exercise.outputs)]


def solution_function(module: str, name: str):
    """A function of the course's own NumPy solutions (tutor.solutions, or solutions in a checkout)."""
    import importlib

    module_name, _, function = name.rpartition(".")
    try:
        loaded = importlib.import_module(f"tutor.solutions.{module_name}")
    except ModuleNotFoundError:
        loaded = importlib.import_module(f"solutions.{module_name}")
    return getattr(loaded, function)


def solution_inputs(inputs: dict) -> dict:
    """Copies of a case's inputs for a trusted solution (an RngSeed becomes its Generator)."""
    def fresh(value):
        if isinstance(value, np.ndarray):
            return value.copy()
        if isinstance(value, RngSeed):
            return np.random.default_rng(value.seed)
        if isinstance(value, list):
            return [fresh(v) for v in value]
        return value
    return {k: fresh(v) for k, v in inputs.items()}


_PREPARED: dict[tuple, "PreparedExercise"] = {}
_PREPARED_LOCK = threading.Lock()
_SHARED: dict[tuple, "Grader"] = {}
_SHARED_LOCK = threading.Lock()
_SHARED_POOL: list[WorkerPool] = []     # one worker for every check_workspace Grader
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
        self._lock = threading.Lock()
        # (plan key, prepared exercises, plan frame) once the reference is ready; a key, unlike
        # id(self), is never reused by a later Grader.
        self._full: tuple[int, list[PreparedExercise], bytes] | None = None
        # The same before the reference: inputs and upstream gradients only (see _early_plan).
        self._early: tuple[int, list[PreparedExercise], bytes] | None = None
        self._early_lock = threading.Lock()
        self._early_tried = False
        self._background = False      # start() prepares the reference in a background thread
        self._forward_outs: dict[tuple, object] = {}   # answers of _forward_out and _seed_matters, per case

    # -- public ------------------------------------------------------------------

    @property
    def isolation(self) -> str:
        return sandbox.isolation_level()

    def grade(self, sources: dict[str, str]) -> list[ExerciseResult]:
        return self.judge_run(self.run(sources))

    def start(self) -> None:
        """Start the workers and prepare the reference in a background thread, now.

        run() then needs no reference (the learners' code runs while it is computed), and
        judge_run() waits for it. Optional: without start() the first grade() prepares.
        Meant for a process that grades many submissions: its own BLAS and OpenMP maths runs
        on one thread from here on (threads.py), leaving the cores to the workers.
        """
        threads.one_math_thread()
        self._background = True
        self._pool.start()
        threading.Thread(target=self._prepare_quietly, name="reference", daemon=True).start()

    def run(self, sources: dict[str, str], on_progress=None) -> "Run":
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
            raw = self._run(worker, tasks, sources, key, frame, relay)
        return Run(sources, key, runnable, raw)

    def judge_run(self, run: "Run") -> list[ExerciseResult]:
        """The results of a run(); waits for the reference when it is still being prepared."""
        prepared = self.prepare()
        if run.plan_key != self._full[0]:
            # Run on inputs that turned out to differ from the final plan's: run again on those.
            run = self.run(run.sources)
        sources, runnable, raw = run.sources, run.runnable, run.raw
        results, failed_cases = {}, {}
        for task_index, plan_index in enumerate(runnable):
            failed_cases[plan_index] = []
            results[plan_index] = self.judge(prepared[plan_index], *raw.get(task_index, (None, b"")),
                                             failed_cases=failed_cases[plan_index])
        self._explain_backwards(prepared, results, failed_cases, sources)
        return [results[i] if i in results else internal_result(p) for i, p in enumerate(prepared)]

    def close(self) -> None:
        if self._owns_pool:
            self._pool.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    # -- preparation -----------------------------------------------------------------

    def prepare(self) -> list[PreparedExercise]:
        with self._lock:
            if self._full is None:
                prepared = [self._prepared_once(e) for e in self.exercises]
                frame = self._encode_plan(prepared)
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
        """The plan before the reference is ready: every case's inputs and upstream gradient.

        The inputs are NumPy only. A backward's upstream gradient is drawn like the reference's
        (same seed) in the shape of the forward's out, which is taken from the course's own trusted
        NumPy solutions instead of the PyTorch reference. prepare() checks the final plan against
        this one: a run on an early plan that differs is run again (judge_run).
        """
        if self._early is not None or self._early_tried:
            return self._early
        with self._early_lock:
            if not self._early_tried:
                try:
                    prepared = [self._prepare_inputs(e) for e in self.exercises]
                    self._early = (next(_PLAN_KEYS), prepared, self._encode_plan(prepared))
                except Exception:  # noqa: BLE001 - no early plan: the children wait for the reference
                    self._early = None
                self._early_tried = True
            return self._early

    def _prepare_inputs(self, exercise: manifest.Exercise) -> PreparedExercise:
        cached = _PREPARED.get((exercise, self.reference_package)) if _hashable(exercise) else None
        if cached is not None:
            return cached
        prepared = PreparedExercise(exercise, [], call_style(exercise), [])
        for index, case in enumerate(exercise.cases):
            seed = case_seed(exercise.id, case.name, index)
            inputs = self._case_inputs(exercise, case, seed)
            dout = None
            if exercise.forward:
                forward = solution_function(exercise.module, qualified(exercise, exercise.forward))
                out = forward(**solution_inputs(inputs))
                out = out[0] if isinstance(out, tuple) else out
                dout = np.random.default_rng(seed + 2).standard_normal(np.shape(out))
            prepared.cases.append(PreparedCase(case, inputs, dout))
        if exercise.kind == "backward":
            forward = solution_function(exercise.module, qualified(exercise, exercise.forward))
            prepared.grad_args = grad_args_of(forward, exercise, prepared.cases)
        return prepared

    def _prepared_once(self, exercise: manifest.Exercise) -> PreparedExercise:
        """Cases and reference are pure functions of the manifest entry: shared by every Grader."""
        key = (exercise, self.reference_package)
        if not _hashable(exercise):   # an ad-hoc Exercise holding a list: prepared, just not shared
            return self._prepare_exercise(exercise)
        with _PREPARED_LOCK:
            if key in _PREPARED:
                return _PREPARED[key]
        folder = self.reference_cache if self.reference_cache is not None else None if not self.cache else cache.cache_dir()
        cacheable = folder is not None and is_manifest_entry(exercise)
        prepared = cache.load(self.reference_package, exercise, from_cache, folder) if cacheable else None
        if prepared is None:
            prepared = self._prepare_exercise(exercise)
            if cacheable and prepared.problem is None:
                cache.store(self.reference_package, prepared, folder)
        with _PREPARED_LOCK:
            return _PREPARED.setdefault(key, prepared)

    def _prepare_exercise(self, exercise: manifest.Exercise) -> PreparedExercise:
        style = call_style(exercise)
        prepared = PreparedExercise(exercise, [], style, [])
        try:
            for index, case in enumerate(exercise.cases):
                prepared.cases.append(self._prepare_case(exercise, case, index))
            if exercise.kind == "backward":
                prepared.grad_args = self._grad_args(exercise, prepared.cases)
        except Exception as error:  # noqa: BLE001 - a manifest or reference bug must not stop grading
            prepared.problem = f"{type(error).__name__}: {error}"
        return prepared

    @staticmethod
    def _case_inputs(exercise, case, seed) -> dict:
        made = case.make(np.random.default_rng(seed))
        inputs = {k: replace_generators(v, seed + 1 + i) for i, (k, v) in enumerate(made.items())}
        if exercise.kind == "random" and "rng" not in inputs:
            inputs["rng"] = RngSeed(seed + 101)
        # The child passes them by position: in the contract's order (of the forward, for a backward).
        return calling.in_contract_order(qualified(exercise, exercise.forward or exercise.id), inputs)

    def _prepare_case(self, exercise, case, index) -> PreparedCase:
        seed = case_seed(exercise.id, case.name, index)
        inputs = self._case_inputs(exercise, case, seed)
        prepared = PreparedCase(case, inputs)
        if exercise.kind == "random":
            if exercise.forward:
                out, _ = reference.compute(self.reference_package,
                                           _as_kind(exercise, "forward", exercise.forward), inputs)
                prepared.dout = np.random.default_rng(seed + 2).standard_normal(out[0].shape)
            return prepared

        def make_dout(shape):
            return np.random.default_rng(seed + 2).standard_normal(shape)

        prepared.expected, prepared.dout = reference.compute(self.reference_package, exercise, inputs,
                                                             make_dout=make_dout)
        if is_kink(case) and exercise.kind in ("backward", "function") and has_zero(inputs):
            for shift in (KINK_NUDGE, -KINK_NUDGE):
                alternative, _ = reference.compute(self.reference_package, exercise, nudged(inputs, shift),
                                                   dout=prepared.dout)
                prepared.alternatives.append(alternative)
        return prepared

    def _grad_args(self, exercise, cases) -> list[str]:
        forward = reference.reference_function(self.reference_package, qualified(exercise, exercise.forward))
        return grad_args_of(forward, exercise, cases)

    def _encode_plan(self, prepared: list[PreparedExercise]) -> bytes:
        arrays: list[np.ndarray] = []
        specs = []
        for p in prepared:
            e = p.exercise
            cases = [] if p.problem else [
                {"inputs": encode_value(c.inputs, arrays),
                 "dout": encode_value(c.dout, arrays) if c.dout is not None else None}
                for c in p.cases]
            specs.append({"id": e.id, "module": e.module, "kind": e.kind, "style": p.style,
                          "forward": qualified(e, e.forward), "outputs": list(e.outputs),
                          "grad_args": p.grad_args, "cases": cases, "soft_timeout": soft_timeout(self.timeout),
                          "encode": e.encode})
        return pack({"type": "plan", "exercises": specs}, arrays)

    # -- running ---------------------------------------------------------------------

    def _run(self, worker, tasks, sources, plan_key=None, plan_frame=None,
             on_progress=None) -> dict[int, tuple[dict, bytes]]:
        if not tasks:
            return {}
        if plan_key is None:
            plan_key, _, plan_frame = self._full
        answered: dict[int, tuple[dict, bytes]] = {}
        remaining = list(range(len(tasks)))
        for attempt in range(WORKER_ATTEMPTS):
            try:
                if attempt:
                    worker.restart()
                got = worker.run(plan_key, plan_frame, [tasks[i] for i in remaining], sources,
                                 self.timeout, self.limits,
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

    # -- judging -----------------------------------------------------------------------

    def judge(self, prepared: PreparedExercise, header: dict | None, payload: bytes,
              failed_cases: list[int] | None = None) -> ExerciseResult:
        """The result of one exercise from the child's answer (judge.py); `failed_cases` collects failing case indices."""
        context = judge.Context(self.timeout, self._forward_out, self._seed_matters)
        result = judge.judge_exercise(prepared, header, payload, context, failed_cases)
        result.details[:0] = notebook_notes(header if isinstance(header, dict) else {})   # a notebook's cells first
        return result

    def _seed_matters(self, prepared: PreparedExercise, index: int) -> bool:
        """seed_matters, asked once per case (a class's submissions ask it again and again)."""
        key = (id(prepared), index, "seed")
        if key not in self._forward_outs:
            self._forward_outs[key] = seed_matters(prepared, index)
        return self._forward_outs[key]

    def _forward_out(self, prepared: PreparedExercise, index: int) -> np.ndarray | None:
        """The reference forward's out on a backward's case (to tell a wrong forward from a wrong backward).

        Asked only for failing cases, and kept: a class makes the same mistakes again and again."""
        key = (id(prepared), index)
        if key not in self._forward_outs:
            exercise = prepared.exercise
            try:
                out, _ = reference.compute(self.reference_package, _as_kind(exercise, "forward", exercise.forward),
                                           prepared.cases[index].inputs)
                self._forward_outs[key] = out[0]
            except Exception:  # noqa: BLE001 - no reference forward: no conclusion
                self._forward_outs[key] = None
        return self._forward_outs[key]

    # -- backward vs own forward -----------------------------------------------------------

    def _explain_backwards(self, prepared, results, failed_cases, sources) -> None:
        """For backwards that disagree with autograd: do they at least agree with the learner's forward?

        Checked on the first failing case (a bug that shows on an edge case only would pass
        the check on an ordinary one), unless that is a kink, where central differences mean
        nothing: then no conclusion is drawn.
        """
        tasks, targets = [], []
        for index, result in results.items():
            p = prepared[index]
            if (p.exercise.kind != "backward" or result.passed
                    or result.diagnosis not in ("mismatch", "factor", "sign", "nonfinite", "edge_cases")):
                continue
            case_index = next(iter(failed_cases.get(index, [])), None)
            if case_index is None or is_kink(p.cases[case_index].case) \
                    or not all(isinstance(p.cases[case_index].inputs.get(n), np.ndarray) for n in p.grad_args):
                continue
            if case_index is None or len(p.grad_args) != len(p.exercise.outputs):
                continue
            rng = np.random.default_rng(case_seed(p.exercise.id, "numerical", case_index))
            samples = []
            for name in p.grad_args:
                size = p.cases[case_index].inputs[name].size
                samples.append(sorted(int(i) for i in rng.choice(size, min(size, NUMERICAL_SAMPLES), replace=False)))
            tasks.append({"exercise": index, "mode": "numerical", "case": case_index, "samples": samples})
            targets.append(index)
        if not tasks:
            return
        with self._pool.worker() as worker:
            raw = self._run(worker, tasks, sources)
        for task_index, index in enumerate(targets):
            header, payload = raw.get(task_index, (None, b""))
            agreement = numerical_agreement(header, payload)
            result = results[index]
            forward = prepared[index].exercise.forward.rpartition(".")[2]
            if agreement is True:
                result.message += (f" Your backward matches your own {forward} numerically, so the bug is "
                                   f"in {forward}.")
            elif agreement is False:
                result.message += (f" Your backward also disagrees with your own {forward} "
                                   f"(a numerical check), so the bug is in the backward.")
                if result.diagnosis == "mismatch":
                    result.diagnosis = "forward_backward_disagree"


def numerical_agreement(header, payload) -> bool | None:
    """True/False when the learner's backward does/does not match central differences of their forward."""
    if not isinstance(header, dict) or not isinstance(header.get("check"), dict):
        return None
    check = header["check"]
    if check.get("status") != "ok" or not isinstance(check.get("pairs"), list):
        return None
    try:
        arrays = unpack_arrays(header, payload, allowed=("f8",))
        for analytic_index, numeric_index in check["pairs"]:
            analytic, numeric = arrays[analytic_index], arrays[numeric_index]
            if analytic.shape != numeric.shape or not np.isfinite(analytic).all() or not np.isfinite(numeric).all():
                return False
            if compare.relative_error(analytic, numeric) > NUMERICAL_RTOL:
                return False
    except Exception:  # noqa: BLE001 - malformed answer: no conclusion
        return None
    return True


def soft_timeout(timeout: float) -> float:
    """When the child interrupts the learner's code to say where it was: before the hard limit."""
    return max(timeout - max(0.3, 0.1 * timeout), 0.5 * timeout)


def seed_matters(prepared: PreparedExercise, index: int) -> bool:
    """Does the course's own solution give another result with another seed on this case?"""
    exercise = prepared.exercise
    if exercise.forward or not any(isinstance(v, RngSeed) for v in prepared.cases[index].inputs.values()):
        return False
    try:
        function = solution_function(exercise.module, exercise.id)
        results = []
        for offset in (0, judge.OTHER_SEED_OFFSET):
            inputs = {k: RngSeed(v.seed + offset) if isinstance(v, RngSeed) else v
                      for k, v in prepared.cases[index].inputs.items()}
            out = function(*solution_inputs(inputs).values())
            results.append(np.asarray(out[0] if prepared.style == "pair" else out, dtype=np.float64))
        return not judge.same_bits(*results)
    except Exception:  # noqa: BLE001 - no solution to ask: do not blame the learner
        return False


def internal_result(prepared: PreparedExercise) -> ExerciseResult:
    return make_result(prepared.exercise, "internal",
                       f"the grader could not prepare this exercise (a bug in tutor, not in your code): "
                       f"{prepared.problem}", 0, [], 0.0)


def _as_kind(exercise, kind, function):
    """A stand-in Exercise to ask the reference for another function (a random backward's forward)."""
    from dataclasses import replace

    name = qualified(exercise, function)
    return replace(exercise, id=name, kind=kind, forward=None, outputs=("out",))


def exercise_modules(exercises=()) -> frozenset[str]:
    """The only modules of a submission that travel to the worker: the exercises' own (a
    workspace's json.py or signal.py never does; see docs/SANDBOX.md)."""
    return frozenset(e.module for e in (*manifest.EXERCISES, *exercises))


def notebook_notes(header: dict) -> list[str]:
    """The cells of a notebook that failed or were not run (tutor.notebook.program), as text."""
    notes = header.get("notebook")
    return [text(note, 500) for note in notes[:20]] if isinstance(notes, list) else []


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


def check_workspace(workspace: Path, selector: str | None = None, timeout: float = 10.0) -> list[ExerciseResult]:
    """Grade WORKSPACE/*.py for the selected exercises (all, a module, or one).

    The Grader (and its worker) is kept for the next call with the same selection, so that
    an app or a notebook checking again and again pays for the reference and the worker once.
    """
    exercises = manifest.select(selector)
    key = (tuple(exercises), float(timeout))
    with _SHARED_LOCK:
        grader = _SHARED.get(key)
        if grader is None:
            if not _SHARED_POOL:
                _SHARED_POOL.append(WorkerPool(1))
            grader = _SHARED[key] = Grader(exercises, timeout=timeout, cache=True, pool=_SHARED_POOL[0])
    return grader.grade(read_sources(Path(workspace)))


@atexit.register
def _close_shared() -> None:
    with _SHARED_LOCK:
        _SHARED.clear()
        pools, _SHARED_POOL[:] = list(_SHARED_POOL), []
    for pool in pools:
        pool.close()
