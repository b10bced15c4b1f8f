"""A case of an exercise as Python a learner can paste: `tutor check EXERCISE --case N`.

The inputs are made exactly as the grader makes them (the same seed, the same order, the
same upstream gradient for a backward), then written out with every float in full
(Python's repr of a float64 reads back bit for bit), followed by the call the grader makes.
NumPy only: no reference, no torch.
"""
from __future__ import annotations

import numpy as np

from tutor import manifest
from tutor.engine import plan
from tutor.engine.plan import case_seed, qualified, solution_function, solution_inputs
from tutor.engine.worker.protocol import RngSeed


def case_inputs(exercise: manifest.Exercise, index: int) -> tuple[dict, np.ndarray | None]:
    """(the case's inputs in the contract's order, the upstream gradient or None); index from 0."""
    case = exercise.cases[index]
    seed = case_seed(exercise.id, case.name, index)
    inputs = plan.case_inputs(exercise, case, seed)
    dout = None
    if exercise.forward:
        forward = solution_function(exercise.module, qualified(exercise, exercise.forward))
        out = forward(*solution_inputs(inputs).values())
        out = out[0] if isinstance(out, tuple) else out
        dout = np.random.default_rng(seed + 2).standard_normal(np.shape(out))
    return inputs, dout


def as_python(value) -> str:
    if isinstance(value, RngSeed):
        return f"np.random.default_rng({value.seed})"
    if isinstance(value, np.ndarray):
        dtype = "" if value.dtype.kind in "fb" else f", dtype=np.{value.dtype.name}"
        if value.size == 0:
            return f"np.zeros({value.shape!r}{dtype or ''})"
        return f"np.array({value.tolist()!r}{dtype})"
    if isinstance(value, list):
        return "[" + ", ".join(as_python(v) for v in value) + "]"
    if isinstance(value, tuple):
        return "(" + ", ".join(as_python(v) for v in value) + ("," if len(value) == 1 else "") + ")"
    if isinstance(value, np.generic):
        return repr(value.item())
    return repr(value)


def case_script(exercise: manifest.Exercise, index: int) -> str:
    """The Python text of case `index` (from 0): imports, inputs, the call the grader makes."""
    inputs, dout = case_inputs(exercise, index)
    case = exercise.cases[index]
    lines = [f"# {exercise.id}, case {index + 1} of {len(exercise.cases)}: {case.name}",
             "import numpy as np"]
    function = exercise.function
    if exercise.forward:
        forward = qualified(exercise, exercise.forward)
        module, _, forward_name = forward.rpartition(".")
        if module == exercise.module:
            lines.append(f"from {module} import {forward_name}, {function}")
        else:
            lines += [f"from {module} import {forward_name}", f"from {exercise.module} import {function}"]
    else:
        lines.append(f"from {exercise.module} import {function}")
    lines.append("")
    lines += [f"{name} = {as_python(value)}" for name, value in inputs.items()]
    arguments = ", ".join(inputs)
    results = ", ".join(exercise.outputs)
    if exercise.forward:
        lines += [f"out, cache = {forward_name}({arguments})", f"dout = {as_python(dout)}",
                  f"{results} = {function}(dout, cache)"]
    elif exercise.style == "pair":
        lines.append(f"{results}, cache = {function}({arguments})")
    else:
        lines.append(f"{results} = {function}({arguments})")
    return "\n".join(lines) + "\n"
