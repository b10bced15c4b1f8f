"""tutor/app/tutor.tcss: the focus is always visible, by more than a shade of background.

For each kind of focusable widget in the app, the same widget is drawn focused and not:
the two pictures must differ in more than the background colour (in the characters drawn,
their colour, or bold / underline / reverse).
"""
from __future__ import annotations

from test_app_support import asynctest, fresh_workspace, make_app, settle, wait_until
from textual.widgets import Button, DataTable, Input

from tutor.app.widgets.exercise_panel import ExercisePanel
from tutor.app.widgets.lesson_list import LessonList
from tutor.app.widgets.lesson_view import LessonView
from tutor.app.widgets.playground import Playground


def look(widget, frame) -> list[tuple]:
    """What a cell shows apart from its background: the character, its colour and style,
    for the widget and its frame (the container whose border shows the focus)."""
    cells = []
    for part in (widget, frame):
        for strip in part.render_lines(part.region.reset_offset):
            for segment in strip:
                style = segment.style
                cells.append((segment.text, style and style.color, style and style.bold,
                              style and style.underline, style and style.reverse))
    return cells


async def focused_and_not(pilot, widget, frame=None) -> tuple[list, list]:
    frame = frame or widget
    pilot.app.set_focus(None)
    await pilot.pause()
    before = look(widget, frame)
    widget.focus()
    await pilot.pause()
    assert pilot.app.focused is widget
    return before, look(widget, frame)


@asynctest
async def test_every_kind_of_focus_shows_by_more_than_a_shade(tmp_path):
    app = make_app(fresh_workspace(tmp_path), warm_up=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        screen = app.screen
        for widget in (screen.query_one(LessonList), screen.query_one(LessonView)):
            before, after = await focused_and_not(pilot, widget)
            assert before != after, type(widget).__name__
        screen.show_lesson("backprop")
        await pilot.press("2")
        playground = screen.query_one(Playground)
        assert await wait_until(pilot, lambda: playground.data is not None, timeout=60)
        before, after = await focused_and_not(pilot, playground)
        assert before != after, "playground"
        for control in (playground.query(Input).first(), playground.query(Button).first()):
            before, after = await focused_and_not(pilot, control, playground)
            assert before != after, type(control).__name__
        await pilot.press("escape", "3")
        await settle(pilot)
        panel = screen.query_one(ExercisePanel)
        for widget in (panel.query_one(DataTable), panel.query_one("#check", Button)):
            before, after = await focused_and_not(pilot, widget)
            assert before != after, widget.id
