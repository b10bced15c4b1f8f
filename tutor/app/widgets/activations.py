"""The activations lesson's playgrounds: each activation beside its derivative, plotted in
text; and the vanishing gradient, the gradient norm of every layer on a log scale for a deep
narrow net with sigmoid, tanh or ReLU and N(0, 1) or Xavier initial weights."""
from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Input, Label, Select, Static

from tutor.app.widgets.canvas import fmt, line_plot, log_axis, log_bars
from tutor.app.widgets.playground import Playground

NAMES = ("sigmoid", "tanh", "relu", "leaky_relu", "elu")   # the activations ActivationPlot draws


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


ACTIVATIONS = ("sigmoid", "tanh", "relu")   # the ones VanishingGradients compares
INITS = (("N(0, 1)", "normal"), ("Xavier", "xavier"))
MAX_DEPTH = 40
# The bars show each layer's gradient relative to the last layer's, on this fixed log axis:
# 1 (no loss) is at the same place in every chart, so a ratio of 0.78 (ReLU) reads as
# almost no loss and 0.036 (sigmoid) as a loss of a decade and a half.
AXIS = (1e-5, 1e2)
BAR_WIDTH = 28


class VanishingGradients(Playground):
    TITLE = "Vanishing gradients: ‖∂loss/∂Wₗ‖ per layer (log scale)"

    def compose(self) -> ComposeResult:
        with Horizontal(classes="play-controls"):
            yield Select([(name, name) for name in ACTIVATIONS], value="sigmoid",
                         allow_blank=False, id="activation", compact=True)
            yield Select(list(INITS), value="normal", allow_blank=False, id="init", compact=True)
            yield Label("depth", classes="play-label")
            yield Input("8", id="depth", type="integer", classes="number")
        yield self.error_line()
        yield Static("", id="bars", classes="play-figure")

    def params(self) -> dict:
        raw = self.query_one("#depth", Input).value.strip()
        try:
            depth = int(raw)
        except ValueError:
            raise ValueError(f"depth must be a whole number, not {raw!r}") from None
        if not 1 <= depth <= MAX_DEPTH:
            raise ValueError(f"depth must be between 1 and {MAX_DEPTH}")
        return {"activation": self.query_one("#activation", Select).value,
                "init": self.query_one("#init", Select).value, "depth": depth}

    def compute(self, activation: str, init: str, depth: int):
        from tutor.playground.vanishing import gradient_norms

        return gradient_norms(activation, init, depth)

    def show(self, data) -> None:
        text = Text()
        init = dict((v, k) for k, v in INITS)[data.init]
        text.append(f"{data.activation}, {init}, {data.depth} layers of {data.width} units\n",
                    "bold")
        text.append("bars: ‖gradient‖ ÷ the last layer's, fixed log axis\n", "dim")
        text.append("layer" + " " * (BAR_WIDTH - 1) + "‖gradient‖\n", "dim")
        last = data.norms[-1]
        relative = [n / last if last > 0 else 0.0 for n in data.norms]
        text.append_text(log_bars(relative, width=BAR_WIDTH, axis=AXIS, shown=data.norms))
        text.append_text(log_axis(*AXIS, width=BAR_WIDTH))
        ratio = data.first_over_last
        text.append("first layer / last layer = ", "dim")
        text.append(f"{ratio:.1e}", "bold red" if ratio < 1e-2 else "bold green")
        if ratio < 1e-2:
            text.append("  the first layers barely learn", "red")
        self.query_one("#bars", Static).update(text)
