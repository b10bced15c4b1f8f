"""The sidebar: every lesson of tutor.lessons.LESSONS, in syllabus order."""
from __future__ import annotations

from rich.text import Text
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from tutor.lessons import LESSONS


class LessonList(OptionList):
    """Arrow keys move, enter (or a click) opens the lesson."""

    class Chosen(Message):
        def __init__(self, lesson_id: str) -> None:
            super().__init__()
            self.lesson_id = lesson_id

    def __init__(self, current: str, **kwargs) -> None:
        options = [Option(Text(f"{n:>2}. {lesson.title}", no_wrap=True, overflow="ellipsis"),
                          id=lesson.id) for n, lesson in enumerate(LESSONS, 1)]
        super().__init__(*options, **kwargs)
        self.current = current
        self.border_title = "Lessons"

    def on_mount(self) -> None:
        self.select_lesson(self.current)

    def select_lesson(self, lesson_id: str) -> None:
        self.current = lesson_id
        index = self.get_option_index(lesson_id)
        if self.highlighted != index:
            self.highlighted = index

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id:
            self.post_message(self.Chosen(event.option.id))
