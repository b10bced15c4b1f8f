"""tutor/app/widgets/unsupervised.py: 2-D codes drawn as digits, next to PCA."""
from __future__ import annotations

import numpy as np
from test_app_support import asynctest, host, settle, text_of
from textual.widgets import Input

from tutor.app.widgets.unsupervised import AutoencoderPlay, scatter


def test_scatter_draws_each_point_as_its_digit():
    text = str(scatter(np.array([[0.0, 0.0], [1.0, 1.0]]), np.array([3, 7]), width=10, height=4))
    lines = text.splitlines()
    assert lines[0].rstrip().endswith("7") and lines[-1].startswith("3")


@asynctest
async def test_codes_and_errors_are_shown():
    widget = AutoencoderPlay()
    async with host(widget).run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        widget.query_one("#steps", Input).value = "20"
        await settle(pilot)
        assert widget.data.steps == 20
        assert any(ch.isdigit() for ch in text_of(widget.query_one("#codes")))
        assert "PCA" in text_of(widget.query_one("#errors"))
