"""tutor/app/widgets/practice.py: schedules, mini-batch noise, shallow against deep."""
from __future__ import annotations

from test_app_support import asynctest, host, settle, text_of
from textual.widgets import Input

from tutor.app.widgets.practice import BatchNoisePlay, SchedulesPlay, ShallowDeepPlay


@asynctest
async def test_schedules_are_plotted_and_checked():
    widget = SchedulesPlay()
    async with host(widget).run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        plot = text_of(widget.query_one("#schedules"))
        assert "step decay" in plot and "exponential decay" in plot
        assert widget.data.step[10] == 0.05
        widget.query_one("#every", Input).value = "2.5"
        await settle(pilot)
        assert "whole number" in text_of(widget.query_one(".play-error"))


@asynctest
async def test_batch_sizes_side_by_side():
    widget = BatchNoisePlay()
    async with host(widget).run_test(size=(100, 60)) as pilot:
        await settle(pilot)
        widget.query_one("#epochs", Input).value = "1"
        await settle(pilot)
        text = text_of(widget.query_one("#batches"))
        assert "batches of 1: 300 steps per epoch" in text and "the full set: 1 steps" in text


@asynctest
async def test_shallow_and_deep_sizes_are_shown():
    widget = ShallowDeepPlay()
    async with host(widget).run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        widget.query_one("#steps", Input).value = "10"
        await settle(pilot)
        text = text_of(widget.query_one("#shallow-deep"))
        assert "4–8–1" in text and "40 weights (49 with biases)" in text
        assert "4–4–2–2–1" in text and "30 weights (39 with biases)" in text
