"""The lesson text (Markdown), ending with the lesson's exercises."""
from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Markdown

from tutor import lessons

PENDING = "## Exercises\n\n*Loading the exercise list…*\n"


def plain_fences(markdown: str) -> str:
    """Mark bare code fences as plain text: otherwise the Markdown widget asks Pygments to
    guess each block's language, which is slow and colours maths as if it were code."""
    lines, in_code = [], False
    for line in markdown.splitlines():
        stripped = line.strip()
        if stripped.startswith("```"):
            if not in_code and stripped == "```":
                line = line.replace("```", "```text", 1)
            in_code = not in_code
        lines.append(line)
    return "\n".join(lines) + "\n"


def lesson_body(lesson_id: str) -> str:
    """The lesson's text as the Markdown widget shows it; a registered lesson whose file is
    not written yet gets its title and a line saying so."""
    try:
        return plain_fences(lessons.source_text(lesson_id))
    except OSError:
        return f"# {lessons.lesson(lesson_id).title}\n\n*This lesson's text is not written yet.*\n"


def exercises_section(lesson_id: str) -> str:
    try:
        return plain_fences(lessons.exercises_markdown(lesson_id))
    except Exception as exc:  # the manifest failed to load: say so rather than crash
        return f"## Exercises\n\n*The exercise list could not be loaded: {exc}*\n"


class LessonView(VerticalScroll, can_focus=True):
    """Scroll with the arrow keys, page up / page down, or the mouse wheel."""

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.lesson_id: str | None = None
        self.with_exercises = False

    def compose(self) -> ComposeResult:
        yield Markdown("", id="lesson-text")
        yield Markdown("", id="lesson-exercises")

    def show(self, lesson_id: str, with_exercises: bool) -> None:
        """Show a lesson; its exercise list once the manifest is loaded (with_exercises)."""
        if lesson_id != self.lesson_id:
            self.lesson_id = lesson_id
            self.query_one("#lesson-text", Markdown).update(lesson_body(lesson_id))
            self.scroll_home(animate=False)
            self.with_exercises = False
        if with_exercises and not self.with_exercises:
            self.with_exercises = True
            self.query_one("#lesson-exercises", Markdown).update(exercises_section(lesson_id))
        elif not self.with_exercises:
            self.query_one("#lesson-exercises", Markdown).update(PENDING)
