"""Deeper networks: gradient norms with and without the skip path; transfer learning."""
from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Input, Label, Select, Static

from tutor.app.widgets.canvas import log_bars
from tutor.app.widgets.playground import Playground

ACTIVATIONS = ("sigmoid", "tanh", "relu")


class ResidualPlay(Playground):
    TITLE = "Plain against residual: ‖∂loss/∂Wₗ‖ per layer (log scale)"

    def compose(self) -> ComposeResult:
        with Horizontal(classes="play-controls"):
            yield Select([(name, name) for name in ACTIVATIONS], value="sigmoid",
                         allow_blank=False, id="activation", compact=True)
            yield Label("depth", classes="play-label")
            yield Input("20", id="depth", type="integer", classes="number")
        yield self.error_line()
        yield Static("", id="residual-bars", classes="play-figure")

    def params(self) -> dict:
        raw = self.query_one("#depth", Input).value.strip()
        if not raw.isdigit() or not 1 <= int(raw) <= 60:
            raise ValueError("depth must be a whole number from 1 to 60")
        return {"activation": self.query_one("#activation", Select).value, "depth": int(raw)}

    def compute(self, activation: str, depth: int):
        from tutor.playground.deeper import residual_vs_plain

        return residual_vs_plain(activation, depth)

    def show(self, data) -> None:
        text = Text(f"{data.activation}, {data.depth} layers of {data.width} units, Xavier weights\n", "bold")
        for name, norms, style in (("plain", data.plain, "bold red"), ("residual", data.residual, "bold green")):
            last = norms[-1] or 1.0
            text.append(f"{name}: first layer / last layer = {norms[0] / last:.1e}\n", style)
            text.append_text(log_bars(norms, width=24, style=style))
        self.query_one("#residual-bars", Static).update(text)


class TransferPlay(Playground):
    TITLE = "Transfer learning: features from digits 0–4, a new head for 5–9"

    def compose(self) -> ComposeResult:
        with Horizontal(classes="play-controls"):
            yield Label("labels per class", classes="play-label")
            yield Input("5", id="labels", type="integer", classes="number")
        yield self.error_line()
        yield Static("", id="transfer", classes="play-text")

    def params(self) -> dict:
        raw = self.query_one("#labels", Input).value.strip()
        if not raw.isdigit() or not 1 <= int(raw) <= 100:
            raise ValueError("labels per class must be a whole number from 1 to 100")
        return {"labels_per_class": int(raw)}

    def compute(self, labels_per_class: int):
        from tutor.playground.deeper import transfer

        return transfer(labels_per_class)

    def show(self, data) -> None:
        text = Text(f"pre-trained on digits 0–4: {data.pretrain_accuracy:.1%} on held-out 0–4\n", "bold")
        text.append(f"with {data.labels_per_class} labelled digits of each of 5–9 "
                    f"({5 * data.labels_per_class} in all), on held-out 5–9:\n")
        for name, accuracy in (("frozen features + new head", data.transfer_accuracy),
                               ("the whole net from scratch", data.scratch_accuracy)):
            bar = "█" * round(accuracy * 30)
            text.append(f"  {name:<28}{bar:<31}{accuracy:.1%}\n")
        self.query_one("#transfer", Static).update(text)
