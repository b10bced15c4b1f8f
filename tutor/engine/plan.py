"""The plan: every case of every exercise, prepared once, before any submission runs.

Preparing an exercise is a pure function of the manifest, the course's reference and the
library versions (so it is cached: cache.py): each case's inputs from its seeded
`make(rng)`; the reference's expected values (and, for a backward, the random upstream
gradient, shaped like the reference forward's out); what judging will ask about the case
later (the reference forward's out on a backward's case, and whether the course's own
solution depends on the seed), so that judging never computes anything (judge.py).

    prepare_exercise(exercise, package) -> PreparedExercise      the reference (imports torch)
    prepare_inputs(exercise) -> PreparedExercise                 inputs and upstream gradients
        only, from the course's NumPy solutions: what the workers need before the reference
    prepared_once(exercise, package, folder) -> PreparedExercise  the above, shared by every
        Grader of this process and read from / written to a cache folder when given one
        (manifest entries, and in a class grader's folder their registered variants: variants.py)
    encode_plan(prepared, timeout) -> bytes                      the "plan" frame for the workers
"""
from __future__ import annotations

import inspect
import threading
import zlib
from dataclasses import dataclass, field, replace

import numpy as np

from tutor import manifest
from tutor.engine import cache, calling, reference, variants
from tutor.engine.worker.constants import OTHER_SEED_OFFSET
from tutor.engine.worker.protocol import RngSeed, encode_value, pack

KINK_NUDGE = 1e-30            # zeros moved this far either side to get both one-sided derivatives


@dataclass
class PreparedCase:
    case: manifest.Case
    inputs: dict                  # NumPy values; a Generator replaced by RngSeed
    dout: np.ndarray | None = None
    expected: list[np.ndarray] | None = None
    alternatives: list[list[np.ndarray]] = field(default_factory=list)   # nudged references at kinks
    forward_out: np.ndarray | None = None   # a backward's case: the reference forward's out
    seed_matters: bool = False    # a random case: the course's solution gives another answer with another seed


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


def qualified(exercise: manifest.Exercise, name: str | None) -> str | None:
    if not name:
        return None
    return name if "." in name else f"{exercise.module}.{name}"


def is_kink(case: manifest.Case) -> bool:
    """An edge case at a kink, where either one-sided derivative is right (the manifest marks them).

    Only these get the nudged references: elsewhere an exact 0 is meant strictly (step(0) = 0).
    """
    return case.kink


def is_manifest_entry(exercise: manifest.Exercise) -> bool:
    """Only the manifest's own entries may be cached: the fingerprint covers manifest.py, not ad-hoc ones."""
    try:
        return manifest.by_id(exercise.id) is exercise
    except KeyError:
        return False


def cache_name(exercise: manifest.Exercise, keep_variants: bool = False) -> str | None:
    """The name its prepared form is kept under in a cache folder: a manifest entry's id; with
    keep_variants (a class grader's own folder), a registered variant's (variants.py); None: not kept."""
    if is_manifest_entry(exercise):
        return exercise.id
    made = variants.recipe(exercise) if keep_variants else None
    return made.name if made is not None else None


def from_cache(exercise, cases: list[dict], style: str, grad_args: list[str]) -> PreparedExercise:
    return PreparedExercise(exercise, [PreparedCase(**c) for c in cases], style, grad_args)


def replace_generators(value, seed: int):
    if isinstance(value, np.random.Generator):
        return RngSeed(seed)
    if isinstance(value, list):
        return [replace_generators(v, seed + i + 1) for i, v in enumerate(value)]
    return value


def has_zero(inputs: dict) -> bool:
    return any(isinstance(v, np.ndarray) and v.dtype.kind == "f" and (v == 0).any() for v in inputs.values())


def nudged(inputs: dict, shift: float) -> dict:
    return {k: np.where(v == 0, shift, v) if isinstance(v, np.ndarray) and v.dtype.kind == "f" else v
            for k, v in inputs.items()}


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


def case_inputs(exercise, case, seed) -> dict:
    """A case's inputs from its seeded make(rng), a Generator replaced by an RngSeed, in the contract's order."""
    made = case.make(np.random.default_rng(seed))
    inputs = {k: replace_generators(v, seed + 1 + i) for i, (k, v) in enumerate(made.items())}
    if exercise.kind == "random" and "rng" not in inputs:
        inputs["rng"] = RngSeed(seed + 101)
    # The child passes them by position: in the contract's order (of the forward, for a backward).
    return calling.in_contract_order(qualified(exercise, exercise.forward or exercise.id), inputs)


def as_kind(exercise, kind, function):
    """A stand-in Exercise to ask the reference for another function (a backward's forward)."""
    name = qualified(exercise, function)
    return replace(exercise, id=name, kind=kind, forward=None, outputs=("out",), properties=None, ties=None,
                   pair=False)


# -- with the reference ------------------------------------------------------------------

def prepare_exercise(exercise: manifest.Exercise, package: str) -> PreparedExercise:
    prepared = PreparedExercise(exercise, [], exercise.style, [])
    try:
        for index, case in enumerate(exercise.cases):
            prepared.cases.append(prepare_case(exercise, case, index, package))
        if exercise.kind == "backward":
            forward = reference.reference_function(package, qualified(exercise, exercise.forward))
            prepared.grad_args = grad_args_of(forward, exercise, prepared.cases)
    except Exception as error:  # noqa: BLE001 - a manifest or reference bug must not stop grading
        prepared.problem = f"{type(error).__name__}: {error}"
    return prepared


