"""tutor/app/widgets/training.py: gradient descent on XOR, the loss as a sparkline."""
from __future__ import annotations

from test_app_support import asynctest, host, settle, text_of
from textual.widgets import Input, Sparkline

from tutor.app.widgets.training import TrainingPlay


@asynctest
async def test_learning_rate_changes_the_run():
    widget = TrainingPlay()
    app = host(widget)
    async with app.run_test(size=(80, 30)) as pilot:
        await settle(pilot)
        assert widget.data.solved and "Solved." in text_of(widget.query_one("#result"))
        assert len(widget.query_one(Sparkline).data) > 50
        widget.query_one("#lr", Input).value = "0.001"
        await settle(pilot)
        assert not widget.data.solved and "Not solved" in text_of(widget.query_one("#result"))
        widget.query_one("#epochs", Input).value = "lots"
        await settle(pilot)
        assert "whole number" in text_of(widget.query_one(".play-error"))
