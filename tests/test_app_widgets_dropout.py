"""tutor/app/widgets/dropout.py: inverted dropout keeps the mean; penalties and gradients."""
from __future__ import annotations

from test_app_support import asynctest, host, settle, text_of
from textual.widgets import Input

from tutor.app.widgets.dropout import DropoutPlay


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
