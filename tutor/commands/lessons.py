"""`tutor lessons`: the lessons in order, each with its exercises and your progress on them."""
from __future__ import annotations

from tutor import marks
from tutor.paths import default_workspace


def run(args) -> int:
    from rich.console import Console
    from rich.text import Text

    from tutor.lessons import LESSONS
    from tutor.workspace import read_progress

    workspace = getattr(args, "workspace", None) or default_workspace()
    progress, notice = read_progress(workspace) if workspace.exists() else ({"exercises": {}}, None)
    console = Console()
    if notice:
        console.print(Text(notice, style="yellow"))
    for number, lesson in enumerate(LESSONS, start=1):
        exercises = lesson.exercises()
        solved = sum(progress["exercises"].get(e.id, {}).get("status") == "passed" for e in exercises)
        console.print(Text(f"{number:2}. {lesson.title}", style="bold"),
                      Text(f"  [{lesson.id}]  {solved}/{len(exercises)} solved", style="dim"))
        for e in exercises:
            entry = progress["exercises"].get(e.id, {})
            mark = marks.for_status(entry.get("status"))
            shown = Text(f"      {mark.symbol} ", style=mark.style) if mark else Text(" " * 8)   # never checked
            hints = entry.get("hints", 0)
            extra = f"  ({hints} hint{'s' if hints != 1 else ''} shown)" if hints else ""
            console.print(shown, Text(f"{e.id}  {e.points} pt{'s' if e.points != 1 else ''}{extra}"))
    console.print(Text("`tutor check LESSON-MODULE` checks a module; `tutor` opens the terminal tutor.", style="dim"))
    return 0
