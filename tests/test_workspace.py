"""workspace.py: a workspace is created once, never overwritten, and remembers progress safely."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from tutor import manifest
from tutor.engine.results import ExerciseResult
from tutor.paths import pristine_exercises
from tutor.workspace import (ResetError, ensure_workspace, hints_revealed, progress_path, read_progress,
                             record_results, reset_exercise, reveal_hint, save_progress)

MODULES = sorted(p.name for p in pristine_exercises().glob("*.py") if p.name != "__init__.py")


def test_created_from_the_pristine_exercises(tmp_path):
    workspace, created = ensure_workspace(tmp_path / "ws")
    assert created and sorted(p.name for p in workspace.glob("*.py")) == MODULES
    assert (workspace / "layers.py").read_text() == (pristine_exercises() / "layers.py").read_text()


def test_never_overwrites_and_adds_what_is_missing(tmp_path):
    workspace, _ = ensure_workspace(tmp_path)
    (workspace / "layers.py").write_text("# mine\n")
    (workspace / "optim.py").unlink()
    again, created = ensure_workspace(workspace)
    assert not created and again == workspace
    assert (workspace / "layers.py").read_text() == "# mine\n"
    assert (workspace / "optim.py").exists()


def result(exercise_id, passed):
    return ExerciseResult(exercise_id, 1.0 if passed else 0.0, 1.0, passed, "m",
                          status="passed" if passed else "failed", diagnosis="ok" if passed else "mismatch")


def test_results_are_recorded(tmp_path):
    assert record_results(tmp_path, [result("optim.sgd_step", True)]) is None
    record_results(tmp_path, [result("optim.momentum_step", False)])
    progress, notice = read_progress(tmp_path)
    assert notice is None
    assert progress["exercises"]["optim.sgd_step"]["status"] == "passed"
    assert progress["exercises"]["optim.momentum_step"]["score"] == 0.0
    assert json.loads(progress_path(tmp_path).read_text())["version"] == 1


@pytest.mark.parametrize("content", ["{not json", "[1, 2]", '{"exercises": 3}', "\xff\xfe"])
def test_a_corrupt_progress_file_is_kept_aside(tmp_path, content):
    path = progress_path(tmp_path)
    path.parent.mkdir(parents=True)
    path.write_text(content, encoding="latin-1")
    progress, notice = read_progress(tmp_path)
    assert progress["exercises"] == {}
    assert "kept as" in notice and path.with_name("progress.json.bak").read_text(encoding="latin-1") == content
    assert not path.exists()
    assert record_results(tmp_path, [result("optim.sgd_step", True)]) is None   # starts afresh


def test_saving_is_atomic_and_leaves_no_temporary_files(tmp_path):
    save_progress(tmp_path, {"version": 1, "exercises": {"a": {"hints": 1}}})
    assert [p.name for p in progress_path(tmp_path).parent.iterdir()] == ["progress.json"]


def test_hints_are_revealed_one_at_a_time(tmp_path):
    exercise = manifest.by_id("layers.affine_backward")
    shown = []
    for number in range(1, len(exercise.hints) + 1):
        new, shown = reveal_hint(tmp_path, exercise.id)
        assert new == exercise.hints[number - 1] and len(shown) == number
    assert hints_revealed(tmp_path, exercise.id) == len(exercise.hints)
    new, shown = reveal_hint(tmp_path, exercise.id)
    assert new is None and shown == list(exercise.hints)


def test_reset_restores_one_function_and_keeps_a_backup(tmp_path):
    workspace, _ = ensure_workspace(tmp_path)
    pristine = (workspace / "layers.py").read_text()
    mine = pristine.replace('    """x @ w + b', '    return x @ w + b, None\n    """x @ w + b', 1)
    mine = mine.replace("def affine_backward(dout, cache):", "def affine_backward(dout, cache):\n    return 1", 1)
    (workspace / "layers.py").write_text(mine)
    record_results(workspace, [result("layers.affine_backward", True)])
    backup = reset_exercise(workspace, "layers.affine_backward")
    text = (workspace / "layers.py").read_text()
    assert backup.read_text() == mine
    assert "def affine_backward(dout, cache):\n    return 1" not in text
    assert text.count("def affine_backward") == 1
    assert ("return x @ w + b, None" in text) == ("return x @ w + b, None" in mine)   # others untouched
    assert "status" not in read_progress(workspace)[0]["exercises"]["layers.affine_backward"]


def test_reset_adds_a_deleted_function_and_refuses_broken_files(tmp_path):
    workspace, _ = ensure_workspace(tmp_path)
    (workspace / "optim.py").write_text("import numpy as np\n")
    reset_exercise(workspace, "optim.sgd_step")
    assert "def sgd_step" in (workspace / "optim.py").read_text()
    (workspace / "optim.py").write_text("def broken(:\n")
    with pytest.raises(ResetError, match="syntax error at line 1"):
        reset_exercise(workspace, "optim.sgd_step")
    assert (workspace / "optim.py").read_text() == "def broken(:\n"


def test_reset_of_a_deleted_module_restores_it_and_claims_no_backup(tmp_path):
    workspace, _ = ensure_workspace(tmp_path)
    record_results(workspace, [result("optim.sgd_step", False)])
    (workspace / "optim.py").unlink()
    assert reset_exercise(workspace, "optim.sgd_step") is None
    assert (workspace / "optim.py").read_text() == (pristine_exercises() / "optim.py").read_text()
    assert not list((workspace / ".tutor").glob("backups/optim-*"))
    assert "status" not in read_progress(workspace)[0]["exercises"]["optim.sgd_step"]
