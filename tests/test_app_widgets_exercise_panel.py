"""tutor/app/widgets/exercise_panel.py with the real grader: check, watch mode, hints,
reset with confirmation and backup, $EDITOR, progress."""
from __future__ import annotations

import os
import sys
import threading
import time

from test_app_support import (BAD_BACKWARD, asynctest, broken_backprop, fixed_backprop, fresh_workspace,
                              make_app, settle, text_of)
from rich.console import Console
from textual.widgets import Button, DataTable

from tutor.app.screens.confirm import ConfirmScreen
from tutor.app.widgets.exercise_panel import ExercisePanel, detail_lines
from tutor.engine.results import CaseResult, ExerciseResult


def panel_of(app) -> ExercisePanel:
    return app.screen.query_one(ExercisePanel)


def symbols(app) -> dict[str, str]:
    table = panel_of(app).query_one(DataTable)
    return {str(table.get_row_at(i)[1]): str(table.get_row_at(i)[0]) for i in range(table.row_count)}


async def open_backprop_exercises(app, pilot):
    await settle(pilot)
    app.screen.show_lesson("backprop")
    await pilot.press("3")
    await settle(pilot)


@asynctest
async def test_check_shows_a_failed_and_a_passed_exercise(tmp_path):
    workspace = fresh_workspace(tmp_path)
    broken_backprop(workspace)
    app = make_app(workspace)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_backprop_exercises(app, pilot)
        assert symbols(app) == {"backprop.xyz_forward": "·", "backprop.xyz_backward": "·"}
        await pilot.press("c")
        await settle(pilot)
        assert symbols(app) == {"backprop.xyz_forward": "✓", "backprop.xyz_backward": "✗"}
        assert "1/2 passed" in text_of(panel_of(app).query_one("#panel-status"))
        await pilot.press("down")
        detail = text_of(panel_of(app).query_one("#detail-text"))
        assert "backprop.xyz_backward" in detail and "negative" in detail.lower()


@asynctest
async def test_the_app_stays_responsive_while_the_grader_runs(tmp_path):
    workspace = fresh_workspace(tmp_path)
    fixed_backprop(workspace)
    app = make_app(workspace)
    release = threading.Event()
    real_check = app.state.check

    def slow_check(selectors, timeout=10.0):     # the real grader, after a held start
        assert threading.current_thread() is not threading.main_thread()
        release.wait(30)
        return real_check(selectors, timeout)

    app.state.check = slow_check
    async with app.run_test(size=(80, 24)) as pilot:
        await open_backprop_exercises(app, pilot)
        await pilot.press("c")
        assert panel_of(app).checking
        assert "Checking" in text_of(panel_of(app).query_one("#panel-status"))
        assert panel_of(app).query_one("#check", Button).disabled
        await pilot.press("1")                   # the app still answers keys
        assert app.screen.query_one("TabbedContent").active == "lesson"
        await pilot.press("c")                   # a second check waits for the first
        release.set()
        await settle(pilot)
        assert not panel_of(app).checking
        assert set(symbols(app).values()) == {"✓"}


@asynctest
async def test_the_check_button_works_by_mouse(tmp_path):
    workspace = fresh_workspace(tmp_path)
    fixed_backprop(workspace)
    app = make_app(workspace)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_backprop_exercises(app, pilot)
        await pilot.click("#check")
        await settle(pilot)
        assert set(symbols(app).values()) == {"✓"}


@asynctest
async def test_watch_mode_checks_again_when_a_file_is_saved(tmp_path):
    workspace = fresh_workspace(tmp_path)
    broken_backprop(workspace)
    app = make_app(workspace)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_backprop_exercises(app, pilot)
        await pilot.press("c")
        await settle(pilot)
        assert symbols(app)["backprop.xyz_backward"] == "✗"
        await pilot.press("w")
        assert app.state.watch and str(panel_of(app).query_one("#watch", Button).label) == "Watching"
        target = fixed_backprop(workspace)              # the learner saves a fix
        later = time.time() + 2
        os.utime(target, (later, later))
        for _ in range(100):                            # the timer polls every 0.1 s here
            await pilot.pause(0.05)
            await settle(pilot)
            if symbols(app)["backprop.xyz_backward"] == "✓":
                break
        assert symbols(app)["backprop.xyz_backward"] == "✓"
        await pilot.press("w")
        assert not app.state.watch


