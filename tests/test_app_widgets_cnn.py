"""tutor/app/widgets/cnn.py: kernels on a digit drawn in shades, and max pooling."""
from __future__ import annotations

import pytest
from test_app_support import asynctest, host, settle, text_of
from textual.widgets import Checkbox, Select

from tutor.app.widgets.cnn import KERNELS, ConvolutionPlay


@pytest.mark.parametrize("kernel", KERNELS)
@asynctest
async def test_each_kernel_filters_the_digit(kernel):
    widget = ConvolutionPlay()
    app = host(widget)
    async with app.run_test(size=(80, 40)) as pilot:
        await settle(pilot)
        widget.query_one("#kernel", Select).value = kernel
        await settle(pilot)
        image = text_of(widget.query_one("#image")).splitlines()
        filtered = text_of(widget.query_one("#filtered")).splitlines()
        assert image[0] == "digit 12×12" and filtered[0] == f"{kernel} → 10×10"
        assert len(image) == 13 and len(filtered) == 11
        assert "max pool 2×2 → 5×5" in text_of(widget.query_one("#pooled"))
        assert f"{kernel} kernel" in text_of(widget.query_one("#kernel-values"))


@asynctest
async def test_pooling_can_be_switched_off():
    widget = ConvolutionPlay()
    app = host(widget)
    async with app.run_test(size=(80, 40)) as pilot:
        await settle(pilot)
        await pilot.click("#pool")
        await settle(pilot)
        assert not widget.query_one("#pool", Checkbox).value
        assert "pooling off" in text_of(widget.query_one("#pooled"))


@asynctest
async def test_the_digit_pools_to_a_6x6_three():
    from tutor.playground import cnn

    widget = ConvolutionPlay()
    app = host(widget)
    async with app.run_test(size=(80, 40)) as pilot:
        await settle(pilot)
        pooled = text_of(widget.query_one("#pooled-digit")).splitlines()
        assert pooled[0] == "max pool 2×2 → 6×6"
        assert pooled[1:7] == cnn.render_shades(cnn.max_pool(cnn.DIGIT_3, 2)).splitlines()
        assert len(pooled[1:7]) == 6
