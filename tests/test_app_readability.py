"""Every line of every lesson is readable at 80×24 with the lesson list shown, and every
lesson title reads in full: the lessons come from the registry (tutor.lessons.LESSONS), so
a lesson added later is covered without touching this test.

"Readable" is checked on what Textual draws: each block of the lesson is rendered at the
width it has, and every character of its source text must be among the drawn cells (a
line cut at the edge loses characters), with nothing scrolled out of sight sideways.
"""
from __future__ import annotations

import re

import pytest
from test_app_support import asynctest, fresh_workspace, make_app, settle
from textual.geometry import Region
from textual.widgets import Label, Markdown, OptionList
from textual.widgets.markdown import MarkdownBlock, MarkdownFence

from tutor.app.widgets.lesson_view import LessonView
from tutor.lessons import LESSONS


def drawn_text(widget) -> str:
    """Everything the widget draws at its current size, row by row."""
    width, height = widget.outer_size
    return "\n".join(strip.text for strip in widget.render_lines(Region(0, 0, width, height)))


def squeeze(text: str) -> str:
    """The text without spaces, line breaks and the border's sides: what a wrapped line and
    the same line unwrapped have in common."""
    return re.sub(r"[\s│]+", "", text)


def unreadable(view: LessonView) -> list[str]:
    """The fences whose text is not all drawn, and any block wider than the pane."""
    problems = []
    pane = view.content_region
    for block in view.query(MarkdownBlock):
        if block.region.width and block.region.right > pane.right:
            problems.append(f"{type(block).__name__} runs past the pane: {block.region} > {pane}")
        if block.max_scroll_x > 0:
            problems.append(f"{type(block).__name__} hides {block.max_scroll_x} columns sideways")
    for fence in view.query(MarkdownFence):
        label = fence.query_one(Label)
        shown = squeeze(drawn_text(label))
        missing = [line for line in fence.code.splitlines() if squeeze(line) not in shown]
        problems.extend(f"cut off: {line!r}" for line in missing)
    return problems


@pytest.mark.parametrize("lesson_id", [lesson.id for lesson in LESSONS])
@asynctest
async def test_every_line_of_the_lesson_shows_at_80x24(lesson_id, tmp_path):
    app = make_app(fresh_workspace(tmp_path), warm_up=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.screen.show_lesson(lesson_id)
        await settle(pilot)
        view = app.screen.query_one(LessonView)
        assert app.screen.query_one("#sidebar").display
        assert view.query(MarkdownFence) or lesson_id, "lesson rendered"
        assert unreadable(view) == []


@asynctest
async def test_every_title_reads_in_full_and_all_fit_the_first_screen_at_120x40(tmp_path):
    app = make_app(fresh_workspace(tmp_path), warm_up=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        sidebar = app.screen.query_one("#sidebar", OptionList)
        shown = squeeze(drawn_text(sidebar))
        for number, lesson in enumerate(LESSONS, 1):
            assert squeeze(f"{number}. {lesson.title}") in shown


@asynctest
async def test_every_title_reads_in_full_at_80x24_by_scrolling_the_list(tmp_path):
    app = make_app(fresh_workspace(tmp_path), warm_up=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        sidebar = app.screen.query_one("#sidebar", OptionList)
        for number, lesson in enumerate(LESSONS, 1):
            sidebar.highlighted = number - 1
            await pilot.pause()
            assert squeeze(f"{number}. {lesson.title}") in squeeze(drawn_text(sidebar))


@pytest.mark.parametrize("lesson_id", [lesson.id for lesson in LESSONS])
@asynctest
async def test_every_playground_control_shows_at_80x24(lesson_id, tmp_path):
    """Each text box, choice, checkbox and button of the lesson's playgrounds is on screen
    inside its playground, wide enough to use: a control pushed off the edge is a promise
    the learner cannot take up."""
    from textual.widgets import Button, Checkbox, Input, Select

    from tutor.app.widgets.play_area import PlayArea
    from tutor.app.widgets.playground import Playground

    app = make_app(fresh_workspace(tmp_path), warm_up=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.screen.show_lesson(lesson_id)
        await pilot.press("2")
        await settle(pilot)
        area = app.screen.query_one(PlayArea)
        for playground in area.query(Playground):
            frame = playground.content_region
            for control in playground.query("Input, Select, Checkbox, Button"):
                assert isinstance(control, (Input, Select, Checkbox, Button))
                box = control.region
                where = f"{type(playground).__name__} #{control.id}: {box} in {frame}"
                assert box.width >= 3 and frame.x <= box.x and box.right <= frame.right, where
