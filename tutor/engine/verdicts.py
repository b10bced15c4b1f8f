"""One case of an exercise, judged: the child's report of it against the reference.

None when the case passes, else a Verdict saying what is wrong: how the code failed to
return (an exception, a timeout and where it ran, a signature the contract's arguments do
not fit), then what it returned: changed inputs, randomness not from rng, a randomised
function's properties, each returned value on its own (a known mistake first, then the
patterns of compare.py), a backward's forward that was already wrong, its own warnings.
judge.py turns a whole exercise's verdicts into its result.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from tutor import manifest, mistake_variants, mistakes
from tutor.engine import calling, compare, properties
from tutor.engine.compare import Verdict
from tutor.engine.worker.protocol import RngSeed

FLOATING_POINT_WARNINGS = ("overflow encountered", "invalid value encountered", "divide by zero encountered")


@dataclass
class Context:
    """What judging needs beyond the report and the prepared case (plan.py): the time limit."""
    timeout: float


def judge_case(prepared, index: int, report, arrays, context: Context) -> Verdict | None:
    """None when the case passes, else what is wrong with it."""
    if not isinstance(report, dict):
        raise ValueError("a case report is not an object")
    problem = status_verdict(prepared, report, context)
    if problem is not None or report.get("status") != "ok":
        return problem
    values = returned_values(prepared.exercise, report, arrays)
    if isinstance(values, Verdict):
        return values
    return modified_verdict(report) or judge_values(prepared, index, report, arrays, values, context)


def modified_verdict(report: dict) -> Verdict | None:
    changed = report.get("modified")
    if not (isinstance(changed, list) and changed):
        return None
    names = ", ".join(text(n, 40) for n in changed[:5])
    return Verdict("modified_input", f"your code changed its input array{'s' if len(changed) > 1 else ''} "
                                     f"{names}: work on a copy (x = x.copy(), or out = ... instead of +=)")


def judge_values(prepared, index: int, report: dict, arrays, values, context: Context) -> Verdict | None:
    """The returned values against the reference (or a random function's properties)."""
    exercise, case = prepared.exercise, prepared.cases[index]
    randomness = rng_verdict(prepared, index, report, arrays, values, context)
    if exercise.kind == "random":
        return randomness or judge_properties(exercise, case, values, report, arrays)
    problems = [p for p in (judge_output(prepared, case, position, got, report)
                            for position, got in enumerate(values)) if p is not None]
    if randomness is not None:   # a mistake the course names (a batch never shuffled) says more
        return next((p for p in problems if p.diagnosis == "known_mistake"), randomness)
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
        return Verdict("wrong_forward", f"your {forward} failed while checking {exercise.function} ({message}), "
                                        f"so {exercise.function} cannot be judged until {forward} passes")
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
    variant = mistake_variants.recognise(exercise, name, got, expected, case.inputs, prepared.rtol, case.dout)
    if variant is not None:   # the newer exercises' mistakes, declared on their manifest entries
        return variant
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
    messages = list(dict.fromkeys(p.message for p in problems))     # a mistake behind several values: once
    return Verdict(first.diagnosis, "; ".join(messages), first.output, first.factor, first.batch, tuple(problems))


def forward_verdict(prepared, index: int, report, arrays, context: Context) -> Verdict | None:
    """A backward's wrong values when the learner's own forward already returned a wrong out."""
    exercise = prepared.exercise
    if exercise.kind != "backward" or "forward_out" not in report:
        return None
    got = output_array(report["forward_out"], arrays)
    expected = prepared.cases[index].forward_out    # the reference forward's out (plan.py)
    if expected is None or (isinstance(got, np.ndarray) and compare.agrees(got, expected, manifest.OUTPUT_RTOL)):
        return None
    forward = exercise.forward.rpartition(".")[2]
    return Verdict("wrong_forward", f"your {exercise.function} ran on your own {forward}, whose out is wrong "
                                    f"on this case, so it cannot be judged until {forward} passes: fix "
                                    f"{forward} first")


def rng_verdict(prepared, index: int, report, arrays, values, context: Context) -> Verdict | None:
    """Same seed, same output; another seed (where it matters), another output.

    The child runs a function given an rng twice more and says whether each repeat's first
    output is the first run's, bit for bit (worker/child.py: same_again, same_other_seed)."""
    again, other = report.get("same_again"), report.get("same_other_seed")
    if not values or type(again) is not bool:
        return None
    if not again:
        return Verdict("rng", "the same rng seed gave another result on a second run: you drew from np.random "
                              "(the global generator), not from rng; draw every random number from the rng "
                              "you are given (rng.normal, rng.random, rng.permutation)", prepared.exercise.outputs[0])
    if other is True and prepared.cases[index].seed_matters:
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
        problems = properties.judge(exercise.properties, inputs, outputs) if exercise.properties else []
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
    if exercise.ties != manifest.TIES_ANY_MAXIMAL or case.dout is None:
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


