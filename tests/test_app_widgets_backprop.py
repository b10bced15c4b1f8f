"""tutor/app/widgets/backprop.py: f = (x + y)·z, forward values, then the gradients
node by node with s; b steps back, 0 restarts; x, y, z are editable."""
from __future__ import annotations

from test_app_support import asynctest, host, settle, text_of
from textual.widgets import Input

from tutor.app.widgets.backprop import BackpropGraph, draw_graph


@asynctest
async def test_forward_then_gradients_step_by_step():
    widget = BackpropGraph()
    app = host(widget)
    async with app.run_test(size=(80, 30)) as pilot:
        await settle(pilot)
        graph = text_of(widget.query_one("#graph"))
        assert "q = 3" in graph and "f = -12" in graph and "∂f" not in graph
        widget.focus()
        await pilot.press("s")
        assert "∂f/∂f = 1" in text_of(widget.query_one("#graph"))
        await pilot.press("s", "s")
        graph = text_of(widget.query_one("#graph"))
        assert "∂f/∂q = -4" in graph and "∂f/∂z = 3" in graph and "∂f/∂x" not in graph
        await pilot.press("s", "s", "s")          # one more than there are steps: stays done
        graph = text_of(widget.query_one("#graph"))
        assert "∂f/∂x = -4" in graph and "∂f/∂y = -4" in graph
        assert "Done" in text_of(widget.query_one("#working"))
        assert widget.step == 5
        await pilot.press("b")
        assert widget.step == 4 and "∂f/∂y" not in text_of(widget.query_one("#graph"))
        await pilot.press("0")
        assert widget.step == 0


@asynctest
async def test_editing_x_y_z_recomputes_and_bad_input_is_explained():
    widget = BackpropGraph()
    app = host(widget)
    async with app.run_test(size=(80, 30)) as pilot:
        await settle(pilot)
        await pilot.click("#x")
        await pilot.press("end", "backspace", "backspace", "3")     # typing: digits go into the box
        await settle(pilot)
        assert "f = -32" in text_of(widget.query_one("#graph"))
        await pilot.press("escape", "s", "s")               # escape leaves the box
        assert widget.step == 2
        widget.query_one("#z", Input).value = "-"
        await settle(pilot)
        error = widget.query_one(".play-error")
        assert error.display and "z must be a number" in text_of(error)
        widget.query_one("#z", Input).value = "2"
        await settle(pilot)
        assert not error.display and "f = 16" in text_of(widget.query_one("#graph"))


@asynctest
async def test_buttons_step_by_mouse():
    widget = BackpropGraph()
    app = host(widget)
    async with app.run_test(size=(80, 30)) as pilot:
        await settle(pilot)
        for button, step in (("#step", 1), ("#step", 2), ("#back", 1), ("#restart", 0)):
            await pilot.click(button)
            await pilot.pause(0.3)      # a button ignores clicks during its 0.2 s press effect
            assert widget.step == step


def test_draw_graph_fits_in_50_columns():
    from tutor.playground.backprop import xyz_graph

    graph = xyz_graph(-2, 5, -4)
    text = draw_graph(graph, len(graph.backward))
    assert max(len(line) for line in str(text).splitlines()) <= 50
