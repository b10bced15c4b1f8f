"""The learner's workspace: a visible folder of exercise modules plus .tutor/progress.json.

    ensure_workspace(path)            -> (path, created)   copies missing modules, never overwrites
    read_progress(ws)                 -> (progress, notice | None)
    save_progress(ws, progress)       atomic (tutor.files.atomic_write)
    record_results(ws, results)       -> notice | None      last status/score per exercise
    reveal_hint(ws, exercise_id)      -> (newly revealed hint | None when all were shown, hints so far)
    reset_exercise(ws, exercise_id)   -> backup path         one function back to its pristine stub

progress.json is plain JSON the learner may read:
    {"version": 1, "exercises": {"layers.affine_forward": {"status": "passed", "score": 1.0,
     "max_score": 1.0, "diagnosis": "ok", "checked": "2026-...Z", "hints": 1}}}
A corrupt file is never lost: it is moved aside to progress.json.bak (the notice says so) and
progress starts afresh.
"""
from __future__ import annotations

import ast
import json
import os
import shutil
import time
from pathlib import Path

from tutor.files import atomic_write
from tutor.paths import default_workspace, pristine_exercises

PROGRESS_VERSION = 1


class ResetError(Exception):
    """An exercise could not be reset; the message says why, in words for the learner."""


def ensure_workspace(path: Path | None = None) -> tuple[Path, bool]:
    """The workspace folder, created from the pristine exercises when missing.

    Modules missing from an existing workspace are added; nothing existing is overwritten.
    """
    path = Path(path if path is not None else default_workspace()).expanduser()
    created = not path.exists()
    path.mkdir(parents=True, exist_ok=True)
    for source in sorted(pristine_exercises().glob("*.py")):
        target = path / source.name
        if source.name != "__init__.py" and not target.exists():
            shutil.copyfile(source, target)
    return path, created


def progress_path(workspace: Path) -> Path:
    return Path(workspace) / ".tutor" / "progress.json"


def empty_progress() -> dict:
    return {"version": PROGRESS_VERSION, "exercises": {}}


def read_progress(workspace: Path) -> tuple[dict, str | None]:
    path = progress_path(workspace)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return empty_progress(), None
    except (OSError, ValueError) as error:
        return empty_progress(), set_aside(path, f"it could not be read ({error})")
    if not isinstance(data, dict) or not isinstance(data.get("exercises"), dict):
        return empty_progress(), set_aside(path, "it does not have the expected layout")
    data["exercises"] = {k: v for k, v in data["exercises"].items() if isinstance(v, dict)}
    return data, None


def set_aside(path: Path, why: str) -> str:
    backup = path.with_name(path.name + ".bak")
    try:
        os.replace(path, backup)
    except OSError as error:
        return f"Your progress file {path} is unusable: {why}; it could not be moved aside either ({error})."
    return (f"Your progress file {path} was unusable: {why}. It is kept as {backup}; "
            f"progress starts afresh (your exercise files are untouched).")


def save_progress(workspace: Path, progress: dict) -> None:
    path = progress_path(workspace)
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(path, json.dumps(progress, indent=2, sort_keys=True) + "\n")


def exercise_progress(progress: dict, exercise_id: str) -> dict:
    return progress["exercises"].setdefault(exercise_id, {})


def record_results(workspace: Path, results) -> str | None:
    """Remember each result's status and score; returns a notice if the old file was corrupt."""
    progress, notice = read_progress(workspace)
    checked = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    for result in results:
        entry = exercise_progress(progress, result.exercise)
        entry.update(status=result.status, score=result.score, max_score=result.max_score,
                     diagnosis=result.diagnosis, checked=checked)
    save_progress(workspace, progress)
    return notice


def hints_revealed(workspace: Path, exercise_id: str) -> int:
    progress, _ = read_progress(workspace)
    return int(progress["exercises"].get(exercise_id, {}).get("hints", 0) or 0)


def reveal_hint(workspace: Path, exercise_id: str) -> tuple[str | None, list[str]]:
    """Reveal the next hint: (the new hint, or None when all were already shown; every hint shown so far)."""
    from tutor.manifest import by_id

    hints = list(by_id(exercise_id).hints)
    progress, _ = read_progress(workspace)
    entry = exercise_progress(progress, exercise_id)
    shown = min(int(entry.get("hints", 0) or 0), len(hints))
    if shown >= len(hints):
        return None, hints
    entry["hints"] = shown + 1
    save_progress(workspace, progress)
    return hints[shown], hints[:shown + 1]


def reset_exercise(workspace: Path, exercise_id: str) -> Path | None:
    """Put one function back to its pristine stub; the learner's file is backed up first.

    Returns the backup's path (WORKSPACE/.tutor/backups/<module>-<time>.py), or None when the
    module's file was missing (it is restored whole; there was nothing to back up).
    """
    from tutor.manifest import by_id

    exercise = by_id(exercise_id)
    target = Path(workspace) / f"{exercise.module}.py"
    pristine_text = (pristine_exercises() / f"{exercise.module}.py").read_text(encoding="utf-8")
    stub = function_lines(pristine_text, exercise.function)
    if stub is None:
        raise ResetError(f"the pristine {exercise.module}.py has no {exercise.function} (a bug in tutor)")
    if not target.exists():
        shutil.copyfile(pristine_exercises() / f"{exercise.module}.py", target)
        forget_result(workspace, exercise_id)
        return None
    backup_dir = Path(workspace) / ".tutor" / "backups"
    backup_dir.mkdir(parents=True, exist_ok=True)
    backup = backup_dir / f"{exercise.module}-{time.strftime('%Y%m%d-%H%M%S')}-{time.monotonic_ns() % 10**6}.py"
    text = target.read_text(encoding="utf-8")
    shutil.copyfile(target, backup)
    lines = text.splitlines(keepends=True)
    try:
        span = function_span(text, exercise.function)
    except SyntaxError as error:
        raise ResetError(f"{target.name} has a syntax error at line {error.lineno}; fix it first "
                         f"(your file is unchanged; a copy is at {backup})") from None
    new_function = "".join(stub[2])
    if span is None:
        joined = text + ("" if text.endswith("\n") or not text else "\n") + "\n\n" + new_function
    else:
        start, end = span
        joined = "".join(lines[:start]) + new_function + "".join(lines[end:])
    atomic_write(target, joined)
    forget_result(workspace, exercise_id)
    return backup


def forget_result(workspace: Path, exercise_id: str) -> None:
    """The exercise is a stub again: its last result no longer says anything (hints stay)."""
    progress, _ = read_progress(workspace)
    entry = exercise_progress(progress, exercise_id)
    for key in ("status", "score", "diagnosis", "checked"):
        entry.pop(key, None)
    save_progress(workspace, progress)


def function_span(text: str, name: str) -> tuple[int, int] | None:
    """0-based [start, end) line range of the top-level function `name`, decorators included."""
    for node in ast.parse(text).body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name == name:
            start = min([node.lineno] + [d.lineno for d in node.decorator_list]) - 1
            return start, node.end_lineno
    return None


def function_lines(text: str, name: str):
    span = function_span(text, name)
    if span is None:
        return None
    lines = text.splitlines(keepends=True)
    body = lines[span[0]:span[1]]
    if body and not body[-1].endswith("\n"):
        body[-1] += "\n"
    return span[0], span[1], body

