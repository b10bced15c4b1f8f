"""The sidebar: every lesson of tutor.lessons.LESSONS, in syllabus order, each with its
progress once the grader has loaded (✓ passed / exercises)."""
from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from tutor import marks
from tutor.lessons import LESSONS


def lesson_prompt(number: int, title: str, progress: tuple[int, int] | None = None) -> Table:
    """One lesson's entry: its number, then its full title wrapped under itself (never
    cut) followed, once known, by its progress ("✓2/5")."""
    grid = Table.grid(padding=(0, 1), expand=True)
    grid.add_column(width=3, justify="right", no_wrap=True)
    grid.add_column(ratio=1, overflow="fold")
    text = Text(title, overflow="fold")
    if progress is not None and progress[1]:
        passed, total = progress
        text.append(f" {marks.PASSED.symbol}{passed}/{total}",
                    style=marks.PASSED.style if passed == total else marks.NOT_RUN.style)
    grid.add_row(f"{number}.", text)
    return grid


class LessonList(OptionList):
    """Arrow keys move, enter (or a click) opens the lesson."""

    class Chosen(Message):
        def __init__(self, lesson_id: str) -> None:
            super().__init__()
            self.lesson_id = lesson_id

    def __init__(self, current: str, **kwargs) -> None:
        options = [Option(lesson_prompt(n, lesson.title), id=lesson.id)
                   for n, lesson in enumerate(LESSONS, 1)]
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

    def show_progress(self, progress: dict[str, tuple[int, int]]) -> None:
        """progress: lesson id -> (exercises passed, exercises)."""
        for number, lesson in enumerate(LESSONS, 1):
            if lesson.id in progress:
                self.replace_option_prompt(lesson.id,
                                           lesson_prompt(number, lesson.title, progress[lesson.id]))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id:
            self.post_message(self.Chosen(event.option.id))
