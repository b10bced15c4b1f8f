"""The calling convention: every argument by position, in the contract's order.

shared/EXERCISES.md fixes each function's parameters and their order, not the names a
learner gives them (`affine_forward(X, W, bias)` is as right as `affine_forward(x, w, b)`).
The contract's signature is read from the course's own NumPy solutions (no torch needed);
a case's inputs are put in that order here, in the trusted parent, and the child calls the
learner's function with the values alone.
"""
from __future__ import annotations

import inspect
from functools import lru_cache


@lru_cache(maxsize=None)
def contract_signature(qualified_name: str) -> inspect.Signature:
    """The signature of `MODULE.FUNCTION` as the contract gives it."""
    from tutor.engine.plan import solution_function

    module, _, _ = qualified_name.rpartition(".")
    return inspect.signature(solution_function(module, qualified_name))


def signature_text(qualified_name: str) -> str:
    """`affine_forward(x, w, b)`: what a learner should see when their parameters do not fit."""
    try:
        return f"{qualified_name.rpartition('.')[2]}{contract_signature(qualified_name)}"
    except Exception:  # noqa: BLE001 - a function the solutions lack: name only
        return qualified_name.rpartition(".")[2]


def in_contract_order(qualified_name: str, inputs: dict) -> dict:
    """The inputs in the contract's parameter order; a default the case leaves out before a
    parameter it gives is filled in (positions cannot skip one). Unknown names stay last."""
    try:
        parameters = list(contract_signature(qualified_name).parameters.values())
    except Exception:  # noqa: BLE001 - no solution to read the order from: keep the case's own
        return dict(inputs)
    given = [p.name for p in parameters if p.name in inputs]
    last = max((i for i, p in enumerate(parameters) if p.name in inputs), default=-1)
    ordered = {}
    for parameter in parameters[:last + 1]:
        if parameter.name in inputs:
            ordered[parameter.name] = inputs[parameter.name]
        elif parameter.default is not inspect.Parameter.empty:
            ordered[parameter.name] = parameter.default
    ordered.update((k, v) for k, v in inputs.items() if k not in given)
    return ordered

