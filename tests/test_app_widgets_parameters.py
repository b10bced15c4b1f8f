"""tutor/app/widgets/parameters.py: layer sizes in, parameters and memory out; VGG16."""
from __future__ import annotations

import pytest
from test_app_support import asynctest, host, settle, text_of
from textual.widgets import DataTable, Input, Select

from tutor.app.widgets.parameters import PRESETS, VGG16, ParamCounter, parse_sizes


def test_presets_match_the_playground():
    from tutor.playground.parameters import PRESETS as PLAYGROUND_PRESETS

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


@asynctest
async def test_vgg16_shows_every_layer_with_a_running_total_at_120x40(tmp_path):
    """In the real app: the whole table is laid out in the Play tab (which scrolls), the
    running total of the last row is VGG16's 138,357,544."""
    from test_app_support import fresh_workspace, make_app, wait_until

    from tutor.app.widgets.parameters import ParamCounter

    app = make_app(fresh_workspace(tmp_path), warm_up=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.screen.show_lesson("parameters")
        await pilot.press("2")
        counter = app.screen.query_one(ParamCounter)
        assert await wait_until(pilot, lambda: counter.data is not None, timeout=60)
        counter.query_one("#preset", Select).value = VGG16
        await settle(pilot)
        table = counter.query_one(DataTable)
        last = table.get_row_at(table.row_count - 1)
        assert str(last[0]) == "fc8" and str(last[3]) == "138,357,544"
        assert table.row_count == 21 and table.region.height >= table.row_count + 1   # no inner scroll
        assert table.max_scroll_y == 0
