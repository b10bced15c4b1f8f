"""The course's solutions, after solving (as rustlings does).

Once an exercise is solved (its last check passed every case), the learner may read the
course's solution of it, to compare with their own. Before that, only after every hint has
been revealed and the learner has confirmed. A course can turn solutions off altogether:
`solutions = false` in its course settings (tutor/course.py, when the course has one), or the
environment variable TUTOR_SOLUTIONS=off. Viewing is remembered in the workspace's progress.
"""
from __future__ import annotations

import ast
import importlib
import inspect
import os
from dataclasses import dataclass
from pathlib import Path

from tutor.engine.results import PASSED

OFF_VALUES = {"0", "off", "no", "false", "never"}
ENV = "TUTOR_SOLUTIONS"


class SolutionLocked(Exception):
    """The solution may not be shown now; the message says why and what to do."""


@dataclass(frozen=True)
class Access:
    allowed: bool            # may be shown without asking
    needs_confirmation: bool  # may be shown once the learner says yes
    reason: str              # when neither: why not, and what to do


def course_allows_solutions() -> bool:
    """False when the course's settings (or TUTOR_SOLUTIONS=off) turn solutions off."""
    if os.environ.get(ENV, "").strip().lower() in OFF_VALUES:
        return False
    try:
        course = importlib.import_module("tutor.course")
    except ModuleNotFoundError:
        return True
    setting = getattr(course, "solutions_enabled", None)    # the course settings' hook, when present
    return bool(setting()) if callable(setting) else True


def access(workspace: Path, exercise_id: str) -> Access:
    from tutor.manifest import by_id
    from tutor.workspace import exercise_progress, read_progress

    exercise = by_id(exercise_id)
    if not course_allows_solutions():
        return Access(False, False, "this course does not show its solutions")
    progress, _ = read_progress(Path(workspace))
    entry = exercise_progress(progress, exercise_id)
    if entry.get("status") == PASSED:
        return Access(True, False, "")
    shown, total = min(int(entry.get("hints", 0) or 0), len(exercise.hints)), len(exercise.hints)
    if shown < total:
        return Access(False, False, f"solve it first, or reveal its hints: {shown} of {total} shown "
                                    f"(tutor hint {exercise_id})")
    return Access(False, True, "it is not solved yet")


def solution_source(exercise_id: str) -> str:
    """The course's solution of one function, with the module-level helpers it uses."""
    module_name, _, function = exercise_id.partition(".")
    try:
        module = importlib.import_module(f"tutor.solutions.{module_name}")
    except ModuleNotFoundError:
        module = importlib.import_module(f"solutions.{module_name}")
    source = inspect.getsource(module)
    tree = ast.parse(source)
    definitions = {name: node for node in tree.body for name in defined_names(node)}
    wanted, queue = [], [function]
    while queue:
        name = queue.pop()
        node = definitions.get(name)
        if node is None or node in wanted:
            continue
        wanted.append(node)
        queue.extend(n.id for n in ast.walk(node) if isinstance(n, ast.Name))
    wanted.sort(key=lambda node: node.lineno)
    imports = [ast.get_source_segment(source, n) for n in tree.body if isinstance(n, (ast.Import, ast.ImportFrom))]
    body = "\n\n\n".join(ast.get_source_segment(source, node) for node in wanted)
    return ("\n".join(imports) + "\n\n\n" if imports else "") + body + "\n"


def defined_names(node) -> list[str]:
    if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
        return [node.name]
    if isinstance(node, ast.Assign):
        return [t.id for t in node.targets if isinstance(t, ast.Name)]
    return []


def open_solution(workspace: Path, exercise_id: str, confirmed: bool = False) -> str:
    """The solution's source if the learner may see it now (remembered as viewed); else SolutionLocked."""
    allowed = access(workspace, exercise_id)
    if not (allowed.allowed or (allowed.needs_confirmation and confirmed)):
        raise SolutionLocked(allowed.reason)
    text = solution_source(exercise_id)
    remember_viewed(workspace, exercise_id, solved=allowed.allowed)
    return text


def remember_viewed(workspace: Path, exercise_id: str, solved: bool) -> None:
    from tutor.workspace import exercise_progress, read_progress, save_progress

    progress, _ = read_progress(Path(workspace))
    entry = exercise_progress(progress, exercise_id)
    entry["solution_viewed"] = "after solving" if solved else "before solving"
    save_progress(Path(workspace), progress)
