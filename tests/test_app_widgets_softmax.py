"""tutor/app/widgets/softmax.py: the naive softmax overflows, the shifted one does not."""
from __future__ import annotations

from test_app_support import asynctest, host, settle, text_of
from textual.widgets import Input

from tutor.app.widgets.softmax import SoftmaxPlay


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
