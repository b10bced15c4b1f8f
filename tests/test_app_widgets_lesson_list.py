"""tutor/app/widgets/lesson_list.py: every lesson, in order; enter or a click opens one."""
from __future__ import annotations

import io

from test_app_support import asynctest, host

from tutor.app.widgets.lesson_list import LessonList
from tutor.lessons import LESSONS


def text_of_prompt(prompt) -> str:
    from rich.console import Console

    console = Console(width=200, record=True, file=io.StringIO())
    console.print(prompt)
    return console.export_text()


class Recorder(LessonList):
    chosen: list[str] = []

    def on_lesson_list_chosen(self, message: LessonList.Chosen) -> None:
        self.chosen.append(message.lesson_id)


@asynctest
async def test_lists_every_lesson_in_order_and_posts_the_choice():
    widget = Recorder(LESSONS[3].id)
    widget.chosen = []
    app = host(widget)
    async with app.run_test(size=(40, 20)) as pilot:
        await pilot.pause()
        assert widget.option_count == len(LESSONS)
        for index, lesson in enumerate(LESSONS):
            option = widget.get_option_at_index(index)
            assert option.id == lesson.id and lesson.title in text_of_prompt(option.prompt)
        assert widget.highlighted == 3
        widget.focus()
        await pilot.press("down", "enter")
        await pilot.pause()
        assert widget.chosen == [LESSONS[4].id]
        widget.select_lesson(LESSONS[0].id)
        assert widget.highlighted == 0


@asynctest
async def test_progress_shows_next_to_each_title():
    widget = LessonList(LESSONS[0].id)
    app = host(widget)
    async with app.run_test(size=(40, 20)) as pilot:
        await pilot.pause()
        assert "✓" not in text_of_prompt(widget.get_option_at_index(0).prompt)
        widget.show_progress({LESSONS[0].id: (2, 4), LESSONS[1].id: (0, 0)})
        await pilot.pause()
        first = text_of_prompt(widget.get_option_at_index(0).prompt)
        assert "✓2/4" in first and LESSONS[0].title.split()[0] in first
        assert "✓" not in text_of_prompt(widget.get_option_at_index(1).prompt)   # no exercises
