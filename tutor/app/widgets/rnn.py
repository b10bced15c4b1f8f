"""The vanilla RNN of the lecture at t = 1: step through a₁, h₁ and y₁."""
from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Button, Input, Label, Select, Static

from tutor.app.widgets.playground import StepperPlayground


def vector(values, digits: int = 2) -> str:
    return "(" + ", ".join(f"{v:.{digits}f}" for v in values) + ")"


def matrix(name: str, m) -> Text:
    text = Text()
    text.append(f"{name}\n", "bold")
    for row in m:
        text.append(" ".join(f"{v:4.1f}" for v in row) + "\n", "cyan")
    return text


def parse_vector(text: str, size: int, name: str) -> tuple[float, ...]:
    """"0.5, 0, -1" (commas or spaces) -> a tuple of `size` floats; ValueError says what is wrong."""
    parts = text.replace(",", " ").split()
    try:
        values = tuple(float(part) for part in parts)
    except ValueError:
        raise ValueError(f"{name} needs {size} numbers, such as 0, 0, 0 (got {text!r})") from None
    if len(values) != size or not all(abs(v) < 1e6 for v in values):
        raise ValueError(f"{name} needs {size} numbers, such as 0, 0, 0 (got {text!r})")
    return values


class RnnStepper(StepperPlayground):
    TITLE = "The RNN at t = 1 (lecture 001's matrices)"

    def compose(self) -> ComposeResult:
        with Horizontal(classes="play-controls"):
            yield Select([(f"x₁ = symbol {i + 1}", i) for i in range(4)], value=0,
                         allow_blank=False, id="symbol", compact=True)
            yield Label("h₀ =", classes="play-label")
            yield Input("0, 0, 0", id="h0", compact=True, tooltip="three numbers, e.g. 0.54, 0.2, 0.72")
        with Horizontal(classes="play-buttons"):
            yield Button("Step (s)", id="step", compact=True)
            yield Button("Back (b)", id="back", compact=True)
            yield Button("Restart (0)", id="restart", compact=True)
            yield Button("h₀ ← h₁", id="carry", compact=True, tooltip="carry h₁ over as h₀: a second step")
        yield self.error_line()
        with Horizontal(classes="plots"):
            yield Static("", id="wx", classes="play-figure")
            yield Static("", id="wh", classes="play-figure")
            yield Static("", id="wy", classes="play-figure")
        yield Static("", id="steps", classes="play-text")

    def params(self) -> dict:
        return {"symbol": self.query_one("#symbol", Select).value,
                "h0": parse_vector(self.query_one("#h0", Input).value, 3, "h₀")}

    def compute(self, symbol: int, h0: tuple[float, ...]):
        import numpy as np

        from tutor.playground.rnn import rnn_worked_example

        x1 = np.zeros(4)
        x1[symbol] = 1.0
        return rnn_worked_example(x1=x1, h0=np.array(h0))

    def on_button_pressed(self, event) -> None:
        if event.button.id == "carry":   # a second step: the h₁ just computed becomes h₀
            event.stop()
            if self.data is not None:
                self.step = 0
                self.query_one("#h0", Input).value = ", ".join(f"{v:.3f}" for v in self.data.h1)
            return
        super().on_button_pressed(event)

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
