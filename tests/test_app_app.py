"""tutor/app/app.py, tutor/app/__init__.py and tutor/commands/app.py: starting, the
workspace, background loading, help, the command palette, quitting, progress kept."""
from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

from test_app_support import asynctest, fixed_backprop, fresh_workspace, make_app, settle, wait_until

from tutor.app.screens.help import HelpScreen
from tutor.app.screens.main import MainScreen
from tutor.app.widgets.exercise_panel import ExercisePanel


@asynctest
async def test_first_run_creates_the_default_workspace_and_says_where(tmp_path, monkeypatch):
    target = tmp_path / "home-workspace"
    monkeypatch.setenv("TUTOR_WORKSPACE", str(target))
    from tutor.app import TutorApp

    app = TutorApp(warm_up=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
        assert (target / "backprop.py").is_file()
        assert app.state.created
        messages = [n.message for n in app._notifications]
        # the path may be broken into lines after a "/" to fit the toast
        assert any(str(target) in m.replace("\n", "") and "Created" in m for m in messages), messages


@asynctest
async def test_existing_workspace_is_not_recreated(tmp_path):
    workspace = fresh_workspace(tmp_path)
    (workspace / "backprop.py").write_text("# mine\n", encoding="utf-8")
    app = make_app(workspace, warm_up=False)
    async with app.run_test() as pilot:
        await settle(pilot)
        assert not app.state.created
        assert (workspace / "backprop.py").read_text() == "# mine\n"


def test_tutor_command_runs_the_app_on_the_workspace_given(tmp_path, monkeypatch):
    from tutor.app.app import TutorApp
    from tutor.cli import build_parser
    from tutor.commands import app as command

    seen = {}

    def fake_run(self):
        seen["workspace"] = self.state.workspace
        return 0

    monkeypatch.setattr(TutorApp, "run", fake_run)
    args = build_parser().parse_args(["--workspace", str(tmp_path / "ws")])
    assert command.run(args) == 0
    assert seen["workspace"] == tmp_path / "ws"
    assert command.run(argparse.Namespace(workspace=None)) == 0


@asynctest
async def test_the_grader_and_torch_load_in_the_background(tmp_path):
    app = make_app(fresh_workspace(tmp_path))
    async with app.run_test() as pilot:
        await settle(pilot)
        assert app.engine_ready
        assert "torch" in sys.modules and "tutor.engine" in sys.modules
        assert app.screen.query_one(ExercisePanel).loaded


@asynctest
async def test_ctrl_q_quits(tmp_path):
    app = make_app(fresh_workspace(tmp_path), warm_up=False)
    async with app.run_test() as pilot:
        await settle(pilot)
        await pilot.press("ctrl+q")
        assert await wait_until(pilot, lambda: not app.is_running)
    assert app.return_code == 0


@asynctest
async def test_question_mark_and_f1_open_the_help(tmp_path):
    app = make_app(fresh_workspace(tmp_path), warm_up=False)
    async with app.run_test() as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        assert isinstance(app.screen, MainScreen)
        await pilot.press("f1")
        assert isinstance(app.screen, HelpScreen)


@asynctest
async def test_command_palette_opens_a_lesson(tmp_path):
    from textual.command import CommandPalette

    app = make_app(fresh_workspace(tmp_path), warm_up=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert isinstance(app.screen, CommandPalette)
        await pilot.press(*"counting parameters")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
        assert app.state.lesson_id == "parameters"


@asynctest
async def test_command_palette_lists_the_tutor_commands(tmp_path):
    app = make_app(fresh_workspace(tmp_path), warm_up=False)
    async with app.run_test() as pilot:
        await settle(pilot)
        titles = [c.title for c in app.get_system_commands(app.screen)]
        for title in ("Help", "Check", "Watch mode", "Hint", "Edit", "Reset exercise", "Solution", "Quit"):
            assert title in titles
        assert sum(t.startswith("Lesson ") for t in titles) == 15


@asynctest
async def test_progress_is_restored_on_the_next_start(tmp_path):
    workspace = fresh_workspace(tmp_path)
    fixed_backprop(workspace)
    app = make_app(workspace)
    async with app.run_test() as pilot:
        await settle(pilot)
        app.screen.show_lesson("backprop")
        await pilot.press("c")          # the real grader
        await settle(pilot)
        assert app.state.result("backprop.xyz_forward").passed
        await pilot.press("w")          # watch mode on
        app.screen.show_lesson("rnn")
        await pilot.press("ctrl+q")
    assert (workspace / ".tutor" / "progress.json").is_file()

    again = make_app(workspace)
    async with again.run_test() as pilot:
        await settle(pilot)
        assert again.state.lesson_id == "rnn"
        assert again.state.watch
        result = again.state.result("backprop.xyz_backward")
        assert result is not None and result.passed
        again.screen.show_lesson("backprop")
        await pilot.pause()
        rows = {row.id: row.symbol for row in again.state.rows("backprop")}
        assert rows == {"backprop.xyz_forward": "✓", "backprop.xyz_backward": "✓"}


@asynctest
async def test_a_workspace_that_cannot_be_created_is_reported(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    app = make_app(blocker / "workspace", warm_up=False)
    async with app.run_test() as pilot:
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
        assert any(n.severity == "error" for n in app._notifications)


@asynctest
async def test_quitting_while_a_check_runs_is_clean(tmp_path):
    workspace = fresh_workspace(tmp_path)
    fixed_backprop(workspace)
    app = make_app(workspace)
    async with app.run_test() as pilot:
        await settle(pilot)
        app.screen.show_lesson("backprop")
        await pilot.press("3", "c", "ctrl+q")
    assert app.return_code == 0


def test_break_path_breaks_only_after_a_slash():
    from hypothesis import given, strategies as st

    from tutor.app.app import break_path

    names = st.text(alphabet="abcdefghij-_.", min_size=1, max_size=30)

    @given(st.lists(names, min_size=1, max_size=8), st.integers(min_value=10, max_value=40))
    def check(parts, width):
        path = "/" + "/".join(parts)
        lines = break_path(path, width).split("\n")
        assert "".join(lines) == path
        for line in lines[:-1]:
            assert line.endswith("/")                       # never inside a name
        for line in lines:
            assert len(line) <= width or "/" not in line.rstrip("/")   # only a long name overflows

    check()


@asynctest
async def test_toasts_leave_the_lesson_uncovered_and_paths_whole(tmp_path):
    from textual.widgets import TabbedContent

    import tempfile

    short = Path(tempfile.mkdtemp(prefix="t", dir="/tmp"))   # names the toast can hold whole
    workspace = fresh_workspace(short / "courses" / "neural-networks" / "autumn-term" / "mine")
    app = make_app(workspace, warm_up=False)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await settle(pilot)
        toasts = list(app.screen.query("Toast"))   # Textual's notifications, by their CSS type
        assert toasts
        tabs = app.screen.query_one(TabbedContent).region
        shown = ""
        for toast in toasts:
            assert not toast.region.overlaps(tabs), (toast.region, tabs)
            shown += "\n".join(s.text.strip() for s in toast.render_lines(toast.region.reset_offset))
        lines = [line.lstrip("▌ ") for line in shown.splitlines()]
        assert len([line for line in lines if line.startswith("/")]) < len(workspace.parts) - 1  # broken
        for name in workspace.parts[1:]:
            assert any(f"/{name}/" in "/" + line or line.endswith(f"/{name}") or line == name
                       for line in lines), (name, shown)
    shutil.rmtree(short)
