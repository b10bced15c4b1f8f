"""tutor/app/state.py: the app's state without any widget (real engine, real workspace)."""
from __future__ import annotations

import json
import os
import time

from test_app_support import broken_backprop, fixed_backprop, fresh_workspace

from tutor.app.state import TutorState, score_text, symbol_for
from tutor.engine.results import ExerciseResult
from tutor.lessons import LESSONS


def result(exercise, passed, status="failed", score=0.0):
    return ExerciseResult(exercise=exercise, score=score, max_score=1.0, passed=passed,
                          message="m", status=status)


def test_symbols_and_scores():
    assert symbol_for(None) == "·"
    assert symbol_for(result("a.b", True, "passed", 1.0)) == "✓"
    assert symbol_for(result("a.b", False)) == "✗"
    assert symbol_for(result("a.b", False, "not_implemented")) == "·"
    assert score_text(None, 2) == "–/2"
    assert score_text(result("a.b", False, score=0.5), 1) == "0.5/1"


def test_open_creates_the_workspace_once(tmp_path):
    state = TutorState(tmp_path / "ws")
    assert state.open() is True
    assert (tmp_path / "ws" / "layers.py").is_file()
    assert TutorState(tmp_path / "ws").open() is False


def test_rows_follow_the_manifest_order_of_a_lesson(tmp_path):
    state = TutorState(fresh_workspace(tmp_path))
    state.open()
    rows = state.rows("backprop")
    assert [r.id for r in rows] == ["backprop.xyz_forward", "backprop.xyz_backward"]
    assert all(r.symbol == "·" and r.status == "unchecked" for r in rows)
    assert state.selectors("backprop") == ["backprop"]
    assert state.module_file("backprop.xyz_forward") == state.workspace / "backprop.py"


def test_check_runs_the_real_grader_and_records_progress(tmp_path):
    workspace = fresh_workspace(tmp_path)
    broken_backprop(workspace)
    state = TutorState(workspace)
    state.open()
    results = {r.exercise: r for r in state.check(["backprop"])}
    assert results["backprop.xyz_forward"].passed
    backward = results["backprop.xyz_backward"]
    assert not backward.passed and backward.diagnosis == "sign"
    progress = json.loads((workspace / ".tutor" / "progress.json").read_text())
    assert progress["exercises"]["backprop.xyz_backward"]["status"] == "failed"
    # a new state (the next start) restores the last results
    again = TutorState(workspace)
    again.open()
    again.restore_results()
    assert again.result("backprop.xyz_forward").passed
    assert again.result("backprop.xyz_backward").diagnosis == "sign"


def test_changed_modules_sees_saves(tmp_path):
    workspace = fresh_workspace(tmp_path)
    state = TutorState(workspace)
    state.open()
    assert state.changed_modules() == []
    target = fixed_backprop(workspace)
    later = time.time() + 5
    os.utime(target, (later, later))
    assert state.changed_modules() == ["backprop"]
    assert state.changed_modules() == []


def test_hints_are_revealed_one_at_a_time(tmp_path):
    state = TutorState(fresh_workspace(tmp_path))
    state.open()
    total = state.hints_total("backprop.xyz_forward")
    assert total >= 2 and state.hints_shown("backprop.xyz_forward") == []
    new, shown = state.reveal_hint("backprop.xyz_forward")
    assert new and shown == [new]
    assert state.hints_shown("backprop.xyz_forward") == shown
    for _ in range(total):
        state.reveal_hint("backprop.xyz_forward")
    new, shown = state.reveal_hint("backprop.xyz_forward")
    assert new is None and len(shown) == total


def test_reset_restores_the_stub_and_keeps_a_backup(tmp_path):
    workspace = fresh_workspace(tmp_path)
    fixed_backprop(workspace)
    state = TutorState(workspace)
    state.open()
    state.check(["backprop"])
    backup = state.reset("backprop.xyz_forward")
    assert backup.is_file() and "q * z" in backup.read_text()
    assert "NotImplementedError" in (workspace / "backprop.py").read_text()
    assert state.result("backprop.xyz_forward") is None


def test_app_state_is_saved_and_restored(tmp_path):
    state = TutorState(fresh_workspace(tmp_path))
    state.open()
    state.lesson_id, state.watch = LESSONS[4].id, True
    state.save()
    again = TutorState(state.workspace)
    again.open()
    assert (again.lesson_id, again.watch) == (LESSONS[4].id, True)
    (state.workspace / ".tutor" / "app.json").write_text("{broken")
    third = TutorState(state.workspace)
    third.open()
    assert third.lesson_id == LESSONS[0].id
