"""Batch normalisation on a small batch, one line of the algorithm at a time; γ, β and the
batch itself can be changed (a preset, or typed: rows separated by ";")."""
from __future__ import annotations

import numpy as np
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Button, Input, Label, Select, Static

from tutor.app.widgets.playground import StepperPlayground

LINES = (
    ("the batch x (m rows, one column per feature)", "x"),
    ("μ = (1/m) Σ xᵢ   (the mean of each column)", "mean"),
    ("σ² = (1/m) Σ (xᵢ − μ)²   (biased variance)", "var"),
    ("x̂ᵢ = (xᵢ − μ) / √(σ² + ε)   (ε = 1e-05)", "x_hat"),
    ("yᵢ = γ x̂ᵢ + β", "y"),
)

# Batches to start from: the lesson's, and one whose third feature varies far less than ε.
PRESETS = {
    "example": "1 200 -0.03; 2 180 0.01; 3 260 0.02; 6 240 0",
    "tiny": "1 200 0.001; 2 180 0.0012; 3 260 0.0009; 6 240 0.0011",
}


def clean(values: np.ndarray) -> np.ndarray:
    """Rounding noise (8.674e-19 where the exact answer is 0) shown as the 0 it is."""
    scale = float(np.abs(values).max()) if values.size else 0.0
    return np.where(np.abs(values) <= 1e-12 * max(scale, 1e-300), 0.0, values)


def rows(values) -> str:
    values = clean(np.asarray(values, dtype=np.float64))
    if values.ndim == 1:
        return "  " + "  ".join(f"{v:9.4g}" for v in values)
    return "\n".join("  " + "  ".join(f"{v:9.4g}" for v in row) for row in values)


def short(values) -> str:
    """γ or β per feature: one number when they are all the same."""
    values = clean(np.asarray(values, dtype=np.float64))
    if np.all(values == values[0]):
        return f"{values[0]:.4g}"
    return "(" + ", ".join(f"{v:.4g}" for v in values) + ")"


def parse_batch(text: str) -> list[list[float]]:
    """"1 2 3; 4 5 6" -> two rows of three; ValueError says what to type."""
    try:
        batch = [[float(v) for v in row.replace(",", " ").split()] for row in text.split(";") if row.strip()]
    except ValueError:
        raise ValueError(f"the batch needs numbers, rows separated by ';' (got {text!r})") from None
    if len(batch) < 2 or len({len(row) for row in batch}) != 1 or not batch[0]:
        raise ValueError("the batch needs at least two rows of the same length, separated by ';'")
    return batch


def parse_numbers(text: str, name: str) -> list[float]:
    try:
        values = [float(v) for v in text.replace(",", " ").split()]
    except ValueError:
        raise ValueError(f"{name} needs one number, or one per feature (got {text!r})") from None
    if not values:
        raise ValueError(f"{name} needs one number, or one per feature")
    return values


class BatchnormPlay(StepperPlayground):
    TITLE = "Batch normalisation, line by line"

    def compose(self) -> ComposeResult:
        with Horizontal(classes="play-controls"):
            yield Select([("the lesson's batch", "example"), ("a feature with σ² ≪ ε", "tiny")],
                         value="example", allow_blank=False, id="preset", compact=True)
            yield Label("γ", classes="play-label")
            yield Input("1", id="gamma", classes="number", compact=True)
            yield Label("β", classes="play-label")
            yield Input("0", id="beta", classes="number", compact=True)
        with Horizontal(classes="play-controls"):
            yield Label("x", classes="play-label")
            yield Input(PRESETS["example"], id="batch", compact=True,
                        tooltip="rows separated by ';', numbers by spaces")
        with Horizontal(classes="play-buttons"):
            yield Button("Step (s)", id="step", compact=True)
            yield Button("Back (b)", id="back", compact=True)
            yield Button("Restart (0)", id="restart", compact=True)
        yield self.error_line()
        yield Static("", id="lines", classes="play-text")

    def on_select_changed(self, event: Select.Changed) -> None:
        """A preset fills in the batch (whose change recomputes)."""
        event.stop()
        event.prevent_default()
        self.query_one("#batch", Input).value = PRESETS[str(event.value)]

    def params(self) -> dict:
        batch = parse_batch(self.query_one("#batch", Input).value)
        features = len(batch[0])
        gamma = parse_numbers(self.query_one("#gamma", Input).value, "γ")
        beta = parse_numbers(self.query_one("#beta", Input).value, "β")
        for name, values in (("γ", gamma), ("β", beta)):
            if len(values) not in (1, features):
                raise ValueError(f"{name} needs one number or {features} (one per feature)")
        return {"x": batch, "gamma": gamma, "beta": beta}

    def compute(self, x, gamma, beta):
        from tutor.playground.batchnorm import batchnorm_steps

        return batchnorm_steps(x=x, gamma=gamma, beta=beta)

    def show(self, data) -> None:
        self.show_step()

    def steps_total(self) -> int:
        return len(LINES) - 1

    def show_step(self) -> None:
        data = self.data
        text = Text()
        for i, (formula, field) in enumerate(LINES[: self.step + 1]):
            if field == "y":
                formula += f"   (γ = {short(data.gamma)}, β = {short(data.beta)})"
            text.append(formula + "\n", "bold" if i == self.step else "")
            text.append(rows(getattr(data, field)) + "\n", "bold yellow" if i == self.step else "cyan")
        if self.step < self.steps_total():
            text.append("press s for the next line", "dim")
        else:
            gamma, beta = short(data.gamma), short(data.beta)
            text.append(f"each column of y has mean {beta} and standard deviation about {gamma} "
                        "(less where σ² is small next to ε)", "green")
        self.query_one("#lines", Static).update(text)
