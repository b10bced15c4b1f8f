"""The vanishing gradient: the gradient norm of every layer, on a log scale, for a
deep narrow net with sigmoid, tanh or ReLU and N(0, 1) or Xavier initial weights."""
from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Input, Label, Select, Static

from tutor.app.widgets.canvas import log_axis, log_bars
from tutor.app.widgets.playground import Playground

ACTIVATIONS = ("sigmoid", "tanh", "relu")
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