def prepare_case(exercise, case, index, package: str) -> PreparedCase:
    seed = case_seed(exercise.id, case.name, index)
    inputs = case_inputs(exercise, case, seed)
    prepared = PreparedCase(case, inputs)
    if exercise.forward:
        # Kept for judging: a wrong forward is told apart from a wrong backward (verdicts.py).
        out, _ = reference.compute(package, as_kind(exercise, "forward", exercise.forward), inputs)
        prepared.forward_out = out[0]
    if exercise.kind == "random":
        if exercise.forward:
            prepared.dout = np.random.default_rng(seed + 2).standard_normal(prepared.forward_out.shape)
        prepared.seed_matters = solution_depends_on_seed(exercise, inputs)
        return prepared

    def make_dout(shape):
        return np.random.default_rng(seed + 2).standard_normal(shape)

    prepared.expected, prepared.dout = reference.compute(package, exercise, inputs, make_dout=make_dout)
    if is_kink(case) and exercise.kind in ("backward", "function") and has_zero(inputs):
        for shift in (KINK_NUDGE, -KINK_NUDGE):
            alternative, _ = reference.compute(package, exercise, nudged(inputs, shift), dout=prepared.dout)
            prepared.alternatives.append(alternative)
    return prepared


def solution_depends_on_seed(exercise, inputs: dict) -> bool:
    """Does the course's own solution give another result with another seed on these inputs?"""
    if exercise.forward or not any(isinstance(v, RngSeed) for v in inputs.values()):
        return False
    try:
        function = solution_function(exercise.module, exercise.id)
        results = []
        for offset in (0, OTHER_SEED_OFFSET):
            shifted = {k: RngSeed(v.seed + offset) if isinstance(v, RngSeed) else v for k, v in inputs.items()}
            out = function(*solution_inputs(shifted).values())
            results.append(np.asarray(out[0] if exercise.style == "pair" else out, dtype=np.float64))
        return not (results[0].shape == results[1].shape and results[0].tobytes() == results[1].tobytes())
    except Exception:  # noqa: BLE001 - no solution to ask: do not blame the learner
        return False


# -- without the reference -----------------------------------------------------------------

def prepare_inputs(exercise: manifest.Exercise) -> PreparedExercise:
    """Inputs and upstream gradients only (NumPy, no torch): a backward's upstream gradient is
    drawn like the reference's (same seed) in the shape of the course's NumPy solution's out."""
    prepared = PreparedExercise(exercise, [], exercise.style, [])
    for index, case in enumerate(exercise.cases):
        seed = case_seed(exercise.id, case.name, index)
        inputs = case_inputs(exercise, case, seed)
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


# -- once per process ------------------------------------------------------------------------

_PREPARED: dict[tuple, PreparedExercise] = {}
_PREPARED_LOCK = threading.Lock()


def forget() -> None:
    """Drop every exercise this process prepared (the next Grader prepares them again)."""
    with _PREPARED_LOCK:
        _PREPARED.clear()


def hashable(exercise) -> bool:
    try:
        hash(exercise)
    except TypeError:
        return False
    return True


def already_prepared(exercise, package: str) -> PreparedExercise | None:
    """What this process has prepared for the exercise, with the reference; None if nothing yet."""
    if not hashable(exercise):
        return None
    with _PREPARED_LOCK:
        return _PREPARED.get((exercise, package))


def prepared_once(exercise: manifest.Exercise, package: str, folder=None,
                  keep_variants: bool = False) -> PreparedExercise:
    """Cases and reference are pure functions of the manifest entry: shared by every Grader of
    the process, and read from (or written to) `folder` (cache.py) when one is given (with
    keep_variants, a class grader's own folder: registered variants too, cache_name)."""
    if not hashable(exercise):   # an ad-hoc Exercise holding a list: prepared, just not shared
        return prepare_exercise(exercise, package)
    known = already_prepared(exercise, package)
    if known is not None:
        return known
    name = cache_name(exercise, keep_variants) if folder is not None else None
    prepared = cache.load(package, exercise, from_cache, folder, name) if name else None
    if prepared is None:
        prepared = prepare_exercise(exercise, package)
        if name and prepared.problem is None:
            cache.store(package, prepared, folder, name)
    with _PREPARED_LOCK:
        return _PREPARED.setdefault((exercise, package), prepared)


def early_inputs(exercise: manifest.Exercise, package: str) -> PreparedExercise:
    """The exercise with the reference when this process has it already, else its inputs only."""
    return already_prepared(exercise, package) or prepare_inputs(exercise)


def soft_timeout(timeout: float) -> float:
    """When the child interrupts the learner's code to say where it was: before the hard limit."""
    return max(timeout - max(0.3, 0.1 * timeout), 0.5 * timeout)


def encode_plan(prepared: list[PreparedExercise], timeout: float) -> bytes:
    """The plan frame: what the child needs of every exercise (never an expected value)."""
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
                      "grad_args": p.grad_args, "cases": cases, "soft_timeout": soft_timeout(timeout),
                      "encode": e.encode})
    return pack({"type": "plan", "exercises": specs}, arrays)
