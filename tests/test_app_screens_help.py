"""tutor/app/screens/help.py: the help lists every key from the binding tables."""
from __future__ import annotations

from test_app_support import asynctest, fresh_workspace, make_app, settle, text_of, wait_until

from tutor.app import bindings
from tutor.app.screens.help import HelpScreen, help_rows
from tutor.app.screens.main import MainScreen


def test_help_rows_cover_every_binding_table():
    listed = {key for _title, rows in help_rows() for keys, _text in rows for key in keys.split()}
    for _title, group in bindings.SECTIONS:
        for binding in group:
            assert (binding.key_display or binding.key) in listed
    assert "ctrl+p" in listed


@asynctest
async def test_help_opens_shows_the_keys_and_closes(tmp_path):
    app = make_app(fresh_workspace(tmp_path), warm_up=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        keys = text_of(app.screen.query_one("#help-keys"))
        for needle in ("ctrl+q", "watch mode", "reveal the next hint", "command palette"):
            assert needle in keys
        assert str(app.state.workspace) in text_of(app.screen.query_one("#help-intro"))
        await pilot.press("question_mark")       # ? again closes it
        assert isinstance(app.screen, MainScreen)
        await pilot.press("question_mark")
        await pilot.press("q")
        assert isinstance(app.screen, MainScreen)


@asynctest
async def test_help_closes_on_a_click_outside(tmp_path):
    app = make_app(fresh_workspace(tmp_path), warm_up=False)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await pilot.click(offset=(0, 0))
        assert await wait_until(pilot, lambda: isinstance(app.screen, MainScreen))
