"""The exercise manifest: one ordered list, one entry per graded function.

Everything else is derived from this file: the grader's checks, `tutor check`
and `tutor hint`, the class gradebook, the nbgrader notebooks and the terminal
app's exercise panel. Order matters: it is the order a learner meets them in.

An entry says *what* to grade; the engine (tutor/engine/) says *how*:

kind
    "forward"   the function returns (out, cache); `out` is compared with the reference.
    "function"  every returned value is compared with the reference (names in `outputs`).
    "backward"  the learner's own `forward` runs on the case's inputs, then this function
                on a random upstream gradient with the learner's cache; the gradients are
                compared with autograd through the reference.
    "random"    randomness from the rng the grader passes in: graded by `properties`,
                a function (inputs, outputs) -> list of problems, run in the parent.
cases
    Each case's `make(rng)` returns the keyword arguments of the call, made in the trusted
    parent from a seeded generator. Shapes are non-square so a transpose never fits.
    `edge=True` marks edge cases (overflow, kinks) for the "right on ordinary inputs,
    wrong on edge cases" diagnosis.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

import numpy as np

# Tolerances for float64 work, as relative error in CS231n's sense:
# max |a - b| / max(|a| + |b|, tiny).
OUTPUT_RTOL = 1e-7
GRADIENT_RTOL = 1e-6


@dataclass(frozen=True)
class Case:
    name: str
    make: Callable[[np.random.Generator], dict]
    edge: bool = False


@dataclass(frozen=True)
class Exercise:
    id: str                       # "MODULE.FUNCTION", as in grade reports
    lesson: str                   # id of the lesson it belongs to (tutor/lessons/)
    kind: str                     # "forward" | "function" | "backward" | "random"
    points: int
    hints: tuple[str, ...]        # two or three, from a nudge to nearly the answer
    cases: tuple[Case, ...] = ()
    outputs: tuple[str, ...] = ("out",)   # names of the graded return values
    forward: str | None = None    # for kind="backward": the forward it pairs with
    rtol: float | None = None     # None: OUTPUT_RTOL, or GRADIENT_RTOL for gradients
    properties: Callable[[dict, dict], list[str]] | None = None  # for kind="random"
    exact: bool = False           # compare exactly (perceptron_train, param counts)

    @property
    def module(self) -> str:
        return self.id.split(".")[0]

    @property
    def function(self) -> str:
        return self.id.split(".")[1]


EXERCISES: list[Exercise] = [
    # Filled in by the grader work: every function of shared/EXERCISES.md, in syllabus order.
]


def by_id(exercise_id: str) -> Exercise:
    for exercise in EXERCISES:
        if exercise.id == exercise_id:
            return exercise
    raise KeyError(exercise_id)


def select(selector: str | None) -> list[Exercise]:
    """All exercises, one module's (`layers`), or one (`layers.affine_forward`)."""
    if not selector:
        return list(EXERCISES)
    chosen = [e for e in EXERCISES if e.id == selector or e.module == selector]
    if not chosen:
        raise KeyError(selector)
    return chosen
