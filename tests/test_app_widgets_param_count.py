"""tutor/app/widgets/param_count.py: layer sizes in, parameters and memory out; VGG16."""
from __future__ import annotations

import pytest
from test_app_support import asynctest, host, settle, text_of
from textual.widgets import DataTable, Input, Select

from tutor.app.widgets.param_count import PRESETS, VGG16, ParamCounter, parse_sizes


def test_presets_match_the_playground():
    from tutor.playground.params import PRESETS as PLAYGROUND_PRESETS

    assert PRESETS == PLAYGROUND_PRESETS


def test_parse_sizes():
    assert parse_sizes("10, 25 25-1") == (10, 25, 25, 1)
    for bad in ("10", "a, b", "10, 0"):
        with pytest.raises(ValueError):
            parse_sizes(bad)


@asynctest
async def test_typing_sizes_counts_parameters_and_memory():
    widget = ParamCounter()
    app = host(widget)
    async with app.run_test(size=(80, 30)) as pilot:
        await settle(pilot)
        assert "951 parameters" in text_of(widget.query_one("#total"))
        await pilot.click("#sizes")
        await pilot.press("end", *["backspace"] * 20, *"10, 2, 1")
        await settle(pilot)
        total = text_of(widget.query_one("#total"))
        assert "25 parameters" in total and "float32" in total and "float64" in total
        assert widget.query_one(DataTable).row_count == 2


@asynctest
async def test_presets_and_vgg16_layer_by_layer():
    widget = ParamCounter()
    app = host(widget)
    async with app.run_test(size=(80, 40)) as pilot:
        await settle(pilot)
        widget.query_one("#preset", Select).value = "100×100×3 image → 1000 → 10"
        await settle(pilot)
        assert widget.query_one("#sizes", Input).value == "30000, 1000, 10"
        total = text_of(widget.query_one("#total"))
        assert "30,011,010 parameters" in total and "120.0 MB" in total
        widget.query_one("#preset", Select).value = VGG16
        await settle(pilot)
        assert "138,357,544 parameters" in text_of(widget.query_one("#total"))
        table = widget.query_one(DataTable)
        names = [str(table.get_row_at(i)[0]) for i in range(table.row_count)]
        assert names[0] == "conv1_1" and names[-1] == "fc8" and "pool5" in names
