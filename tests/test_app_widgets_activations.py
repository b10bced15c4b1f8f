"""tutor/app/widgets/activations.py: each activation beside its derivative; the gradient norm
per layer on a log scale."""
from __future__ import annotations

import re

import pytest
from test_app_support import asynctest, host, settle, text_of, wait_until
from textual.widgets import Input, Select

from tutor.app.widgets.activations import NAMES, ActivationPlot, VanishingGradients


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


@asynctest
async def test_sigmoid_vanishes_and_relu_with_xavier_does_not():
    widget = VanishingGradients()
    app = host(widget)
    async with app.run_test(size=(90, 40)) as pilot:
        await settle(pilot)
        bars = text_of(widget.query_one("#bars"))
        assert "sigmoid, N(0, 1), 8 layers" in bars
        assert len([line for line in bars.splitlines() if re.match(r"\s*\d+ ", line)]) == 8
        assert "first layer / last layer" in bars
        sigmoid_ratio = widget.data.first_over_last
        widget.query_one("#activation", Select).value = "relu"
        widget.query_one("#init", Select).value = "xavier"
        await settle(pilot)
        assert widget.data.activation == "relu" and widget.data.init == "xavier"
        assert "relu, Xavier" in text_of(widget.query_one("#bars"))
        assert widget.data.first_over_last > sigmoid_ratio


@asynctest
async def test_depth_is_typed_and_checked():
    widget = VanishingGradients()
    app = host(widget)
    async with app.run_test(size=(90, 50)) as pilot:
        await settle(pilot)
        widget.query_one("#depth", Input).value = "20"
        await settle(pilot)
        assert len(widget.data.norms) == 20
        widget.query_one("#depth", Input).value = "0"
        await settle(pilot)
        assert "between 1 and" in text_of(widget.query_one(".play-error"))
        assert len(widget.data.norms) == 20       # the last good chart stays
