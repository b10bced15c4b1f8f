"""Softmax and the losses: the naive softmax overflows for large logits, the shifted one
does not; cross-entropy and squared error for a chosen label."""
from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Input, Label, Static

from tutor.app.widgets.playground import Playground


def vector(values) -> str:
    return "(" + ", ".join(f"{v:.3g}" for v in values) + ")"


class SoftmaxPlay(Playground):
    TITLE = "Softmax: subtract the largest logit first"

    def compose(self) -> ComposeResult:
        with Horizontal(classes="play-controls"):
            yield Label("logits", classes="play-label")
            yield Input("1000, 999, 998", id="logits")
            yield Label("label", classes="play-label")
            yield Input("0", id="label", type="integer", classes="number")
        yield self.error_line()
        yield Static("", id="softmax", classes="play-text")

    def params(self) -> dict:
        raw = self.query_one("#logits", Input).value.replace(",", " ").split()
        try:
            logits = tuple(float(v) for v in raw)
            label = int(self.query_one("#label", Input).value)
        except ValueError:
            raise ValueError("logits are numbers separated by commas; the label a whole number") from None
        return {"logits": logits, "label": label}

    def compute(self, logits, label):
        from tutor.playground.losses import softmax_stability

        return softmax_stability(logits, label)

    def show(self, data) -> None:
        text = Text()
        text.append("naive    e^z / Σe^z:        ", "bold")
        text.append(vector(data.naive) + "\n", "green" if data.naive_finite else "bold red")
        if not data.naive_finite:
            text.append("         e^z overflowed, and inf / inf = nan\n", "red")
        text.append("shifted  e^(z − max z) / Σ: ", "bold")
        text.append(vector(data.shifted) + "\n", "bold cyan")
        text.append("PyTorch  reference softmax: ", "dim")
        text.append(vector(data.reference) + "\n", "dim")
        text.append(f"\nlabel {data.label}: cross-entropy −log p = ", "bold")
        text.append(f"{data.cross_entropy:.4g}\n", "bold yellow")
        text.append(f"label {data.label}: squared error Σ(p − y)² = ", "bold")
        text.append(f"{data.squared_error:.4g}", "bold yellow")
        self.query_one("#softmax", Static).update(text)
