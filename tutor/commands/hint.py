"""`tutor hint EXERCISE`: reveal the next hint, remembered in the workspace's progress."""
from __future__ import annotations

import sys

from tutor import manifest


def run(args) -> int:
    from tutor.commands.check import open_workspace, unknown_selector_message
    from tutor.workspace import reveal_hint

    try:
        exercise = manifest.by_id(args.exercise)
    except KeyError:
        print(unknown_selector_message(args.exercise), file=sys.stderr)
        return 2
    opened = open_workspace(args)
    if opened is None:
        return 1
    workspace, _ = opened
    new, shown = reveal_hint(workspace, exercise.id)
    total = len(exercise.hints)
    if not total:
        print(f"{exercise.id} has no hints.")
        return 0
    for number, hint in enumerate(shown, start=1):
        marker = "new" if new is not None and number == len(shown) else "   "
        print(f"{marker} hint {number} of {total}: {hint}")
    if new is None:
        print(f"All {total} hints for {exercise.id} are shown.")
    return 0
