"""tutor/app/widgets/triplet.py: the triplet loss on a number line."""
from __future__ import annotations

from test_app_support import asynctest, host, settle, text_of
from textual.widgets import Input

from tutor.app.widgets.triplet import TripletPlay


@asynctest
async def test_the_hinge_switches_the_gradient_off():
    widget = TripletPlay()
    async with host(widget).run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        result = text_of(widget.query_one("#triplet-result"))
        assert "still costs" in result and "∂L/∂a" in result
        assert "the loss as the negative moves" in text_of(widget.query_one("#triplet-sweep"))
        widget.query_one("#negative", Input).value = "3"
        await settle(pilot)
        assert "already satisfied" in text_of(widget.query_one("#triplet-result"))
        widget.query_one("#margin", Input).value = "wide"
        await settle(pilot)
        assert "margin must be a number" in text_of(widget.query_one(".play-error"))
