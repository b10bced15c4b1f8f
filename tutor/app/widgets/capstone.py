"""The capstone: run the learner's own train_classifier in the sandbox and draw its loss and
accuracy live, epoch by epoch, from the report() calls it makes; then the grader's verdict."""
from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Button, Static

from tutor.app.widgets.canvas import line_plot
from tutor.app.widgets.playground import Playground


def draw_curves(reports: list[dict]) -> Text:
    from tutor.playground.capstone import curves

    found = curves(reports)
    if not found:
        return Text("No report yet: call report(epoch=epoch, loss=loss, accuracy=accuracy) once per "
                    "epoch in train_classifier to see your curves here.", "dim")
    text = Text()
    for name, values in list(found.items())[:3]:
        if len(values) < 2:
            text.append(f"{name}: {values[-1]:.4g}\n", "bold")
            continue
        text.append_text(line_plot(range(1, len(values) + 1), values, width=40, height=6,
                                   title=f"{name}, epoch by epoch: {values[-1]:.4g}"))
        text.append("\n")
    return text


class CapstonePlay(Playground):
    TITLE = "Your train_classifier, training on the digits"

    def __init__(self, workspace=None, **kwargs) -> None:
        super().__init__(**kwargs)
        self.workspace = workspace        # None: the app's workspace

    def compose(self) -> ComposeResult:
        with Horizontal(classes="play-buttons"):
            yield Button("train again", id="train-again", compact=True)
        yield self.error_line()
        yield Static("", id="curves", classes="play-figure")
        yield Static("", id="verdict", classes="play-text")

    def params(self) -> dict:
        return {"workspace": self.workspace if self.workspace is not None else self.app.state.workspace}

    def compute(self, workspace):
        from tutor.playground.capstone import train_in_sandbox

        reports: list[dict] = []

        def live(numbers: dict) -> None:
            reports.append(numbers)
            try:
                self.app.call_from_thread(self._draw_live, list(reports))
            except RuntimeError:  # the app closed meanwhile
                pass

        return train_in_sandbox(workspace, on_progress=live)

    def _draw_live(self, reports: list[dict]) -> None:
        self.clear_error()
        self.query_one("#curves", Static).update(draw_curves(reports))

    def show(self, data) -> None:
        self.query_one("#curves", Static).update(draw_curves(data.reports))
        style = "bold green" if data.passed else "bold red"
        verdict = Text(f"{data.score:g}/{data.max_score:g}  ", style)
        verdict.append("on 500 held-out digits your code never saw: " if data.passed else "")
        verdict.append(data.message)
        self.query_one("#verdict", Static).update(verdict)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "train-again":
            event.stop()
            self.query_one("#verdict", Static).update(Text("training…", "dim"))
            self.recompute()
