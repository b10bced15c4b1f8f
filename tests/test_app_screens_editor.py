"""tutor/app/screens/editor.py: Textual's code editor on one workspace module; ctrl+s saves
(atomically), escape closes and asks first about unsaved changes."""
from __future__ import annotations

from test_app_support import asynctest, fresh_workspace, host
from textual.app import App
from textual.widgets import TextArea

from tutor.app.screens.confirm import ConfirmScreen
from tutor.app.screens.editor import EditorScreen


class Host(App):
    CSS_PATH = host(None).CSS_PATH

    def __init__(self, path):
        super().__init__()
        self.path = path
        self.closed_with = "open"

    def on_mount(self) -> None:
        def closed(saved):
            self.closed_with = saved

        self.push_screen(EditorScreen(self.path, function="affine_backward"), closed)


@asynctest
async def test_opens_at_the_function_saves_and_closes(tmp_path):
    path = fresh_workspace(tmp_path) / "layers.py"
    app = Host(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        editor = app.screen.query_one(TextArea)
        row = editor.cursor_location[0]
        assert editor.document.get_line(row).startswith("def affine_backward(")
        editor.insert("# mine\n", (0, 0))
        await pilot.press("ctrl+s")
        assert path.read_text().startswith("# mine\n")
        await pilot.press("escape")
        await pilot.pause()
        assert app.closed_with is True


@asynctest
async def test_unsaved_changes_are_asked_about(tmp_path):
    path = fresh_workspace(tmp_path) / "layers.py"
    before = path.read_text()
    app = Host(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.screen.query_one(TextArea).insert("oops", (0, 0))
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")                      # discard
        await pilot.pause()
        assert app.closed_with is False and path.read_text() == before
    app = Host(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.screen.query_one(TextArea).insert("# kept\n", (0, 0))
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("y")                      # save
        await pilot.pause()
        assert app.closed_with is True and path.read_text() == "# kept\n" + before
