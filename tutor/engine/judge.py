"""Judging, in the trusted parent: a child's report of one exercise becomes an ExerciseResult.

The child only says what the learner's functions returned, raised or printed; everything
here compares that with the reference and says in words what is wrong, for each case, and
then for the exercise:

* every distinct problem the cases show (each returned value's own), not only the first;
* a factor blamed on the batch only when it follows N from case to case;
* a backward that ran on the learner's own wrong forward is not judged (it says so);
* an exercise loses points only for its own function (a forward's warnings are not its);
* randomness must come from the rng passed in (same seed, same output; another seed, another);
* the mistakes a lesson predicts (tutor/mistakes.py) are named.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable

import numpy as np

from tutor import manifest, mistakes
from tutor.engine import calling, compare
from tutor.engine.compare import Verdict
from tutor.engine.results import ERROR, FAILED, NOT_IMPLEMENTED, PASSED, CaseResult, ExerciseResult
from tutor.engine.worker.protocol import RngSeed, unpack_arrays

ERROR_DIAGNOSES = {"exception", "timeout", "crash", "missing_function", "signature", "internal"}
OTHER_SEED_OFFSET = 7919      # as worker/child.py's: the "another seed" of the reproducibility check
SMALL_INPUT = 30              # inputs with at most this many numbers are shown with a failing case
FLOATING_POINT_WARNINGS = ("overflow encountered", "invalid value encountered", "divide by zero encountered")
# More specific first: which of one output's verdicts (over the cases) speaks for it.
PREFERRED = ("known_mistake", "transposed")


@dataclass
class Context:
    """What judging needs beyond the report: the time limit and two trusted look-ups."""
    timeout: float
    forward_out: Callable[[object, int], np.ndarray | None]   # (prepared, case index) -> reference out
    seed_matters: Callable[[object, int], bool]               # (prepared, case index) -> does rng matter


def judge_exercise(prepared, header: dict | None, payload: bytes, context: Context,
                   failed_cases: list[int] | None = None) -> ExerciseResult:
    """The result of one exercise from the child's answer; `failed_cases` collects failing case indices."""
    exercise = prepared.exercise
    if header is None:
        header = {"error": "crash", "message": "the worker gave no answer for this exercise"}
    seconds = finite_number(header.get("seconds"))
    error = header.get("error")
    if error is not None:
        diagnosis = {"missing": "missing_function", "timeout": "timeout"}.get(error, "crash")
        return make_result(exercise, diagnosis, text(header.get("message")) or "the worker failed", 0, [], seconds)
    try:
        arrays = unpack_arrays(header, payload, allowed=("f8",))
        cases = header.get("cases")
        if not isinstance(cases, list) or len(cases) != len(prepared.cases):
            raise ValueError("wrong number of cases")
        verdicts = [judge_case(prepared, index, report, arrays, context) for index, report in enumerate(cases)]
    except Exception as problem:  # noqa: BLE001 - whatever the child sent, never crash here
        return make_result(exercise, "crash", f"the worker sent a malformed result ({problem})", 0, [], seconds)
    if failed_cases is not None:
        failed_cases.extend(i for i, v in enumerate(verdicts) if v is not None)
    details = case_details(prepared, cases, verdicts)
    printed = text(header.get("stdout"))
    if printed:
        details.append("your code printed:\n" + printed)
    diagnosis, message = summarise(prepared, verdicts, context)
    passed = sum(v is None for v in verdicts)
    fraction = 0.0 if diagnosis == "timeout" else passed / max(len(verdicts), 1)
    result = make_result(exercise, diagnosis, message, fraction, details, seconds)
    result.cases = case_results(prepared, verdicts)
    return result


