"""The lessons: one Markdown file per topic, in syllabus order.

Each lesson lives in ``tutor/lessons/<id>.md`` and is written so that it reads well in a
terminal (Unicode math, no LaTeX). The list of graded exercises at the end of a lesson is
not part of the file: :func:`lesson_text` generates it from ``tutor.manifest.EXERCISES``
every time, so it can never drift from what the grader actually checks.

This module imports neither textual nor torch (the app and the notebooks both use it).
"""
from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from tutor.manifest import Exercise


@dataclass(frozen=True)
class Lesson:
    id: str
    title: str


LESSONS: list[Lesson] = [
    Lesson("perceptron", "The perceptron and the sigmoid neuron"),
    Lesson("backprop", "Backpropagation on a graph: f = (x + y)·z"),
    Lesson("training", "Training a two-layer net by gradient descent"),
    Lesson("activations", "Activations, initialisation and the vanishing gradient"),
    Lesson("parameters", "Counting parameters"),
    Lesson("rnn", "Recurrent networks: the worked example"),
    Lesson("losses", "Losses: squared error and cross-entropy"),
    Lesson("regularization", "Regularisation and dropout"),
    Lesson("cnn", "Convolution and pooling"),
    Lesson("momentum", "Gradient descent with momentum"),
    Lesson("batchnorm", "Batch normalisation"),
    Lesson("practice", "Training in practice: mini-batches, schedules and depth"),
    Lesson("deeper", "Deeper networks: residual connections and transfer learning"),
    Lesson("unsupervised", "Learning without labels: autoencoders"),
    Lesson("capstone", "A network of your own"),
]

EXERCISES_HEADING = "## Exercises"


def lesson(lesson_id: str) -> Lesson:
    """The Lesson with this id; KeyError when there is none."""
    for item in LESSONS:
        if item.id == lesson_id:
            return item
    raise KeyError(lesson_id)


def lesson_ids() -> list[str]:
    """The lesson ids in syllabus order."""
    return [item.id for item in LESSONS]


def source_text(lesson_id: str) -> str:
    """The lesson's Markdown file as written, without the generated exercise list."""
    lesson(lesson_id)  # KeyError for an unknown id, before touching the file system
    path = resources.files(__name__).joinpath(f"{lesson_id}.md")
    return path.read_text(encoding="utf-8")


def exercises_for(lesson_id: str) -> list["Exercise"]:
    """The manifest's exercises for this lesson, in manifest (syllabus) order."""
    lesson(lesson_id)
    from tutor.manifest import EXERCISES

    return [exercise for exercise in EXERCISES if exercise.lesson == lesson_id]


def exercises_markdown(lesson_id: str) -> str:
    """The generated "Exercises" section: one line per exercise with its id and points."""
    exercises = exercises_for(lesson_id)
    lines = [EXERCISES_HEADING, ""]
    if not exercises:
        lines.append("This lesson has no graded exercises yet: read it, then play.")
        return "\n".join(lines) + "\n"
    total = sum(exercise.points for exercise in exercises)
    modules: list[str] = []
    for exercise in exercises:
        if exercise.module not in modules:
            modules.append(exercise.module)
    where = ", ".join(f"`{module}.py`" for module in modules)
    lines.append(
        f"Write these in {where} of your workspace; {total} point{'s' if total != 1 else ''} in all."
    )
    lines.append("")
    for exercise in exercises:
        unit = "point" if exercise.points == 1 else "points"
        lines.append(f"- `{exercise.id}` ({exercise.points} {unit})")
    lines.append("")
    first = exercises[0].id
    lines.append(
        f"Check one with `tutor check {first}` (or a whole module: `tutor check {exercises[0].module}`); "
        f"stuck? `tutor hint {first}` reveals one hint at a time."
    )
    return "\n".join(lines) + "\n"


def lesson_text(lesson_id: str) -> str:
    """The full lesson in Markdown: the file, then the generated list of its exercises."""
    return source_text(lesson_id).rstrip() + "\n\n" + exercises_markdown(lesson_id)


def introduction(lesson_id: str) -> str:
    """The lesson's first section: its title and the text before the first "## " heading.

    Meant for the top of a notebook; Markdown, no trailing blank lines.
    """
    lines = source_text(lesson_id).splitlines()
    intro: list[str] = []
    in_code = False
    for line in lines:
        if line.startswith("```"):
            in_code = not in_code
        if not in_code and line.startswith("## "):
            break
        intro.append(line)
    return "\n".join(intro).strip()


__all__ = [
    "EXERCISES_HEADING",
    "LESSONS",
    "Lesson",
    "exercises_for",
    "exercises_markdown",
    "introduction",
    "lesson",
    "lesson_ids",
    "lesson_text",
    "source_text",
]
