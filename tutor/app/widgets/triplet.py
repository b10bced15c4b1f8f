"""The triplet loss on a number line: move the anchor, positive, negative and margin."""
from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Input, Label, Static

from tutor.app.widgets.canvas import fmt, line_plot
from tutor.app.widgets.playground import Playground

FIELDS = (("anchor", "0"), ("positive", "1"), ("negative", "1.2"), ("margin", "1"))


def read_numbers(widget, fields) -> dict:
    """{name: float} from the Inputs with those ids; one clear message for a bad one."""
    values = {}
    for name, _ in fields:
        raw = widget.query_one(f"#{name}", Input).value.strip()
        try:
            values[name] = float(raw)
        except ValueError:
            raise ValueError(f"{name} must be a number, not {raw!r}") from None
    return values


def plot_width(widget, widest: int) -> int:
    """A line plot's width that fits the widget (the plot adds a 9-column axis), at most widest:
    a wider plot would wrap, its lines broken, at 80×24."""
    available = widget.content_size.width or widest + 9
    return max(10, min(widest, available - 9))


class TripletPlay(Playground):
    TITLE = "The triplet loss: pull the positive in, push the negative out"

    def compose(self) -> ComposeResult:
        # two rows of two, so that every box shows at 80×24
        for row in (FIELDS[:2], FIELDS[2:]):
            with Horizontal(classes="play-controls"):
                for name, value in row:
                    yield Label(name, classes="play-label")
                    yield Input(value, id=name, type="number", classes="number")
        yield self.error_line()
        yield Static("", id="triplet-result", classes="play-text")
        yield Static("", id="triplet-sweep", classes="play-figure")

    def params(self) -> dict:
        return read_numbers(self, FIELDS)

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
