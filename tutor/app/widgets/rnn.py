"""The vanilla RNN of the lecture at t = 1: step through a₁, h₁ and y₁."""
from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Button, Select, Static

from tutor.app.widgets.playground import StepperPlayground


def vector(values, digits: int = 2) -> str:
    return "(" + ", ".join(f"{v:.{digits}f}" for v in values) + ")"


def matrix(name: str, m) -> Text:
    text = Text()
    text.append(f"{name}\n", "bold")
    for row in m:
        text.append(" ".join(f"{v:4.1f}" for v in row) + "\n", "cyan")
    return text


class RnnStepper(StepperPlayground):
    TITLE = "The RNN at t = 1 (lecture 001's matrices)"

    def compose(self) -> ComposeResult:
        with Horizontal(classes="play-controls"):
            yield Select([(f"x₁ = symbol {i + 1}", i) for i in range(4)], value=0,
                         allow_blank=False, id="symbol", compact=True)
        with Horizontal(classes="play-buttons"):
            yield Button("Step (s)", id="step", compact=True)
            yield Button("Back (b)", id="back", compact=True)
            yield Button("Restart (0)", id="restart", compact=True)
        yield self.error_line()
        with Horizontal(classes="plots"):
            yield Static("", id="wx", classes="play-figure")
            yield Static("", id="wh", classes="play-figure")
            yield Static("", id="wy", classes="play-figure")
        yield Static("", id="steps", classes="play-text")

    def params(self) -> dict:
        return {"symbol": self.query_one("#symbol", Select).value}

    def compute(self, symbol: int):
        import numpy as np

        from tutor.playground.rnn import rnn_worked_example

        x1 = np.zeros(4)
        x1[symbol] = 1.0
        return rnn_worked_example(x1=x1)

    def show(self, data) -> None:
        self.query_one("#wx", Static).update(matrix("Wₓ (3×4)", data.W_X))
        self.query_one("#wh", Static).update(matrix("Wₕ (3×3)", data.W_H))
        self.query_one("#wy", Static).update(matrix("W_Y (4×3)", data.W_Y))
        self.show_step()

    def steps_total(self) -> int:
        return len(self.data.steps) - 1 if self.data is not None else 0

    def show_step(self) -> None:
        data = self.data
        text = Text()
        text.append(f"h₀ = {vector(data.h0)}\n", "dim")
        for i, step in enumerate(data.steps[: self.step + 1]):
            text.append(f"{step.formula}\n", "bold" if i == self.step else "")
            style = "bold black on yellow" if i == self.step and i else "bold yellow"
            text.append(f"  {step.name} = {vector(step.value)}\n", style)
        if self.step < self.steps_total():
            text.append("press s for the next step", "dim")
        else:
            text.append(f"the most likely next symbol: {int(data.y1.argmax()) + 1}", "green")
        self.query_one("#steps", Static).update(text)
