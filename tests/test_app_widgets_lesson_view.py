"""tutor/app/widgets/lesson_view.py: every lesson's Markdown, ending with its exercises."""
from __future__ import annotations

from test_app_support import asynctest, fresh_workspace, make_app, settle, wait_until
from textual.widgets import Markdown

from tutor import lessons
from tutor.app.widgets.lesson_view import LessonView, lesson_body, plain_fences
from tutor.lessons import LESSONS


def test_plain_fences_marks_only_opening_bare_fences():
    text = "a\n```\ncode\n```\nb\n```python\nx\n```\n"
    assert plain_fences(text) == "a\n```text\ncode\n```\nb\n```python\nx\n```\n"


def test_every_lesson_has_a_body():
    for lesson in LESSONS:
        body = lesson_body(lesson.id)
        assert body.strip(), lesson.id


def markdown_source(widget: Markdown) -> str:
    return widget.source


@asynctest
async def test_every_lesson_is_shown_and_ends_with_its_exercises(tmp_path):
    app = make_app(fresh_workspace(tmp_path))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        view = app.screen.query_one(LessonView)
        for lesson in LESSONS:
            app.screen.show_lesson(lesson.id)
            await settle(pilot)
            text = view.query_one("#lesson-text", Markdown)
            exercises = view.query_one("#lesson-exercises", Markdown)
            assert markdown_source(text) == lesson_body(lesson.id)
            assert markdown_source(exercises).startswith(lessons.EXERCISES_HEADING)
            for exercise in lessons.exercises_for(lesson.id):
                assert exercise.id in markdown_source(exercises)
            # the exercises come after the lesson, at the end of the scroll
            assert await wait_until(pilot, lambda: exercises.virtual_region.y > text.virtual_region.y)
        view.focus()
        await pilot.press("end")
        assert await wait_until(pilot, lambda: view.scroll_y == view.max_scroll_y > 0)


@asynctest
async def test_exercises_wait_for_the_manifest(tmp_path):
    app = make_app(fresh_workspace(tmp_path), warm_up=False)
    async with app.run_test() as pilot:
        await settle(pilot)
        view = app.screen.query_one(LessonView)
        view.show(LESSONS[5].id, False)        # a lesson opened before the manifest loads
        await pilot.pause()
        assert "Loading" in view.query_one("#lesson-exercises", Markdown).source
        view.show(LESSONS[5].id, True)
        await pilot.pause()
        assert view.with_exercises
        assert "rnn.rnn_step_forward" in view.query_one("#lesson-exercises", Markdown).source
