"""`tutor solution EXERCISE`: the course's solution, once solved (or after every hint, confirmed)."""
from __future__ import annotations

import sys


def run(args) -> int:
    from tutor.commands.check import one_exercise
    from tutor.solution_access import SolutionLocked, access, open_solution

    found = one_exercise(args)
    if isinstance(found, int):
        return found
    exercise, workspace = found
    state = access(workspace, exercise.id)
    confirmed = args.yes
    if state.needs_confirmation and not confirmed:
        confirmed = ask(f"{exercise.id} is not solved yet. Show the course's solution anyway? [y/N] ")
        if not confirmed:
            print("Not shown. Keep going: `tutor check " + exercise.id + "` says what is wrong.")
            return 1
    try:
        text = open_solution(workspace, exercise.id, confirmed=confirmed)
    except SolutionLocked as locked:
        print(f"The solution of {exercise.id} is not shown: {locked}.", file=sys.stderr)
        return 1
    where = f"{exercise.module}.py"
    print(f"# The course's solution of {exercise.id} (yours is in {workspace / where})\n")
    print(text, end="")
    return 0


def ask(question: str) -> bool:
    """A yes/no question on the terminal; no terminal (a pipe, a script) answers no."""
    if not sys.stdin.isatty():
        print(question + "no (not a terminal: pass --yes to confirm)", file=sys.stderr)
        return False
    try:
        return input(question).strip().lower() in ("y", "yes")
    except EOFError:
        return False
