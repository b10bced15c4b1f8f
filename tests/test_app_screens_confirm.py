"""tutor/app/screens/confirm.py: yes with y or the button; no with n, escape or the button."""
from __future__ import annotations

import pytest
from test_app_support import asynctest
from textual.app import App

from tutor.app.screens.confirm import ConfirmScreen


class Host(App):
    def __init__(self):
        super().__init__()
        self.answers = []

    def on_mount(self):
        self.ask()

    def ask(self):
        self.push_screen(ConfirmScreen("Really?"), self.answers.append)


@pytest.mark.parametrize("keys, answer", [(("y",), True), (("n",), False), (("escape",), False),
                                          (("enter",), False)])
@asynctest
async def test_keys_answer(keys, answer):
    app = Host()
    async with app.run_test() as pilot:
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        assert "Really?" in str(app.screen.query_one("#confirm-question").render())
        await pilot.press(*keys)     # enter presses the focused button: No, the safe one
        await pilot.pause()
        assert app.answers == [answer]
        assert not isinstance(app.screen, ConfirmScreen)


@pytest.mark.parametrize("button, answer", [("#yes", True), ("#no", False)])
@asynctest
async def test_buttons_answer(button, answer):
    app = Host()
    async with app.run_test() as pilot:
        await pilot.pause()
        await pilot.click(button)
        await pilot.pause()
        assert app.answers == [answer]
