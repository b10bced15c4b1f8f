"""tutor/app/widgets/regularization.py: inverted dropout keeps the mean; penalties and gradients."""
from __future__ import annotations

from test_app_support import asynctest, host, settle, text_of
from textual.widgets import Input

from tutor.app.widgets.regularization import DropoutPlay


@asynctest
async def test_dropout_rate_training_switch_and_penalties():
    widget = DropoutPlay()
    app = host(widget)
    async with app.run_test(size=(80, 30)) as pilot:
        await settle(pilot)
        units = text_of(widget.query_one("#units"))
        assert "scaled by 2" in units and "·" in units
        assert "ElasticNet" in text_of(widget.query_one("#penalties"))
        widget.query_one("#p", Input).value = "0.9"
        await settle(pilot)
        assert "scaled by 10" in text_of(widget.query_one("#units"))
        await pilot.click("#train")
        await settle(pilot)
        units = text_of(widget.query_one("#units"))
        assert "identity at test time" in units and "·" not in units.splitlines()[1]
        widget.query_one("#p", Input).value = "1.5"
        await settle(pilot)
        assert "p must be in [0, 1)" in text_of(widget.query_one(".play-error"))


@asynctest
async def test_the_penalties_take_any_weights_alpha_and_r():
    from textual.widgets import Input

    widget = DropoutPlay()
    app = host(widget)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        widget.query_one("#w", Input).value = "3, -4"
        widget.query_one("#alpha", Input).value = "0.5"
        widget.query_one("#r", Input).value = "1"
        await settle(pilot)
        penalties = text_of(widget.query_one("#penalties"))
        assert "w = (3, -4), α = 0.5, r = 1" in penalties
        assert "L1         3.5000" in penalties            # 0.5 · (3 + 4)
        assert "L2         6.2500" in penalties            # 0.5 / 2 · (9 + 16)
        assert "ElasticNet 3.5000" in penalties            # r = 1: all L1
        widget.query_one("#r", Input).value = "2"
        await settle(pilot)
        assert "r a number in [0, 1]" in text_of(widget.query_one(".play-error"))
