"""The losses lesson's playgrounds: softmax (the naive one overflows for large logits, the
shifted one does not; cross-entropy and squared error for a chosen label), and the triplet
loss on a number line (move the anchor, positive, negative and margin)."""
from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Input, Label, Static

from tutor.app.widgets.canvas import fmt, line_plot
from tutor.app.widgets.playground import Playground, plot_width, read_numbers


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


TRIPLET_FIELDS = (("anchor", "0"), ("positive", "1"), ("negative", "1.2"), ("margin", "1"))


class TripletPlay(Playground):
    TITLE = "The triplet loss: pull the positive in, push the negative out"

    def compose(self) -> ComposeResult:
        # two rows of two, so that every box shows at 80×24
        for row in (TRIPLET_FIELDS[:2], TRIPLET_FIELDS[2:]):
            with Horizontal(classes="play-controls"):
                for name, value in row:
                    yield Label(name, classes="play-label")
                    yield Input(value, id=name, type="number", classes="number")
        yield self.error_line()
        yield Static("", id="triplet-result", classes="play-text")
        yield Static("", id="triplet-sweep", classes="play-figure")

    def params(self) -> dict:
        return read_numbers(self, TRIPLET_FIELDS)

    def compute(self, **params):
        from tutor.playground.triplet import triplet_demo

        return triplet_demo(**params)

    def show(self, data) -> None:
        text = Text()
        text.append(f"d = (a − p)² − (a − n)² + margin = {fmt(data.d)}\n", "bold")
        active = data.d > 0
        text.append(f"loss = max(0, d) = {fmt(data.loss)}  ", "bold")
        text.append("the triplet still costs: it gets a gradient\n" if active else
                    "already satisfied: no loss, no gradient\n", "yellow" if active else "green")
        text.append(f"∂L/∂a = {fmt(data.d_anchor)}   ∂L/∂p = {fmt(data.d_positive)}   "
                    f"∂L/∂n = {fmt(data.d_negative)}")
        self.query_one("#triplet-result", Static).update(text)
        self.query_one("#triplet-sweep", Static).update(
            line_plot(data.sweep_negative, data.sweep_loss, width=plot_width(self, 48), height=8,
                      title="the loss as the negative moves along the line"))

    def on_resize(self, event) -> None:
        """The plot is drawn for the width there is: again when that changes (or first shows)."""
        if self.data is not None:
            self.show(self.data)
