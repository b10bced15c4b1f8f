"""`tutor check [EXERCISE|MODULE] [--workspace DIR] [--json] [--timeout S] [--case N]`."""
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


def one_exercise(args):
    """(exercise, workspace) for the subcommands about one exercise (`hint`, `solution`), or the
    exit status after saying why on stderr: 2 for an unknown exercise, 1 for an unusable workspace."""
    try:
        exercise = manifest.by_id(args.exercise)
    except KeyError:
        print(unknown_selector_message(args.exercise), file=sys.stderr)
        return 2
    opened = open_workspace(args)
    if opened is None:
        return 1
    return exercise, opened[0]


def run(args) -> int:
    from tutor.engine.run import read_sources
    from tutor.engine.shared import shared_grader

    chosen = _exercises(args)
    if isinstance(chosen, int):
        return chosen
    exercises, course = chosen
    if getattr(args, "case", None) is not None:
        return print_case(args.exercise, args.case)
    opened = open_workspace(args)
    if opened is None:
        return 1
    workspace, created = opened
    say = sys.stderr if args.json else sys.stdout
    if created:
        print(f"Created your workspace at {workspace}: edit the modules there, then run `tutor check` again.",
              file=say)
    # The engine's kept grader for this selection (shared.py), as the app and check() use it.
    results = shared_grader(exercises, timeout=args.timeout).grade(read_sources(workspace))
    notice = save_results(workspace, results)
    if args.json:
        print(json.dumps([r.to_json() for r in results], indent=2, ensure_ascii=False))
    else:
        show(results, detailed=len(results) == 1 or bool(args.exercise and "." in args.exercise),
             hints=course is None or course.hints)
    if notice:
        print(notice, file=sys.stderr)
    return 0


def _exercises(args):
    """(the exercises to check, the course or None), or the exit status after saying what is wrong."""
    if args.exercise is not None and not args.exercise.strip():
        print("tutor check: the exercise name is empty. Give an exercise (layers.affine_forward) or a "
              "module (layers), or nothing at all to check every exercise.", file=sys.stderr)
        return 2
    try:
        exercises = manifest.select(args.exercise)
    except KeyError:
        print(unknown_selector_message(args.exercise), file=sys.stderr)
        return 2
    if getattr(args, "case", None) is not None or getattr(args, "course", None) is None:
        return exercises, None
    return _course_exercises(args, exercises)


def _course_exercises(args, exercises):
    """The instructor's course.toml: its exercises and points."""
    from tutor.course import CourseError, load_course

    try:
        course = load_course(args.course)
    except CourseError as exc:
        print(f"tutor check: {exc}", file=sys.stderr)
        return 2
    exercises = course.select(exercises)
    if not exercises:
        print(f"tutor check: the course in {args.course} assigns none of {args.exercise or 'the exercises'}; "
              f"its course.toml lists what it assigns.", file=sys.stderr)
        return 2
    return exercises, course


def print_case(selector: str | None, number: int) -> int:
    """`tutor check EXERCISE --case N`: the case's inputs and the grader's call, as Python."""
    try:
        exercise = manifest.by_id(selector) if selector and "." in selector else None
    except KeyError:
        exercise = None
    if exercise is None:
        print("tutor: --case needs one exercise, such as `tutor check layers.affine_backward --case 1`.",
              file=sys.stderr)
        return 2
    count = len(exercise.cases)
    if not 1 <= number <= count:
        print(f"tutor: {exercise.id} has cases 1 to {count}; there is no case {number}.", file=sys.stderr)
        return 2
    from tutor.engine.reproduce import case_script

    print(case_script(exercise, number - 1), end="")
    return 0


def save_results(workspace: Path, results) -> str | None:
    """Record the results in the workspace's progress; a line for the learner when that
    went wrong (a read-only workspace: the results are shown all the same)."""
    from tutor.workspace import record_results

    try:
        return record_results(workspace, results)
    except OSError as error:
        return not_saved(workspace, error)


def not_saved(workspace: Path, error: OSError) -> str:
    return (f"tutor: your progress was not saved: {workspace} cannot be written "
            f"({error.strerror or error}).")


def mark(result):
    """✓ passed, ✗ wrong, · not started yet (the app's marks, tutor.marks)."""
    from rich.text import Text

    from tutor import marks

    shown = marks.for_result(result)
    return Text(shown.symbol, style=shown.style)


def show(results, detailed: bool, hints: bool = True) -> None:
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
        table.add_row(mark(r), r.exercise, f"{round(r.score, 2):g}/{r.max_score:g}", Text(r.message))
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
    if stuck is not None and hints:
        console.print(Text(f"Stuck? `tutor hint {stuck.exercise}` reveals a hint.", style="dim"))
