"""Known mistakes: a wrong answer the course can name, with what to do instead.

A manifest entry lists the mistakes its exercise invites (`Exercise.mistakes`). When a
learner's value fails, the grader asks each mistake of that output whether it explains
the value, before the generic diagnoses (a factor, a transpose, a shape): "your loss is the
mean of d without max(0, ·)" helps more than "differs from the expected". Everything here
runs in the trusted parent, in NumPy, on the case's own inputs.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

# The manifest imports this module, and the engine imports the manifest: the engine's parts are
# imported where they are used, so that importing the manifest never starts the engine.


@dataclass(frozen=True)
class Mistake:
    output: str           # the returned value it shows in ("loss", "dx", ...)
    says: str             # what the learner did and what to do instead, after "your OUTPUT "
    matches: Callable[[dict, np.ndarray, np.ndarray, float], bool]   # (inputs, got, expected, rtol)


def gives(variant: Callable[..., object], position: int | None = None):
    """`matches` for a mistake written as the wrong code itself: variant(**inputs) -> the wrong value
    (or a tuple of them, of which `position` is this output's)."""
    def matches(inputs, got, expected, rtol):
        from tutor.engine import compare

        value = variant(**inputs)
        if position is not None:
            value = value[position]
        value = np.asarray(value, dtype=np.float64)
        return bool(value.shape == np.shape(got)) and compare.agrees(got, value, rtol) \
            and not compare.agrees(value, expected, rtol)
    return matches


def mistake(output: str, says: str, variant, position: int | None = None) -> Mistake:
    return Mistake(output, says, gives(variant, position))


def trusted_inputs(inputs: dict) -> dict:
    """Copies of a case's inputs (a seeded generator becomes a fresh Generator of that seed): the
    engine's own copying for trusted solutions, imported here only when a mistake is checked."""
    from tutor.engine.plan import solution_inputs

    return solution_inputs(inputs)


def recognise(exercise, name: str, got: np.ndarray, expected: np.ndarray, inputs: dict,
              rtol: float, dout: np.ndarray | None = None):
    """The first known mistake of `exercise` that explains this wrong `got`, as a Verdict (or None)."""
    from tutor.engine.compare import Verdict

    for known in getattr(exercise, "mistakes", ()):
        if known.output != name:
            continue
        try:
            given = trusted_inputs(inputs)
            if dout is not None:           # a backward's upstream gradient, as for properties
                given["dout"] = dout.copy()
            if known.matches(given, got, expected, rtol):
                return Verdict("known_mistake", f"your {name} {known.says}", name)
        except Exception:  # noqa: BLE001 - a variant that cannot run on these inputs explains nothing
            continue
    return None


# --- mini-batches, encoded as (batch number, index) rows (engine/worker/ragged.py) -----------------

def batch_sizes(encoded: np.ndarray) -> list[int]:
    if encoded.ndim != 2 or encoded.shape[1] != 2 or not len(encoded):
        return []
    return np.bincount(encoded[:, 0].astype(np.int64)).tolist()


def drops_last_batch(inputs, got, expected, rtol):
    n, size = inputs["n"], inputs["batch_size"]
    kept = (n // size) * size
    return n % size != 0 and got.shape == (kept, 2) and np.array_equal(got, expected[:kept])


def unshuffled(inputs, got, expected, rtol):
    return got.shape == expected.shape and np.array_equal(got[:, 1], np.arange(len(got))) \
        and np.array_equal(got[:, 0], expected[:, 0])


def other_order(inputs, got, expected, rtol):
    """Every index once, batches of the right sizes, but not rng.permutation(n)'s order."""
    return got.shape == expected.shape and np.array_equal(got[:, 0], expected[:, 0]) \
        and np.array_equal(np.sort(got[:, 1]), np.arange(len(got))) and not np.array_equal(got, expected)


def wrong_sizes(inputs, got, expected, rtol):
    return got.ndim == 2 and got.shape[1:] == (2,) and batch_sizes(got) != batch_sizes(expected) \
        and np.array_equal(np.sort(got[:, 1]), np.arange(inputs["n"]))


def describe_sizes(inputs) -> str:
    n, size = inputs["n"], inputs["batch_size"]
    sizes = [size] * (n // size) + ([n % size] if n % size else [])
    return ", ".join(map(str, sizes))
