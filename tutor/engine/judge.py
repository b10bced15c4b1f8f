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

import numpy as np

from tutor.engine import compare
from tutor.engine.compare import Verdict
from tutor.engine.results import ERROR, FAILED, NOT_IMPLEMENTED, PASSED, CaseResult, ExerciseResult
from tutor.engine.verdicts import (  # noqa: F401 - one case's verdict; these names stay importable here
    Context, accepts_tie_routing, batch_size, element_count, floating_point_warning, judge_case, largest_input,
    learner_frames, output_array, same_bits, text, where_it_ran)
from tutor.engine.worker.protocol import RngSeed, unpack_arrays

ERROR_DIAGNOSES = {"exception", "timeout", "crash", "missing_function", "signature", "internal"}
SMALL_INPUT = 30              # inputs with at most this many numbers are shown with a failing case
# More specific first: which of one output's verdicts (over the cases) speaks for it.
PREFERRED = ("known_mistake", "transposed")


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
    judged = case_results(prepared, verdicts)
    details = case_details(prepared, cases, verdicts, judged)
    printed = text(header.get("stdout"))
    if printed:
        details.append("your code printed:\n" + printed)
    diagnosis, message = summarise(prepared, verdicts, context)
    passed = sum(v is None for v in verdicts)
    fraction = 0.0 if diagnosis == "timeout" else passed / max(len(verdicts), 1)
    result = make_result(exercise, diagnosis, message, fraction, details, seconds)
    result.cases = judged
    return result


def case_details(prepared, cases, verdicts, judged: list[CaseResult]) -> list[str]:
    """One line per case (CaseResult.line), its own warnings, the inputs of a small failing case,
    then one traceback."""
    details = []
    for index, (report, verdict, case_result) in enumerate(zip(cases, verdicts, judged)):
        details.append(case_result.line())
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
        return f"    inputs (rounded): {shown}  (exactly, as Python: `{command}`)"
    return f"    to try this case yourself: `{command}` prints its inputs as Python"


def count_numbers(value) -> int:
    if isinstance(value, (list, tuple)):
        return sum(count_numbers(v) for v in value)
    return int(np.size(value)) if isinstance(value, (np.ndarray, int, float)) else 0


def small_repr(value) -> str:
    if isinstance(value, (list, tuple)):
        inner = ", ".join(small_repr(v) for v in value)
        return f"[{inner}]" if isinstance(value, list) else f"({inner}{',' if len(value) == 1 else ''})"
    if isinstance(value, np.ndarray):     # 4 decimals here; `--case N` gives every digit
        return f"np.array({np.round(value, 4).tolist()!r})" if value.dtype.kind == "f" else f"np.array({value.tolist()!r})"
    if isinstance(value, RngSeed):
        return f"np.random.default_rng({value.seed})"
    return repr(value)


def case_results(prepared, verdicts) -> list[CaseResult]:
    return [case_result(case.case.name, verdict) for case, verdict in zip(prepared.cases, verdicts)]


def case_result(name: str, verdict: Verdict | None) -> CaseResult:
    if verdict is None:
        return CaseResult(name, True)
    first = next((p.first for p in verdict.parts or (verdict,) if p.first is not None), None)
    if first is None:
        return CaseResult(name, False, verdict.diagnosis, verdict.message)
    index, got, expected = first
    return CaseResult(name, False, verdict.diagnosis, verdict.message, list(index), got, expected)


# -- the exercise ------------------------------------------------------------------------------

def summarise(prepared, verdicts: list[Verdict | None], context: Context | None = None) -> tuple[str, str]:
    """The exercise's diagnosis and message: every distinct problem the (ordinary) cases show.

    In order of precedence: no failure; a timeout; a backward run on a wrong forward; failures
    on the edge cases only; else the failing values, each said once (summarise_values)."""
    cases = prepared.cases
    failures = [(c, v) for c, v in zip(cases, verdicts) if v is not None]
    if not failures:
        return "ok", f"correct on all {len(cases)} case{'s' if len(cases) != 1 else ''}"
    return (timed_out(verdicts) or blamed_on_the_forward(failures) or only_edge_cases(cases, failures)
            or summarise_values(failures))


def timed_out(verdicts) -> tuple[str, str] | None:
    """A timeout speaks for the exercise; the one that says where the code was, first."""
    timeouts = [v for v in verdicts if v is not None and v.diagnosis == "timeout"]
    if not timeouts:
        return None
    where = next((v for v in timeouts if "your code was" in v.message), timeouts[0])
    return "timeout", where.message


def blamed_on_the_forward(failures) -> tuple[str, str] | None:
    """Before the edge-case rule: on no case is the backward itself at fault."""
    blamed = next(((c, v) for c, v in failures if v.diagnosis == "wrong_forward"), None)
    if blamed is None:
        return None
    return blamed[1].diagnosis, f"{blamed[1].message} (case '{blamed[0].case.name}')"


def only_edge_cases(cases, failures) -> tuple[str, str] | None:
    if any(not c.case.edge for c, _ in failures) or all(c.case.edge for c in cases):
        return None
    case, verdict = failures[0]
    return "edge_cases", f"right on ordinary inputs, wrong on the edge case '{case.case.name}': {verdict.message}"


def summarise_values(failures) -> tuple[str, str]:
    """What is wrong with each returned value, on the ordinary cases first, and other problems after."""
    pool = [(c, v) for c, v in failures if not c.case.edge] or failures
    case, verdict = pool[0]
    if verdict.diagnosis == "not_implemented":
        return verdict.diagnosis, verdict.message
    if verdict.output is None or verdict.diagnosis == "rng":
        parts = [(case, verdict)]
    else:
        parts = per_output(pool, failures)
    parts = once_per_mistake(parts)
    message = "; ".join(f"{p.message} (case '{c.case.name}')" for c, p in parts)
    others = other_problems(failures, parts)
    if others:
        message += "; also " + "; also ".join(others)
    return parts[0][1].diagnosis, message


MAX_OTHER_PROBLEMS = 2


def once_per_mistake(parts: list) -> list:
    """One known mistake that makes several values wrong is said once."""
    kept, rules = [], set()
    for case, verdict in parts:
        if verdict.rule is not None and verdict.rule in rules:
            continue
        rules.add(verdict.rule)
        kept.append((case, verdict))
    return kept


def other_problems(failures, reported) -> list[str]:
    """Problems of another kind than those reported, on other cases (an edge case that overflows
    besides a factor on the ordinary ones, an exception on one case besides wrong values)."""
    outputs = {v.output for _, v in reported}
    seen = {v.diagnosis for _, v in reported}
    found = []
    for case, verdict in failures:
        for part in verdict.parts or (verdict,):
            # Another look at a value already explained adds nothing, unless it overflows.
            if part.diagnosis in seen or part.diagnosis == "not_implemented" \
                    or (part.output in outputs and part.diagnosis != "nonfinite"):
                continue
            seen.add(part.diagnosis)
            found.append(f"{part.message} (case '{case.case.name}')")
    return found[:MAX_OTHER_PROBLEMS]


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
    return ExerciseResult(exercise=exercise.id, score=exercise.points * fraction,   # unrounded: rounded once, when shown
                          max_score=float(exercise.points), passed=diagnosis == "ok", message=message,
                          status=status, diagnosis=diagnosis, details=list(details), seconds=seconds)


def finite_number(value) -> float:
    if type(value) in (int, float) and math.isfinite(value) and value >= 0:
        return float(value)
    return 0.0
