"""tutor/app/widgets/deeper.py: plain against residual gradients; transfer learning."""
from __future__ import annotations

from test_app_support import asynctest, host, settle, text_of
from textual.widgets import Input

from tutor.app.widgets.deeper import ResidualPlay, TransferPlay


@asynctest
async def test_plain_and_residual_bars():
    widget = ResidualPlay()
    async with host(widget).run_test(size=(100, 80)) as pilot:
        await settle(pilot)
        text = text_of(widget.query_one("#residual-bars"))
        assert "plain: first layer / last layer" in text and "residual: first layer / last layer" in text
        widget.query_one("#depth", Input).value = "0"
        await settle(pilot)
        assert "from 1 to 60" in text_of(widget.query_one(".play-error"))


@asynctest
async def test_transfer_accuracies_side_by_side():
    widget = TransferPlay()
    async with host(widget).run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        text = text_of(widget.query_one("#transfer"))
        assert "frozen features + new head" in text and "from scratch" in text
        assert "(25 in all)" in text