def case_details(prepared, cases, verdicts) -> list[str]:
    """One line per case, its own warnings, the inputs of a small failing case, then one traceback."""
    details = []
    for index, (case, report, verdict) in enumerate(zip(prepared.cases, cases, verdicts)):
        mark = "✓" if verdict is None else "✗"
        details.append(f"{mark} {case.case.name}" + ("" if verdict is None else f": {verdict.message}"))
        warnings = report.get("warnings") if isinstance(report, dict) else None
        for warning in warnings[:5] if isinstance(warnings, list) else []:
            details.append(f"    warning: {text(warning, 200)}")
        if verdict is not None and verdict.diagnosis not in ("not_implemented", "timeout"):
            details.append(reproduce_line(prepared, index))
    traceback_text = next((text(c.get("traceback")) for c in cases
                           if isinstance(c, dict) and c.get("traceback") and learner_frames(c.get("traceback"))), "")
    if traceback_text:
        details.append(traceback_text)
    return details


def reproduce_line(prepared, index: int) -> str:
    """Where to get a failing case's inputs: shown when small, else the command that prints them."""
    command = f"tutor check {prepared.exercise.id} --case {index + 1}"
    inputs = prepared.cases[index].inputs
    numbers = sum(count_numbers(v) for v in inputs.values())
    if numbers <= SMALL_INPUT:
        shown = ", ".join(f"{k}={small_repr(v)}" for k, v in inputs.items())
        return f"    inputs: {shown}  (as Python: `{command}`)"
    return f"    to try this case yourself: `{command}` prints its inputs as Python"


def count_numbers(value) -> int:
    if isinstance(value, (list, tuple)):
        return sum(count_numbers(v) for v in value)
    return int(np.size(value)) if isinstance(value, (np.ndarray, int, float)) else 0


def small_repr(value) -> str:
    if isinstance(value, (list, tuple)):
        inner = ", ".join(small_repr(v) for v in value)
        return f"[{inner}]" if isinstance(value, list) else f"({inner}{',' if len(value) == 1 else ''})"
    if isinstance(value, np.ndarray):
        return f"np.array({value.tolist()!r})"
    if isinstance(value, RngSeed):
        return f"np.random.default_rng({value.seed})"
    return repr(value)


def case_results(prepared, verdicts) -> list[CaseResult]:
    return [CaseResult(case.case.name, verdict is None, "ok" if verdict is None else verdict.diagnosis,
                       "" if verdict is None else verdict.message)
            for case, verdict in zip(prepared.cases, verdicts)]


# -- one case ----------------------------------------------------------------------------------

def judge_case(prepared, index: int, report, arrays, context: Context) -> Verdict | None:
    """None when the case passes, else what is wrong with it."""
    if not isinstance(report, dict):
        raise ValueError("a case report is not an object")
    problem = status_verdict(prepared, report, context)
    if problem is not None or report.get("status") != "ok":
        return problem
    exercise, case = prepared.exercise, prepared.cases[index]
    values = returned_values(exercise, report, arrays)
    if isinstance(values, Verdict):
        return values
    changed = report.get("modified")
    if isinstance(changed, list) and changed:
        names = ", ".join(text(n, 40) for n in changed[:5])
        return Verdict("modified_input", f"your code changed its input array{'s' if len(changed) > 1 else ''} "
                                         f"{names}: work on a copy (x = x.copy(), or out = ... instead of +=)")
    randomness = rng_verdict(prepared, index, report, arrays, values, context)
    if randomness is not None:
        return randomness
    if exercise.kind == "random":
        return judge_properties(exercise, case, values, report, arrays)
    problems = [p for p in (judge_output(prepared, case, position, got, report)
                            for position, got in enumerate(values)) if p is not None]
    if problems:
        blamed = forward_verdict(prepared, index, report, arrays, context)
        return blamed if blamed is not None else combine(problems)
    return floating_point_warning(report, case)


def status_verdict(prepared, report: dict, context: Context) -> Verdict | None:
    """The verdict of a case whose code did not return normally (None when it did)."""
    exercise = prepared.exercise
    status = report.get("status")
    message = text(report.get("message"))
    if status == "timeout":
        return Verdict("timeout", f"ran past the time limit of {context.timeout:g} s"
                                  + where_it_ran(text(report.get("traceback"))))
    if report.get("in_forward"):
        forward = exercise.forward.rpartition(".")[2]
        if status == "not_implemented":
            return Verdict("not_implemented", f"{exercise.function} needs your {forward}, which is not implemented yet")
        if status == "signature":
            return signature_verdict(exercise.forward, message)
        return Verdict("exception", f"your {forward} failed while checking {exercise.function}: {message}")
    if status == "not_implemented":
        return Verdict("not_implemented", "not started yet (still raises NotImplementedError)")
    if status == "exception":
        return Verdict("exception", f"raised {message}")
    if status == "signature":
        return signature_verdict(calling_name(exercise), message)
    if status == "exit":
        return Verdict("crash", message or "your code stopped the program")
    if status == "bad_return":
        return Verdict("not_array", message)
    if status != "ok":
        raise ValueError(f"unknown case status {status!r:.40}")
    return None