@asynctest
async def test_hints_are_revealed_one_by_one_and_kept(tmp_path):
    workspace = fresh_workspace(tmp_path)
    app = make_app(workspace)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_backprop_exercises(app, pilot)
        detail = panel_of(app).query_one("#detail-text")
        assert "Hint 1" not in text_of(detail)
        await pilot.press("h")
        assert "Hint 1:" in text_of(detail) and "Hint 2:" not in text_of(detail)
        await pilot.press("h")
        assert "Hint 2:" in text_of(detail)
        total = app.state.hints_total("backprop.xyz_forward")
        for _ in range(total):
            await pilot.press("h")
        assert "No more hints." in text_of(detail)
    again = make_app(workspace)
    async with again.run_test(size=(80, 24)) as pilot:
        await open_backprop_exercises(again, pilot)
        assert f"Hint {total}:" in text_of(panel_of(again).query_one("#detail-text"))


@asynctest
async def test_reset_asks_first_and_keeps_a_backup(tmp_path):
    workspace = fresh_workspace(tmp_path)
    fixed_backprop(workspace)
    app = make_app(workspace)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_backprop_exercises(app, pilot)
        await pilot.press("r")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        assert "NotImplementedError" not in (workspace / "backprop.py").read_text()
        await pilot.press("r")
        await pilot.press("y")
        await settle(pilot)
        text = (workspace / "backprop.py").read_text()
        assert "def xyz_forward" in text and "NotImplementedError" in text
        backups = list((workspace / ".tutor" / "backups").glob("backprop-*.py"))
        assert len(backups) == 1 and "q * z" in backups[0].read_text()
        assert any("back to its stub" in n.message for n in app._notifications)


@asynctest
async def test_edit_opens_editor_then_checks(tmp_path, monkeypatch):
    workspace = fresh_workspace(tmp_path)
    broken_backprop(workspace)
    solution = tmp_path / "good.py"
    solution.write_text(fixed_backprop(tmp_path).read_text())
    broken_backprop(workspace)
    editor = tmp_path / "editor.py"    # an "editor" that writes the fix into the file given
    editor.write_text("import shutil, sys\nshutil.copyfile(%r, sys.argv[1])\n" % str(solution))
    monkeypatch.setenv("EDITOR", f"{sys.executable} {editor}")
    monkeypatch.delenv("VISUAL", raising=False)
    app = make_app(workspace)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_backprop_exercises(app, pilot)
        await pilot.press("e")
        await settle(pilot)
        assert set(symbols(app).values()) == {"✓"}


@asynctest
async def test_a_missing_editor_is_reported(tmp_path, monkeypatch):
    monkeypatch.setenv("EDITOR", str(tmp_path / "no-such-editor"))
    monkeypatch.delenv("VISUAL", raising=False)
    app = make_app(fresh_workspace(tmp_path))
    async with app.run_test(size=(80, 24)) as pilot:
        await open_backprop_exercises(app, pilot)
        await pilot.press("e")
        await pilot.pause()
        assert any("Cannot start the editor" in n.message for n in app._notifications)


@asynctest
async def test_the_rows_follow_the_lesson_open(tmp_path):
    app = make_app(fresh_workspace(tmp_path))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        for lesson in ("momentum", "perceptron"):
            app.screen.show_lesson(lesson)
            await pilot.pause()
            assert panel_of(app).query_one(DataTable).row_count == len(app.state.exercises(lesson))


@asynctest
async def test_without_editor_e_opens_the_editor_in_the_app_then_checks(tmp_path, monkeypatch):
    from textual.widgets import TextArea

    from tutor.app.screens.editor import EditorScreen

    workspace = fresh_workspace(tmp_path)
    broken_backprop(workspace)
    monkeypatch.delenv("EDITOR", raising=False)
    monkeypatch.delenv("VISUAL", raising=False)
    app = make_app(workspace)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_backprop_exercises(app, pilot)
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, EditorScreen)
        editor = app.screen.query_one(TextArea)
        assert app.focused is editor and "def xyz_forward" in editor.text
        editor.text = editor.text.replace(*reversed(BAD_BACKWARD))   # the learner fixes it
        await pilot.press("ctrl+s", "escape")
        await settle(pilot)
        assert not isinstance(app.screen, EditorScreen)
        assert set(symbols(app).values()) == {"✓"}


def test_a_case_is_drawn_from_its_case_result_never_from_a_line_that_looks_like_one():
    result = ExerciseResult("backprop.xyz_backward", 0.5, 1.0, False, "m", "failed", "sign",
                            details=["✓ small", "✗ edge: the negative", "    inputs (rounded): x=1",
                                     "✓ printed by the learner"],
                            cases=[CaseResult("small", True), CaseResult("edge", False, "sign", "the negative")])
    console = Console(width=60, color_system="truecolor", force_terminal=True)
    segments = list(console.render(detail_lines(result)))
    coloured = [(s.text, s.style.color.name) for s in segments if s.style and s.style.color and s.text in "✓✗"]
    assert coloured == [("✓", "green"), ("✗", "red")]      # the learner's "✓" line has no mark
    shown = "".join(s.text for s in segments)
    assert "edge: the negative" in shown and "inputs (rounded)" in shown and "✓ printed by the learner" in shown
