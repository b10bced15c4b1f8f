"""For backwards that disagree with autograd: do they at least agree with the learner's own forward?

A second, small run (central differences of the learner's forward, in the sandbox) tells a
bug in the backward from a bug in the forward. Checked on the first failing case (a bug that
shows on an edge case only would pass the check on an ordinary one), unless that is a kink,
where central differences mean nothing: then no conclusion is drawn.

    numerical_tasks(prepared, results, failed_cases) -> (tasks, targets)   what to run
    apply(prepared, results, targets, raw)    each target's message says what the run showed
"""
from __future__ import annotations

import numpy as np

from tutor.engine import compare
from tutor.engine.plan import case_seed, is_kink
from tutor.engine.worker.protocol import unpack_arrays

NUMERICAL_RTOL = 1e-5         # how closely a backward must match the learner's own forward
NUMERICAL_SAMPLES = 24        # entries per gradient checked by central differences
EXPLAINED = ("mismatch", "factor", "sign", "nonfinite", "edge_cases")


def numerical_tasks(prepared, results: dict, failed_cases: dict) -> tuple[list[dict], list[int]]:
    tasks, targets = [], []
    for index, result in results.items():
        p = prepared[index]
        if p.exercise.kind != "backward" or result.passed or result.diagnosis not in EXPLAINED:
            continue
        case_index = next(iter(failed_cases.get(index, [])), None)
        if case_index is None or is_kink(p.cases[case_index].case) or len(p.grad_args) != len(p.exercise.outputs) \
                or not all(isinstance(p.cases[case_index].inputs.get(n), np.ndarray) for n in p.grad_args):
            continue
        rng = np.random.default_rng(case_seed(p.exercise.id, "numerical", case_index))
        samples = []
        for name in p.grad_args:
            size = p.cases[case_index].inputs[name].size
            samples.append(sorted(int(i) for i in rng.choice(size, min(size, NUMERICAL_SAMPLES), replace=False)))
        tasks.append({"exercise": index, "mode": "numerical", "case": case_index, "samples": samples})
        targets.append(index)
    return tasks, targets


def apply(prepared, results: dict, targets: list[int], raw: dict) -> None:
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