def calling_name(exercise) -> str:
    """The function the child called with the case's inputs (a backward is called with (dout, cache))."""
    return exercise.id


def signature_verdict(qualified_name: str, message: str) -> Verdict:
    contract = calling.signature_text(qualified_name if "." in qualified_name else qualified_name)
    return Verdict("signature", f"does not accept the contract's arguments: {message}. The contract is "
                                f"{contract}: the grader passes the arguments by position, in that order "
                                f"(any names will do, but not another number or order)")


def where_it_ran(traceback_text: str) -> str:
    """": your code was at line 7 of perceptron.py, in perceptron_train: `while errors:`" (learner frames only)."""
    frames = learner_frames(traceback_text)
    if not frames:
        return ""
    place, code = frames[-1]
    return f"; when the time ran out your code was at {place}" + (f": `{code}`" if code else "")


def learner_frames(traceback_text) -> list[tuple[str, str]]:
    """(place, code) of each frame of a learner traceback as the child formats it."""
    lines = traceback_text.splitlines() if isinstance(traceback_text, str) else []
    frames = []
    for number, line in enumerate(lines):
        stripped = line.strip()
        if stripped.startswith('File "') and ", line " in stripped:
            name, _, rest = stripped[6:].partition('", line ')
            line_number, _, function = rest.partition(", in ")
            code = lines[number + 1].strip() if number + 1 < len(lines) and lines[number + 1].startswith("    ") else ""
            frames.append((f"line {line_number} of {name}, in {function}", code[:120]))
    return frames


def returned_values(exercise, report, arrays) -> list[np.ndarray] | Verdict:
    outputs = report.get("outputs")
    if not isinstance(outputs, list) or len(outputs) != len(exercise.outputs):
        raise ValueError("wrong number of outputs")
    values = []
    for name, description in zip(exercise.outputs, outputs):
        value = output_array(description, arrays)
        if isinstance(value, Verdict):
            return Verdict(value.diagnosis, f"your {name} is {value.message}", name)
        values.append(value)
    return values


def judge_output(prepared, case, position: int, got: np.ndarray, report: dict) -> Verdict | None:
    """None when one returned value is right, else what is wrong with it (a known mistake first)."""
    exercise = prepared.exercise
    name = exercise.outputs[position]
    expected = case.expected[position]
    candidates = [expected] + [alt[position] for alt in case.alternatives]
    if compare.agrees_with_any(got, candidates, prepared.rtol, exercise.exact):
        return None
    if accepts_tie_routing(exercise, case, got):
        return None
    known = mistakes.match(exercise.id, judged_inputs(case), name, got, expected, prepared.rtol)
    if known is not None:
        return Verdict("known_mistake", known.message, name, rule=known.name)
    verdict = compare.diagnose(name, got, expected, prepared.rtol, batch_size(case.inputs), element_count(case.inputs))
    source = report["outputs"][position].get("dtype", "")
    if verdict.diagnosis == "mismatch" and source in ("float32", "float16"):
        return Verdict("dtype", f"your {name} is {source}: compute in float64 "
                                f"({source} is too coarse for the tolerance, relative {prepared.rtol:g})", name)
    if verdict.diagnosis == "nonfinite":
        return Verdict("nonfinite", f"{verdict.message} (for inputs as large as {largest_input(case.inputs):.3g})", name)
    return verdict


def judged_inputs(case) -> dict:
    """A case's inputs as the manifest's checks see them: no rng, the upstream gradient as "dout"."""
    inputs = {k: v for k, v in case.inputs.items() if not isinstance(v, RngSeed)}
    if case.dout is not None:
        inputs["dout"] = case.dout
    return inputs


