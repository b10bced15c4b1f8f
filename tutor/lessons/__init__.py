"""The lessons: one Markdown file per topic, in syllabus order.

Which lessons there are, and what each one brings (title, text, exercises, playground
computations and widgets), is declared once, in :mod:`tutor.lessons.registry`.

Each lesson's text lives in ``tutor/lessons/<id>.md`` and is written so that it reads well in a
terminal (Unicode math, no LaTeX). The list of graded exercises at the end of a lesson is
not part of the file: :func:`lesson_text` generates it from ``tutor.manifest.EXERCISES``
every time, so it can never drift from what the grader actually checks.

This module imports neither textual nor torch (the app and the notebooks both use it).
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from tutor.lessons.registry import LESSONS, Lesson, lesson, lesson_ids

if TYPE_CHECKING:  # pragma: no cover
    from tutor.manifest import Exercise

EXERCISES_HEADING = "## Exercises"


def source_text(lesson_id: str) -> str:
    """The lesson's Markdown file as written, without the generated exercise list."""
    return lesson(lesson_id).text_file.read_text(encoding="utf-8")


def exercises_for(lesson_id: str) -> list["Exercise"]:
    """The manifest's exercises for this lesson, in manifest (syllabus) order."""
    return lesson(lesson_id).exercises()


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
