"""tutor/app/widgets/losses.py: the naive softmax overflows, the shifted one does not; the
triplet loss on a number line."""
from __future__ import annotations

from test_app_support import asynctest, host, settle, text_of
from textual.widgets import Input

from tutor.app.widgets.losses import SoftmaxPlay, TripletPlay


@asynctest
async def test_large_logits_overflow_only_the_naive_softmax():
    widget = SoftmaxPlay()
    app = host(widget)
    async with app.run_test(size=(80, 30)) as pilot:
        await settle(pilot)
        text = text_of(widget.query_one("#softmax"))
        assert "(nan, nan, nan)" in text and "overflowed" in text
        assert "(0.665, 0.245, 0.09)" in text and "cross-entropy" in text
        widget.query_one("#logits", Input).value = "1, 2, 3"
        widget.query_one("#label", Input).value = "2"
        await settle(pilot)
        text = text_of(widget.query_one("#softmax"))
        assert "overflowed" not in text and "label 2" in text
        widget.query_one("#label", Input).value = "7"
        await settle(pilot)
        assert "label must be between" in text_of(widget.query_one(".play-error"))


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