def combine(problems: list[Verdict]) -> Verdict:
    """One verdict for a case with several wrong values: the first's diagnosis, every message."""
    if len(problems) == 1:
        return problems[0]
    first = problems[0]
    return Verdict(first.diagnosis, "; ".join(p.message for p in problems), first.output, first.factor, first.batch,
                   tuple(problems))


def forward_verdict(prepared, index: int, report, arrays, context: Context) -> Verdict | None:
    """A backward's wrong values when the learner's own forward already returned a wrong out."""
    exercise = prepared.exercise
    if exercise.kind != "backward" or "forward_out" not in report:
        return None
    got = output_array(report["forward_out"], arrays)
    expected = context.forward_out(prepared, index)
    if expected is None or (isinstance(got, np.ndarray) and compare.agrees(got, expected, manifest.OUTPUT_RTOL)):
        return None
    forward = exercise.forward.rpartition(".")[2]
    return Verdict("wrong_forward", f"your {exercise.function} ran on your own {forward}, whose out is wrong "
                                    f"on this case, so it cannot be judged until {forward} passes: fix "
                                    f"{forward} first")


def rng_verdict(prepared, index: int, report, arrays, values, context: Context) -> Verdict | None:
    """Same seed, same output; another seed (where it matters), another output."""
    if "again" not in report or not values:
        return None
    again = output_array(report["again"], arrays)
    if isinstance(again, np.ndarray) and not same_bits(values[0], again):
        return Verdict("rng", "the same rng seed gave another result on a second run: you drew from np.random "
                              "(the global generator), not from rng; draw every random number from the rng "
                              "you are given (rng.normal, rng.random, rng.permutation)", prepared.exercise.outputs[0])
    other = output_array(report["other_seed"], arrays) if "other_seed" in report else None
    if isinstance(other, np.ndarray) and same_bits(values[0], other) and context.seed_matters(prepared, index):
        return Verdict("rng", "another rng seed gave the very same result: your random numbers do not come from "
                              "the rng you are given (a generator of your own, np.random.seed, or a fixed "
                              "mask?); draw them from rng", prepared.exercise.outputs[0])
    return None


def same_bits(a: np.ndarray, b: np.ndarray) -> bool:
    return a.shape == b.shape and bool(np.array_equal(a, b, equal_nan=True))


def judge_properties(exercise, case, values, report, arrays) -> Verdict | None:
    outputs = dict(zip(exercise.outputs, values))
    if "forward_out" in report:
        forward_out = output_array(report["forward_out"], arrays)
        if isinstance(forward_out, np.ndarray):
            outputs.setdefault("out", forward_out)
    inputs = judged_inputs(case)
    for name, value in outputs.items():
        if not np.isfinite(value).all():
            return Verdict("nonfinite", f"your {name} has NaN or inf")
    try:
        problems = exercise.properties(inputs, outputs) if exercise.properties else []
    except Exception as error:  # noqa: BLE001 - a manifest bug, reported rather than raised
        return Verdict("internal", f"the grader's property check failed ({type(error).__name__}: {error})")
    if problems:
        return Verdict("property", "; ".join(str(p) for p in problems))
    return None


def floating_point_warning(report: dict, case) -> Verdict | None:
    """Right values reached through an inf or a NaN on the way still fail: the contract asks for
    functions that stay finite and warning-free (sigmoid and softmax at |x| = 1000). Only the
    function's own warnings count: a backward is not blamed for its forward's."""
    warnings = report.get("warnings")
    if not isinstance(warnings, list):
        return None
    for warning in warnings:
        if isinstance(warning, str) and warning.startswith("RuntimeWarning") \
                and any(w in warning for w in FLOATING_POINT_WARNINGS):
            return Verdict("nonfinite", f"the answer is right, but your code warned '{text(warning, 120)}' "
                                        f"for inputs as large as {largest_input(case.inputs):.3g}: something "
                                        f"overflowed to inf on the way; rewrite it so that it stays finite")
    return None


