"""`tutor check [EXERCISE|MODULE] [--workspace DIR] [--json] [--timeout S]`."""
from __future__ import annotations

import difflib
import json
import sys
from pathlib import Path

from tutor import manifest
from tutor.paths import default_workspace


def unknown_selector_message(selector: str) -> str:
    modules = list(dict.fromkeys(e.module for e in manifest.EXERCISES))
    ids = [e.id for e in manifest.EXERCISES]
    close = difflib.get_close_matches(selector, modules + ids, n=3, cutoff=0.6)
    lines = [f"tutor: no exercise or module called {selector!r}."]
    if close:
        lines.append(f"Did you mean: {', '.join(close)}?")
    lines.append(f"Modules: {', '.join(modules)}")
    lines.append(f"Exercises: {', '.join(ids)}")
    return "\n".join(lines)


def open_workspace(args) -> tuple[Path, bool] | None:
    """`--workspace` (or the default), created if missing: (path, created). None, after saying
    why on stderr, when it cannot be used as a workspace."""
    from tutor.workspace import ensure_workspace

    try:
        return ensure_workspace(getattr(args, "workspace", None) or default_workspace())
    except OSError as error:
        print(f"tutor: cannot use {error.filename or 'the workspace'} as your workspace: {error.strerror or error}",
              file=sys.stderr)
        return None


def run(args) -> int:
    from tutor.engine import Grader
    from tutor.engine.grader import read_sources
    from tutor.workspace import record_results

    try:
        exercises = manifest.select(args.exercise)
    except KeyError:
        print(unknown_selector_message(args.exercise), file=sys.stderr)
        return 2
    opened = open_workspace(args)
    if opened is None:
        return 1
    workspace, created = opened
    say = sys.stderr if args.json else sys.stdout
    if created:
        print(f"Created your workspace at {workspace}: edit the modules there, then run `tutor check` again.",
              file=say)
    with Grader(exercises, timeout=args.timeout, cache=True) as grader:
        results = grader.grade(read_sources(workspace))
    notice = record_results(workspace, results)
    if notice:
        print(notice, file=sys.stderr)
    if args.json:
        print(json.dumps([r.to_json() for r in results], indent=2, ensure_ascii=False))
    else:
        show(results, detailed=len(results) == 1 or bool(args.exercise and "." in args.exercise))
    return 0


def show(results, detailed: bool) -> None:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    console = Console()
    table = Table(show_header=True, header_style="bold", expand=False)
    table.add_column("", width=1)
    table.add_column("exercise", no_wrap=True)
    table.add_column("score", justify="right", no_wrap=True)
    table.add_column("what the grader found")
    for r in results:
        mark = Text("✓", style="green") if r.passed else Text("✗", style="red" if r.status != "not_implemented" else "dim")
        table.add_row(mark, r.exercise, f"{round(r.score, 2):g}/{r.max_score:g}", Text(r.message))
    console.print(table)
    if detailed:
        for r in results:
            if r.details:
                console.print(Text(f"{r.exercise}:", style="bold"))
                for line in r.details:
                    console.print(Text("  " + line.replace("\n", "\n  ")))
    solved = sum(r.passed for r in results)
    score = sum(r.score for r in results)
    total = sum(r.max_score for r in results)
    console.print(f"{solved} of {len(results)} exercises solved, {round(score, 2):g}/{total:g} points")
    stuck = next((r for r in results if not r.passed and r.status != "not_implemented"), None)
    if stuck is not None:
        console.print(Text(f"Stuck? `tutor hint {stuck.exercise}` reveals a hint.", style="dim"))
