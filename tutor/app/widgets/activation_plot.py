"""Each activation and its derivative, plotted side by side in text."""
from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Select, Static

from tutor.app.widgets.canvas import fmt, line_plot
from tutor.app.widgets.playground import Playground

NAMES = ("sigmoid", "tanh", "relu", "leaky_relu", "elu")


class ActivationPlot(Playground):
    TITLE = "Activations and their derivatives"

    def compose(self) -> ComposeResult:
        with Horizontal(classes="play-controls"):
            yield Select([(name, name) for name in NAMES], value="sigmoid", allow_blank=False,
                         id="function", compact=True)
        yield self.error_line()
        yield Static("", id="formulas", classes="play-text")
        with Horizontal(classes="plots"):
            yield Static("", id="curve", classes="play-figure")
            yield Static("", id="derivative", classes="play-figure")

    def params(self) -> dict:
        return {"name": self.query_one("#function", Select).value}

    def compute(self, name: str):
        import numpy as np

        from tutor.playground.activations import activation_curves

        return activation_curves(name, np.linspace(-5.0, 5.0, 101))

    def show(self, data) -> None:
        formulas = Text()
        formulas.append(data.formula + "\n", "cyan")
        formulas.append(data.derivative_formula, "yellow")
        formulas.append(f"   (largest slope here: {fmt(data.max_derivative, 3)})", "dim")
        self.query_one("#formulas", Static).update(formulas)
        width = self.plot_width()
        self.query_one("#curve", Static).update(
            line_plot(data.xs, data.values, width=width, height=8, title=f"{data.name}(z)",
                      style="bold cyan"))
        self.query_one("#derivative", Static).update(
            line_plot(data.xs, data.derivatives, width=width, height=8,
                      title=f"{data.name}′(z)", style="bold yellow"))

    def plot_width(self) -> int:
        """Two plots side by side in the space there is (each has a 9-column axis)."""
        available = self.content_size.width or 52
        return max(10, min(40, (available - 2) // 2 - 9))

    def on_resize(self, event) -> None:
        if self.data is not None:
            self.show(self.data)
