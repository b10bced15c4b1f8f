"""When the learner asks for a solution in the app: show it, ask first, or say why not."""
from __future__ import annotations

from pathlib import Path


def learner_version(workspace: Path, exercise_id: str) -> str:
    from tutor.workspace import function_lines

    module, _, function = exercise_id.partition(".")
    path = Path(workspace) / f"{module}.py"
    try:
        found = function_lines(path.read_text(encoding="utf-8", errors="replace"), function)
    except OSError:
        found = None
    if not found:
        return f"# {function} is not in your {module}.py"
    return "".join(found[2])          # (start, end, lines)


def open_solution(app, workspace: Path, exercise_id: str | None) -> None:
    from tutor.app.screens.confirm import ConfirmScreen
    from tutor.app.screens.solution import SolutionScreen
    from tutor.solution_access import SolutionLocked, access, open_solution as reveal

    if exercise_id is None:
        app.notify("Choose an exercise first.")
        return

    def show(confirmed: bool | None) -> None:
        if not confirmed:
            return
        try:
            course = reveal(workspace, exercise_id, confirmed=True)
        except (SolutionLocked, OSError) as error:
            app.notify(f"No solution: {error}.", severity="warning")
            return
        app.push_screen(SolutionScreen(exercise_id, learner_version(workspace, exercise_id), course))

    state = access(workspace, exercise_id)
    if state.allowed:
        show(True)
    elif state.needs_confirmation:
        app.push_screen(ConfirmScreen(f"{exercise_id} is not solved yet. Show the course's solution anyway?\n\n"
                                      "Seeing it now makes the exercise much less useful."), show)
    else:
        app.notify(f"No solution yet: {state.reason}.", timeout=6)
