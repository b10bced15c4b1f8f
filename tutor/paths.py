"""Where things are: the pristine exercises that ship with tutor, and the learner's workspace."""
from __future__ import annotations

import os
from importlib import resources
from pathlib import Path


def pristine_exercises() -> Path:
    """The stub modules a new workspace is copied from (exercises/ in a checkout)."""
    return Path(str(resources.files("tutor.exercises")))


def default_workspace() -> Path:
    """~/tutor-workspace, or $TUTOR_WORKSPACE: a visible folder the learner owns."""
    return Path(os.environ.get("TUTOR_WORKSPACE", Path.home() / "tutor-workspace")).expanduser()


def exercise_modules() -> list[str]:
    """Module names (without .py) of the pristine exercises, in syllabus order."""
    from tutor.manifest import EXERCISES

    seen: list[str] = []
    for exercise in EXERCISES:
        if exercise.module not in seen:
            seen.append(exercise.module)
    return seen
