"""`tutor hint EXERCISE`: reveal the next hint, remembered in the workspace's progress."""
from __future__ import annotations

import sys


def run(args) -> int:
    from tutor.commands.check import not_saved, one_exercise
    from tutor.workspace import reveal_hint

    found = one_exercise(args)
    if isinstance(found, int):
        return found
    exercise, workspace = found
    try:
        new, shown = reveal_hint(workspace, exercise.id)
        unsaved = None
    except OSError as error:   # a read-only workspace: show the hint, say it is not remembered
        new, shown = next_hint(workspace, exercise)
        unsaved = not_saved(workspace, error) + " The next `tutor hint` shows this hint again."
    total = len(exercise.hints)
    if not total:
        print(f"{exercise.id} has no hints.")
        return 0
    for number, hint in enumerate(shown, start=1):
        marker = "new" if new is not None and number == len(shown) else "   "
        print(f"{marker} hint {number} of {total}: {hint}")
    if new is None:
        print(f"All {total} hints for {exercise.id} are shown.")
    if unsaved:
        print(unsaved, file=sys.stderr)
    return 0


def next_hint(workspace, exercise) -> tuple[str | None, list[str]]:
    """What reveal_hint would show, without writing anything."""
    from tutor.workspace import hints_revealed

    hints = list(exercise.hints)
    shown = min(hints_revealed(workspace, exercise.id), len(hints))
    if shown >= len(hints):
        return None, hints
    return hints[shown], hints[:shown + 1]