def accepts_tie_routing(exercise, case, got: np.ndarray) -> bool:
    """Max-pool ties: a gradient routing each window's upstream value to any one maximal element.

    Checked for non-overlapping windows (stride >= size), the case the contract's ties come from.
    """
    if not exercise.id.endswith("max_pool_backward") or case.dout is None:
        return False
    x = case.inputs.get("x")
    size, stride = case.inputs.get("size", 2), case.inputs.get("stride", 2)
    if not isinstance(x, np.ndarray) or x.ndim != 4 or got.shape != x.shape or stride < size:
        return False
    dout, scale = case.dout, float(np.max(np.abs(case.dout), initial=0.0)) or 1.0
    tolerance = manifest.GRADIENT_RTOL * scale
    covered = np.zeros(x.shape, dtype=bool)
    for i in range(dout.shape[2]):
        for j in range(dout.shape[3]):
            rows, cols = slice(i * stride, i * stride + size), slice(j * stride, j * stride + size)
            window, routed = x[:, :, rows, cols], got[:, :, rows, cols]
            covered[:, :, rows, cols] = True
            maximal = window == window.max(axis=(2, 3), keepdims=True)
            if np.abs(routed[~maximal]).max(initial=0.0) > tolerance:
                return False
            upstream = dout[:, :, i, j]
            hits = np.abs(routed - upstream[:, :, None, None]) <= tolerance
            zeros = np.abs(routed) <= tolerance
            one_hit = ((hits & maximal).sum(axis=(2, 3)) >= 1) & ((maximal & ~zeros).sum(axis=(2, 3)) <= 1)
            if not one_hit.all():
                return False
    return bool(np.abs(got[~covered]).max(initial=0.0) <= tolerance)


# -- the exercise ------------------------------------------------------------------------------

def summarise(prepared, verdicts: list[Verdict | None], context: Context | None = None) -> tuple[str, str]:
    """The exercise's diagnosis and message: every distinct problem the (ordinary) cases show."""
    cases = prepared.cases
    failures = [(c, v) for c, v in zip(cases, verdicts) if v is not None]
    if not failures:
        return "ok", f"correct on all {len(cases)} case{'s' if len(cases) != 1 else ''}"
    timeout = next((v for v in verdicts if v is not None and v.diagnosis == "timeout" and "your code was" in v.message),
                   next((v for v in verdicts if v is not None and v.diagnosis == "timeout"), None))
    if timeout is not None:
        return "timeout", timeout.message
    blamed = next(((c, v) for c, v in failures if v.diagnosis == "wrong_forward"), None)
    if blamed is not None:      # before the edge-case rule: on no case is the backward itself at fault
        return blamed[1].diagnosis, f"{blamed[1].message} (case '{blamed[0].case.name}')"
    ordinary = [(c, v) for c, v in failures if not c.case.edge]
    if not ordinary and any(not c.case.edge for c in cases):
        case, verdict = failures[0]
        return "edge_cases", (f"right on ordinary inputs, wrong on the edge case '{case.case.name}': "
                              f"{verdict.message}")
    pool = ordinary or failures
    case, verdict = pool[0]
    if verdict.diagnosis == "not_implemented":
        return verdict.diagnosis, verdict.message
    if verdict.output is None or verdict.diagnosis in ("wrong_forward", "rng"):
        return verdict.diagnosis, f"{verdict.message} (case '{case.case.name}')"
    parts = per_output(pool, failures)
    if len(parts) == 1:
        (part_case, part), = parts
        return part.diagnosis, f"{part.message} (case '{part_case.case.name}')"
    return parts[0][1].diagnosis, "; ".join(f"{p.message} (case '{c.case.name}')" for c, p in parts)


def per_output(pool, failures) -> list[tuple[object, Verdict]]:
    """For each wrong returned value, in the order returned: the case and verdict that say most."""
    by_output: dict[str, list[tuple[object, Verdict]]] = {}
    for case, verdict in pool:
        for part in verdict.parts or (verdict,):
            by_output.setdefault(part.output or "", []).append((case, part))
    everywhere = {}
    for case, verdict in failures:
        for part in verdict.parts or (verdict,):
            everywhere.setdefault(part.output or "", []).append((case, part))
    chosen = []
    for output, found in by_output.items():
        found = named_consistently(found, everywhere[output])
        rank = [next((i for i, d in enumerate(PREFERRED) if d == v.diagnosis), len(PREFERRED)) for _, v in found]
        case, verdict = found[rank.index(min(rank))]
        chosen.append((case, constant_or_batch(verdict, everywhere[output])))
    return chosen


