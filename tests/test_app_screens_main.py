"""tutor/app/screens/main.py: the lesson list, the three tabs and their keys, by keyboard
and by mouse, in 80×24."""
from __future__ import annotations

from test_app_support import asynctest, fresh_workspace, make_app, settle, wait_until
from textual.widgets import TabbedContent

from tutor.app.widgets.exercise_panel import ExercisePanel
from tutor.app.widgets.lesson_list import LessonList
from tutor.app.widgets.lesson_view import LessonView
from tutor.app.widgets.play_area import PlayArea
from tutor.app.widgets.playground import Playground
from tutor.lessons import LESSONS


@asynctest
async def test_starts_on_the_first_lesson_with_the_list_focused(tmp_path):
    app = make_app(fresh_workspace(tmp_path), warm_up=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert app.state.lesson_id == LESSONS[0].id
        assert isinstance(app.focused, LessonList)
        assert screen.sub_title.startswith("1. ")
        assert screen.query_one(TabbedContent).active == "lesson"
        # everything fits in 80×24: the list and the tabs are side by side on screen
        sidebar, tabs = screen.query_one(LessonList), screen.query_one(TabbedContent)
        assert sidebar.region.right <= tabs.region.x and tabs.region.right <= 80


@asynctest
async def test_number_keys_switch_tabs(tmp_path):
    app = make_app(fresh_workspace(tmp_path), warm_up=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        tabs = app.screen.query_one(TabbedContent)
        await pilot.press("2")
        await settle(pilot)
        assert tabs.active == "play"
        assert isinstance(app.focused, Playground)
        await pilot.press("3")
        assert tabs.active == "exercises"
        assert app.focused is app.screen.query_one(ExercisePanel).query_one("DataTable")
        await pilot.press("1")
        assert tabs.active == "lesson"
        assert isinstance(app.focused, LessonView)


@asynctest
async def test_brackets_go_to_the_next_and_previous_lesson(tmp_path):
    app = make_app(fresh_workspace(tmp_path), warm_up=False)
    async with app.run_test() as pilot:
        await settle(pilot)
        await pilot.press("right_square_bracket")
        assert app.state.lesson_id == LESSONS[1].id
        await pilot.press("right_square_bracket", "right_square_bracket")
        assert app.state.lesson_id == LESSONS[3].id
        await pilot.press("left_square_bracket")
        assert app.state.lesson_id == LESSONS[2].id
        for _ in range(20):
            await pilot.press("left_square_bracket")
        assert app.state.lesson_id == LESSONS[0].id
        for _ in range(20):
            await pilot.press("right_square_bracket")
        assert app.state.lesson_id == LESSONS[-1].id


@asynctest
async def test_the_list_opens_a_lesson_with_arrows_and_enter(tmp_path):
    app = make_app(fresh_workspace(tmp_path), warm_up=False)
    async with app.run_test() as pilot:
        await settle(pilot)
        await pilot.press("down", "down")
        assert app.state.lesson_id == LESSONS[0].id   # moving is not opening
        await pilot.press("enter")
        await settle(pilot)
        assert app.state.lesson_id == LESSONS[2].id
        assert app.screen.query_one(LessonView).lesson_id == LESSONS[2].id


@asynctest
async def test_mouse_opens_a_lesson_and_a_tab(tmp_path):
    app = make_app(fresh_workspace(tmp_path), warm_up=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        sidebar = app.screen.query_one(LessonList)
        # titles wrap in the list: click on the row where lesson 5's number is drawn
        rows = [strip.text for strip in sidebar.render_lines(sidebar.region.reset_offset)]
        row = next(y for y, text in enumerate(rows) if text.lstrip("│ ").startswith("5."))
        await pilot.click(LessonList, offset=(5, row))
        await settle(pilot)
        assert app.state.lesson_id == LESSONS[4].id
        assert sidebar.highlighted == 4
        await pilot.click("#tabs Tab#--content-tab-exercises")
        await settle(pilot)
        assert app.screen.query_one(TabbedContent).active == "exercises"


@asynctest
async def test_ctrl_b_hides_and_shows_the_lesson_list(tmp_path):
    app = make_app(fresh_workspace(tmp_path), warm_up=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        sidebar = app.screen.query_one(LessonList)
        width = app.screen.query_one(TabbedContent).region.width
        await pilot.press("ctrl+b")
        assert not sidebar.display
        tabs = app.screen.query_one(TabbedContent)
        assert await wait_until(pilot, lambda: tabs.region.width == 80 > width)
        await pilot.press("ctrl+b")
        assert sidebar.display


@asynctest
async def test_changing_lesson_updates_every_part(tmp_path):
    app = make_app(fresh_workspace(tmp_path))
    async with app.run_test() as pilot:
        await settle(pilot)
        await pilot.press("2")
        app.screen.show_lesson("cnn")
        await settle(pilot)
        assert app.screen.query_one(PlayArea).mounted_for == "cnn"
        assert app.screen.query_one(ExercisePanel).lesson_id == "cnn"
        assert app.screen.query_one(LessonView).lesson_id == "cnn"
        assert "Convolution" in app.screen.sub_title


@asynctest
async def test_stepper_keys_work_the_first_time_after_changing_lessons(tmp_path):
    """The keys a playground names (s, b, 0) work on the first open of its tab, however
    fast they follow `]` and `2`; from the Play tab, `]` keeps the focus in the playground."""
    from tutor.app.widgets.backprop import BackpropGraph
    from tutor.app.widgets.rnn import RnnStepper

    app = make_app(fresh_workspace(tmp_path), warm_up=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("right_square_bracket", "2")      # backprop, its playground at once
        graph = app.screen.query_one(BackpropGraph)
        assert await wait_until(pilot, lambda: graph.data is not None, timeout=60)
        assert app.focused is graph
        await pilot.press("s", "s")
        assert graph.step == 2
        await pilot.press("b")
        assert graph.step == 1
        await pilot.press("0")
        assert graph.step == 0
        for _ in range(4):                                  # to the RNN lesson, Play tab open
            await pilot.press("right_square_bracket")
        assert app.state.lesson_id == "rnn"
        await pilot.pause()
        rnn = app.screen.query_one(RnnStepper)
        assert await wait_until(pilot, lambda: app.focused is rnn)
        await pilot.press("3")                              # a digit right after `]` switches tabs
        assert app.screen.query_one(TabbedContent).active == "exercises"
        await pilot.press("2")
        assert await wait_until(pilot, lambda: rnn.data is not None, timeout=60)
        await pilot.press("s")
        assert rnn.step == 1


@asynctest
async def test_a_key_right_after_a_tab_switch_reaches_the_new_tab(tmp_path):
    from textual.widgets import DataTable

    app = make_app(fresh_workspace(tmp_path))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        sidebar = app.screen.query_one(LessonList)
        table = app.screen.query_one(ExercisePanel).query_one(DataTable)
        await pilot.press("right_square_bracket", "3", "down")     # no pause in between
        await settle(pilot)
        assert app.state.lesson_id == LESSONS[1].id and sidebar.highlighted == 1
        assert app.focused is table and table.cursor_row == 1
        await pilot.press("1", "end")
        view = app.screen.query_one(LessonView)
        assert await wait_until(pilot, lambda: view.scroll_y == view.max_scroll_y > 0)


@asynctest
async def test_the_lesson_list_shows_progress_after_a_check(tmp_path):
    from test_app_support import fixed_backprop

    workspace = fresh_workspace(tmp_path)
    fixed_backprop(workspace)
    app = make_app(workspace)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        sidebar = app.screen.query_one(LessonList)
        def prompt() -> str:
            import io

            from rich.console import Console

            console = Console(width=200, record=True, file=io.StringIO())
            console.print(sidebar.get_option("backprop").prompt)
            return console.export_text()

        assert await wait_until(pilot, lambda: "✓0/2" in prompt(), timeout=60)
        app.screen.show_lesson("backprop")
        await pilot.press("c")
        assert await wait_until(pilot, lambda: "✓2/2" in prompt(), timeout=60)
