"""tutor/app/widgets/lesson_list.py: every lesson, in order; enter or a click opens one."""
from __future__ import annotations

from test_app_support import asynctest, host

from tutor.app.widgets.lesson_list import LessonList
from tutor.lessons import LESSONS


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
            assert option.id == lesson.id and f"{index + 1}. {lesson.title}" in str(option.prompt)
        assert widget.highlighted == 3
        widget.focus()
        await pilot.press("down", "enter")
        await pilot.pause()
        assert widget.chosen == [LESSONS[4].id]
        widget.select_lesson(LESSONS[0].id)
        assert widget.highlighted == 0
