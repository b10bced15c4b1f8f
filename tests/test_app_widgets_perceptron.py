"""tutor/app/widgets/perceptron.py: AND/OR settle, XOR never does; the boundary is drawn."""
from __future__ import annotations

from test_app_support import asynctest, host, settle, text_of
from textual.widgets import Select

from tutor.app.widgets.perceptron import PerceptronPlay


@asynctest
async def test_and_settles_step_by_step():
    widget = PerceptronPlay()
    app = host(widget)
    async with app.run_test(size=(80, 30)) as pilot:
        await settle(pilot)
        widget.focus()
        assert "w = (0, 0), b = 0" in text_of(widget.query_one("#state"))
        await pilot.press("s")
        state = text_of(widget.query_one("#state"))
        assert "epoch 1, sample 1/4" in state and "x = (0, 0)" in state
        grid_before = text_of(widget.query_one("#grid"))
        await pilot.click("#end")
        await pilot.pause()
        state = text_of(widget.query_one("#state"))
        assert "Settled" in state
        grid = text_of(widget.query_one("#grid"))
        assert "✗" not in grid and "░" in grid and grid != grid_before
        await pilot.press("b")
        assert widget.step == widget.steps_total() - 1
        await pilot.press("0")
        assert widget.step == 0


@asynctest
async def test_xor_never_settles():
    widget = PerceptronPlay()
    app = host(widget)
    async with app.run_test(size=(80, 30)) as pilot:
        await settle(pilot)
        widget.query_one("#gate", Select).value = "XOR"
        await settle(pilot)
        await pilot.click("#end")
        await pilot.pause()
        assert "Never settles" in text_of(widget.query_one("#state"))
        assert "✗" in text_of(widget.query_one("#grid"))


@asynctest
async def test_each_step_shows_the_mistakes_so_far_in_the_epoch():
    widget = PerceptronPlay()
    app = host(widget)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        widget.focus()
        states = widget.data[1]
        for step in range(1, 9):
            await pilot.press("s")
            expected = states[step - 1].errors_in_epoch
            unit = "mistake" if expected == 1 else "mistakes"
            assert f"{expected} {unit} so far this epoch" in text_of(widget.query_one("#state"))
        assert any(s.errors_in_epoch for s in states[:8])
