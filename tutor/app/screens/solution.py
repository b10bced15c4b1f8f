"""The course's solution beside the learner's own version of one exercise (key o)."""
from __future__ import annotations

from rich.syntax import Syntax
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from tutor.app import bindings


class SolutionScreen(ModalScreen[None]):
    """Two panes: the learner's function (from their workspace) and the course's solution."""

    BINDINGS = bindings.HELP

    def __init__(self, exercise_id: str, yours: str, course: str) -> None:
        super().__init__()
        self.exercise_id, self.yours, self.course = exercise_id, yours, course

    def compose(self) -> ComposeResult:
        with Vertical(id="solution-box"):
            yield Static(f"{self.exercise_id}: yours (left) and the course's (right). esc closes.",
                         id="solution-title")
            with Horizontal(id="solution-panes"):
                for pane_id, code in (("yours", self.yours), ("course", self.course)):
                    with VerticalScroll(classes="solution-pane", id=f"solution-{pane_id}"):
                        yield Static(Syntax(code, "python", theme="ansi_dark", word_wrap=True), classes="solution-code")

    def action_dismiss(self, result=None) -> None:
        self.dismiss(None)
