"""tutor/app/widgets/playground.py: compute in a worker thread, show on the main thread,
explain errors, escape leaves a text box."""
from __future__ import annotations

import threading

from test_app_support import asynctest, host, settle, text_of
from textual.widgets import Input, Static

from tutor.app.widgets.playground import Playground, StepperPlayground


class Echo(StepperPlayground):
    def compose(self):
        yield Input("1", id="n")
        yield self.error_line()
        yield Static(id="out")

    def params(self):
        return {"n": int(self.query_one("#n", Input).value)}

    def compute(self, n):
        if n < 0:
            raise RuntimeError("negative!")
        return n, threading.current_thread() is threading.main_thread()

    def on_input_changed(self, event):
        self.recompute()

    def steps_total(self):
        return 3

    def show(self, data):
        self.show_step()

    def show_step(self):
        self.query_one("#out", Static).update(f"{self.data[0]} step {self.step}")


@asynctest
async def test_compute_runs_off_the_main_thread_and_errors_are_shown():
    widget = Echo()
    app = host(widget)
    async with app.run_test() as pilot:
        await settle(pilot)
        assert widget.data == (1, False)
        widget.query_one("#n", Input).value = "-1"
        await settle(pilot)
        assert "negative!" in text_of(widget.query_one(".play-error"))
        widget.query_one("#n", Input).value = "x"
        await settle(pilot)
        assert "invalid literal" in text_of(widget.query_one(".play-error"))
        widget.query_one("#n", Input).value = "7"
        await settle(pilot)
        assert not widget.query_one(".play-error").display
        assert text_of(widget.query_one("#out")) == "7 step 0"


@asynctest
async def test_stepper_keys_and_escape():
    widget = Echo()
    app = host(widget)
    async with app.run_test() as pilot:
        await settle(pilot)
        widget.query_one("#n", Input).focus()
        await pilot.press("s")                  # typed into the box, not a step
        assert widget.step == 0
        await pilot.press("escape")
        assert app.focused is widget
        await pilot.press("s", "s", "s", "s")
        assert widget.step == 3
        await pilot.press("b")
        assert widget.step == 2
        await pilot.press("0")
        assert widget.step == 0


def test_playground_base_is_abstract_enough():
    assert Playground.params(Playground()) == {}
