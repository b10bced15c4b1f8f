"""tutor/app/widgets/activation_plot.py: each activation beside its derivative."""
from __future__ import annotations

import pytest
from test_app_support import asynctest, host, settle, text_of, wait_until
from textual.widgets import Select

from tutor.app.widgets.activation_plot import NAMES, ActivationPlot


@pytest.mark.parametrize("name", NAMES)
@asynctest
async def test_every_activation_is_plotted_with_its_derivative(name):
    widget = ActivationPlot()
    app = host(widget)
    async with app.run_test(size=(80, 30)) as pilot:
        await settle(pilot)
        widget.query_one("#function", Select).value = name
        await settle(pilot)
        curve = text_of(widget.query_one("#curve"))
        derivative = text_of(widget.query_one("#derivative"))
        assert f"{name}(z)" in curve and f"{name}′(z)" in derivative
        assert curve.count("•") > 10 and derivative.count("•") > 10
        if name == "sigmoid":
            assert "0.25" in text_of(widget.query_one("#formulas"))


@asynctest
async def test_plots_grow_with_the_terminal():
    widget = ActivationPlot()
    app = host(widget)
    async with app.run_test(size=(80, 30)) as pilot:
        await settle(pilot)
        narrow = max(map(len, text_of(widget.query_one("#curve")).splitlines()))
        await pilot.resize_terminal(140, 30)
        await settle(pilot)
        assert await wait_until(
            pilot, lambda: max(map(len, text_of(widget.query_one("#curve")).splitlines())) > narrow)
