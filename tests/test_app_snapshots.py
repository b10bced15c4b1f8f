"""Snapshots (pytest-textual-snapshot) of the terminal tutor at 80×24: every lesson's text
and playground, and the exercise panel after a failed and after a passed check.

Deterministic: a fixed terminal size, a fresh workspace per test, toasts cleared (they
name the temporary workspace), workers waited for. The checks run the real grader on a
known-bad and a known-good backprop.py. The SVGs live in tests/snapshots/; after a
deliberate change of the app, the lessons or the playgrounds, look at the new pictures and
accept them with `pytest tests/test_app_snapshots.py --snapshot-update`.
"""
from __future__ import annotations

from pathlib import Path

import pytest
import pytest_textual_snapshot
from test_app_support import broken_backprop, fixed_backprop, fresh_workspace, make_app, settle

from tutor.lessons import LESSONS

SNAPSHOTS = Path(__file__).resolve().parent / "snapshots"
SIZE = (80, 24)


@pytest.fixture(autouse=True)
def snapshots_in_tests_snapshots(monkeypatch):
    """Keep the SVGs in tests/snapshots/ rather than syrupy's default __snapshots__/."""
    monkeypatch.setattr(pytest_textual_snapshot.SVGImageExtension, "dirname",
                        classmethod(lambda cls, *, test_location: str(SNAPSHOTS)))


def prepare(lesson_id: str, keys: tuple[str, ...] = (), after=None):
    async def run_before(pilot) -> None:
        app = pilot.app
        await settle(pilot)
        app.screen.show_lesson(lesson_id)
        await settle(pilot)
        for key in keys:
            await pilot.press(key)
            await settle(pilot)
        if after is not None:
            await after(pilot)
        app.clear_notifications()
        await pilot.pause()

    return run_before


@pytest.mark.parametrize("lesson_id", [lesson.id for lesson in LESSONS])
def test_lesson_text(lesson_id, snap_compare, tmp_path):
    app = make_app(fresh_workspace(tmp_path))
    assert snap_compare(app, terminal_size=SIZE, run_before=prepare(lesson_id))


@pytest.mark.parametrize("lesson_id", [lesson.id for lesson in LESSONS])
def test_lesson_playground(lesson_id, snap_compare, tmp_path):
    app = make_app(fresh_workspace(tmp_path))
    assert snap_compare(app, terminal_size=SIZE, run_before=prepare(lesson_id, ("2",)))


def test_panel_failed_check(snap_compare, tmp_path):
    workspace = fresh_workspace(tmp_path)
    broken_backprop(workspace)
    app = make_app(workspace)
    # check, then select the failing exercise to show its diagnosis
    assert snap_compare(app, terminal_size=SIZE,
                        run_before=prepare("backprop", ("3", "c", "down")))


def test_panel_passed_check(snap_compare, tmp_path):
    workspace = fresh_workspace(tmp_path)
    broken_backprop(workspace)
    app = make_app(workspace)

    async def fix_and_check_again(pilot):
        fixed_backprop(workspace)
        await pilot.press("c")
        await settle(pilot)

    assert snap_compare(app, terminal_size=SIZE,
                        run_before=prepare("backprop", ("3", "c", "down"), fix_and_check_again))
