"""`tutor hint EXERCISE`: reveal the next hint, remembered in the workspace's progress."""
from __future__ import annotations

import sys

from tutor import manifest
from tutor.paths import default_workspace


def run(args) -> int:
    from tutor.commands.check import unknown_selector_message
    from tutor.workspace import ensure_workspace, reveal_hint

    try:
        exercise = manifest.by_id(args.exercise)
    except KeyError:
        print(unknown_selector_message(args.exercise), file=sys.stderr)
        return 2
    try:
        workspace, _ = ensure_workspace(getattr(args, "workspace", None) or default_workspace())
    except OSError as error:
        print(f"tutor: cannot use {error.filename or 'the workspace'} as your workspace: {error.strerror or error}",
              file=sys.stderr)
        return 1
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
