"""tutor/app/widgets/rnn.py: step through a₁, h₁, y₁ with the lecture's matrices."""
from __future__ import annotations

from test_app_support import asynctest, host, settle, text_of
from textual.widgets import Select

from tutor.app.widgets.rnn import RnnStepper


@asynctest
async def test_steps_reach_the_lecture_numbers():
    widget = RnnStepper()
    app = host(widget)
    async with app.run_test(size=(80, 30)) as pilot:
        await settle(pilot)
        assert "0.6  0.8  0.4  0.8" in text_of(widget.query_one("#wx"))
        widget.focus()
        await pilot.press("s")
        assert "a₁ = (0.60, 0.20, 0.90)" in text_of(widget.query_one("#steps"))
        await pilot.press("s")
        assert "h₁ = (0.54, 0.20, 0.72)" in text_of(widget.query_one("#steps"))
        await pilot.press("s", "s")
        steps = text_of(widget.query_one("#steps"))
        assert "y₁ = (0.32, 0.21, 0.24, 0.22)" in steps and "most likely" in steps
        await pilot.press("b")
        assert "y₁ =" not in text_of(widget.query_one("#steps"))
        await pilot.press("0")
        assert "a₁ =" not in text_of(widget.query_one("#steps"))


@asynctest
async def test_another_input_symbol():
    widget = RnnStepper()
    app = host(widget)
    async with app.run_test(size=(80, 30)) as pilot:
        await settle(pilot)
        widget.query_one("#symbol", Select).value = 2
        await settle(pilot)
        widget.focus()
        await pilot.press("s")
        assert "a₁ = (0.40, 0.80, 0.10)" in text_of(widget.query_one("#steps"))


@asynctest
async def test_h0_can_be_set_and_h1_carried_over_for_a_second_step():
    import numpy as np

    from textual.widgets import Input

    from tutor import worked_examples as we

    widget = RnnStepper()
    app = host(widget)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        h1 = widget.data.h1
        await pilot.click("#carry")
        await settle(pilot)
        assert widget.query_one("#h0", Input).value == ", ".join(f"{v:.3f}" for v in h1)
        expected = we.RNN_WX[:, 0] + we.RNN_WH @ np.round(h1, 3)   # a₂ = Wₓx₂ + Wₕh₁
        widget.focus()
        await pilot.press("s")
        steps = text_of(widget.query_one("#steps"))
        assert "a₁ = (" + ", ".join(f"{v:.2f}" for v in expected) + ")" in steps
        widget.query_one("#h0", Input).value = "1, two"
        await settle(pilot)
        assert "h₀ needs 3 numbers" in text_of(widget.query_one(".play-error"))
