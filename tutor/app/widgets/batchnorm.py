"""Batch normalisation on a small batch, one line of the algorithm at a time."""
from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Button, Static

from tutor.app.widgets.playground import StepperPlayground

LINES = (
    ("the batch x (m rows, one column per feature)", "x"),
    ("μ = (1/m) Σ xᵢ   (the mean of each column)", "mean"),
    ("σ² = (1/m) Σ (xᵢ − μ)²   (biased variance)", "var"),
    ("x̂ᵢ = (xᵢ − μ) / √(σ² + ε)", "x_hat"),
    ("yᵢ = γ x̂ᵢ + β   (γ = 1, β = 0 here)", "y"),
)


def rows(values) -> str:
    if values.ndim == 1:
        return "  " + "  ".join(f"{v:9.4g}" for v in values)
    return "\n".join("  " + "  ".join(f"{v:9.4g}" for v in row) for row in values)


class BatchnormPlay(StepperPlayground):
    TITLE = "Batch normalisation, line by line"

    def compose(self) -> ComposeResult:
        with Horizontal(classes="play-buttons"):
            yield Button("Step (s)", id="step", compact=True)
            yield Button("Back (b)", id="back", compact=True)
            yield Button("Restart (0)", id="restart", compact=True)
        yield self.error_line()
        yield Static("", id="lines", classes="play-text")

    def compute(self):
        from tutor.playground.batchnorm import batchnorm_steps

        return batchnorm_steps()

    def show(self, data) -> None:
        self.show_step()

    def steps_total(self) -> int:
        return len(LINES) - 1

    def show_step(self) -> None:
        text = Text()
        for i, (formula, field) in enumerate(LINES[: self.step + 1]):
            text.append(formula + "\n", "bold" if i == self.step else "")
            text.append(rows(getattr(self.data, field)) + "\n",
                        "bold yellow" if i == self.step else "cyan")
        if self.step < self.steps_total():
            text.append("press s for the next line", "dim")
        else:
            text.append("each column of y now has mean 0 and variance ≈ 1", "green")
        self.query_one("#lines", Static).update(text)
