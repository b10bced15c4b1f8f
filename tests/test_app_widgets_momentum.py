"""tutor/app/widgets/momentum.py: plain descent and momentum in a ravine."""
from __future__ import annotations

import numpy as np
from test_app_support import asynctest, host, settle, text_of
from textual.widgets import Input

from tutor.app.widgets.momentum import MomentumPlay, draw_paths


def test_draw_paths_marks_both_and_the_minimum():
    sgd = np.array([[-10.0, 1.0], [-5.0, 0.5], [-1.0, 0.0]])
    mom = np.array([[-10.0, 1.0], [-3.0, -0.5], [0.5, 0.1]])
    text = str(draw_paths(sgd, mom, width=20, height=6))
    assert "s" in text and "m" in text and "★" in text


@asynctest
async def test_momentum_arrives_sooner_and_mu_zero_is_plain_descent():
    widget = MomentumPlay()
    app = host(widget)
    async with app.run_test(size=(80, 30)) as pilot:
        await settle(pilot)
        assert "momentum gets further" in text_of(widget.query_one("#costs"))
        widget.query_one("#mu", Input).value = "0"
        await settle(pilot)
        assert np.allclose(widget.data.sgd, widget.data.momentum)
        widget.query_one("#steps", Input).value = "0"
        await settle(pilot)
        assert "steps between" in text_of(widget.query_one(".play-error"))