def named_consistently(found: list, everywhere: list) -> list:
    """A known mistake speaks for an output only when it explains every case that output fails:
    on one case two mistakes can give the same number (N = 1 makes a sum and a mean over the
    batch agree), and then the other cases tell them apart."""
    rules = {v.rule for _, v in everywhere}
    if len(rules) == 1 and None not in rules:
        return found
    others = [(c, v) for c, v in found if v.diagnosis != "known_mistake"]
    return others or found


def constant_or_batch(verdict: Verdict, found: list[tuple[object, Verdict]]) -> Verdict:
    """A factor is the batch's only when it follows N: the same factor at two batch sizes is a constant."""
    if verdict.factor is None:
        return verdict
    same = sorted({v.batch or 1 for _, v in found
                   if v.factor is not None and math.isclose(v.factor, verdict.factor, rel_tol=compare.FACTOR_RTOL)})
    if len(same) < 2:
        return verdict
    named = compare.name_factor(verdict.output or "result", verdict.factor, None)
    sizes = ", ".join(str(n) for n in same)
    return Verdict(named.diagnosis, f"{named.message.rstrip('.')} — the same in every case, whatever the batch "
                                    f"size (N = {sizes}), so a constant in your formula, not the batch",
                   verdict.output, verdict.factor, verdict.batch)


def make_result(exercise, diagnosis: str, message: str, fraction: float, details, seconds) -> ExerciseResult:
    if diagnosis == "ok":
        status = PASSED
    elif diagnosis == "not_implemented":
        status = NOT_IMPLEMENTED
    elif diagnosis in ERROR_DIAGNOSES:
        status = ERROR
    else:
        status = FAILED
    return ExerciseResult(exercise=exercise.id, score=round(exercise.points * fraction, 2),
                          max_score=float(exercise.points), passed=diagnosis == "ok", message=message,
                          status=status, diagnosis=diagnosis, details=list(details), seconds=seconds)


def output_array(description, arrays) -> np.ndarray | Verdict:
    if not isinstance(description, dict):
        raise ValueError("bad output description")
    if "a" in description:
        index = description["a"]
        if type(index) is not int or not 0 <= index < len(arrays):
            raise ValueError("bad array index")
        return arrays[index]
    bad = description.get("bad")
    if bad == "too_big":
        shape = description.get("shape")
        shape = tuple(shape) if isinstance(shape, list) and all(type(n) is int for n in shape) else "?"
        return Verdict("shape", f"far too large: shape {shape}")
    what = text(description.get("what"), 200)
    if bad == "dtype":
        return Verdict("dtype", f"{what}; return real float64 numbers")
    return Verdict("not_array", f"{what}, not a NumPy array of numbers")


# -- small helpers -----------------------------------------------------------------------------

def batch_size(inputs: dict) -> int | None:
    for value in inputs.values():
        if isinstance(value, np.ndarray) and value.ndim >= 2:
            return int(value.shape[0])
    for value in inputs.values():
        if isinstance(value, np.ndarray) and value.ndim == 1:
            return int(value.shape[0])
    return None


def element_count(inputs: dict) -> int | None:
    """Elements of the first array argument: what a mean over "all elements" divides by."""
    return next((int(v.size) for v in inputs.values() if isinstance(v, np.ndarray)), None)


def largest_input(inputs: dict) -> float:
    sizes = [float(np.max(np.abs(v))) for v in inputs.values()
             if isinstance(v, np.ndarray) and v.dtype.kind == "f" and v.size]
    return max(sizes, default=0.0)


def text(value, limit: int = 4000) -> str:
    return value[:limit] if isinstance(value, str) else ""


def finite_number(value) -> float:
    if type(value) in (int, float) and math.isfinite(value) and value >= 0:
        return float(value)
    return 0.0
