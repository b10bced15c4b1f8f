"""tutor/solution_access.py: solutions after solving; before, only after every hint and a yes."""
from __future__ import annotations

import ast

import pytest

from tutor import solution_access as sa
from tutor.manifest import EXERCISES, by_id
from tutor.workspace import ensure_workspace, read_progress, reveal_hint, save_progress


@pytest.fixture
def workspace(tmp_path, monkeypatch):
    monkeypatch.delenv(sa.ENV, raising=False)
    path, _ = ensure_workspace(tmp_path / "ws")
    return path


def _solve(workspace, exercise_id):
    progress, _ = read_progress(workspace)
    progress["exercises"].setdefault(exercise_id, {})["status"] = "passed"
    save_progress(workspace, progress)


def test_locked_until_solved_or_every_hint_then_confirmed(workspace):
    exercise = by_id("optim.minibatches")
    with pytest.raises(sa.SolutionLocked, match="0 of 3 shown"):
        sa.open_solution(workspace, exercise.id, confirmed=True)
    for _ in exercise.hints:
        reveal_hint(workspace, exercise.id)
    state = sa.access(workspace, exercise.id)
    assert not state.allowed and state.needs_confirmation
    with pytest.raises(sa.SolutionLocked, match="not solved"):
        sa.open_solution(workspace, exercise.id)
    text = sa.open_solution(workspace, exercise.id, confirmed=True)
    assert "def minibatches" in text and "rng.permutation(n)" in text
    progress, _ = read_progress(workspace)
    assert progress["exercises"][exercise.id]["solution_viewed"] == "before solving"


def test_open_once_solved_and_closed_by_the_course(workspace, monkeypatch):
    _solve(workspace, "layers.triplet_loss")
    assert sa.access(workspace, "layers.triplet_loss").allowed
    assert "def triplet_loss" in sa.open_solution(workspace, "layers.triplet_loss")
    monkeypatch.setenv(sa.ENV, "off")
    with pytest.raises(sa.SolutionLocked, match="does not show its solutions"):
        sa.open_solution(workspace, "layers.triplet_loss")


@pytest.mark.parametrize("setting, shown", [("true", True), ("false", False)])
def test_the_course_settings_file_decides(workspace, monkeypatch, tmp_path, setting, shown):
    """A course.toml around the learner (or $TUTOR_COURSE) with `solutions = false` closes them."""
    monkeypatch.delenv("TUTOR_COURSE", raising=False)
    course = tmp_path / "course"
    course.mkdir()
    (course / "course.toml").write_text(f"[course]\nname = \"nn\"\nsolutions = {setting}\n")
    monkeypatch.chdir(course)
    _solve(workspace, "layers.triplet_loss")
    assert sa.access(workspace, "layers.triplet_loss").allowed is shown
    (course / "course.toml").write_text("[course\n")          # unreadable: reveals stay off
    assert not sa.access(workspace, "layers.triplet_loss").allowed


@pytest.mark.parametrize("exercise", EXERCISES, ids=lambda e: e.id)
def test_every_solution_stands_alone_with_its_helpers(exercise):
    text = sa.solution_source(exercise.id)
    tree = ast.parse(text)
    names = {n.name for n in tree.body if isinstance(n, ast.FunctionDef)}
    assert exercise.function in names
    namespace: dict = {}
    exec(compile(tree, exercise.id, "exec"), namespace)     # helpers and imports come along
    assert callable(namespace[exercise.function])
