"""Plain gradient descent and momentum side by side in a ravine."""
from __future__ import annotations

import numpy as np
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Input, Label, Static

from tutor.app.widgets.canvas import Canvas
from tutor.app.widgets.playground import Playground


def draw_paths(sgd, mom, width: int = 48, height: int = 11) -> Text:
    """Both paths on the (w₁, w₂) plane: s plain descent, m momentum, ★ the minimum."""
    both = np.vstack([sgd, mom])
    x_lo, x_hi = min(both[:, 0].min(), 0.0), max(both[:, 0].max(), 0.0)
    y_lo, y_hi = min(both[:, 1].min(), 0.0), max(both[:, 1].max(), 0.0)
    x_hi, y_hi = (x_hi if x_hi > x_lo else x_lo + 1), (y_hi if y_hi > y_lo else y_lo + 1)
    canvas = Canvas(width, height)

    def place(w):
        col = round((w[0] - x_lo) / (x_hi - x_lo) * (width - 1))
        row = height - 1 - round((w[1] - y_lo) / (y_hi - y_lo) * (height - 1))
        return min(max(row, 0), height - 1), min(max(col, 0), width - 1)

    for path, mark, style in ((sgd, "s", "yellow"), (mom, "m", "cyan")):
        for w in path:
            row, col = place(w)
            canvas.put(row, col, "•" if canvas.chars[row][col] not in " " + mark else mark, style)
    row, col = place((0.0, 0.0))
    canvas.put(row, col, "★", "bold green")
    return canvas.to_text()


class MomentumPlay(Playground):
    TITLE = "Momentum in a ravine"

    def compose(self) -> ComposeResult:
        with Horizontal(classes="play-controls"):
            yield Label("η", classes="play-label")
            yield Input("0.04", id="lr", type="number", classes="number")
            yield Label("μ", classes="play-label")
            yield Input("0.8", id="mu", type="number", classes="number")
            yield Label("steps", classes="play-label")
            yield Input("60", id="steps", type="integer", classes="number")
        yield self.error_line()
        yield Static("", id="paths", classes="play-figure")
        yield Static("", id="costs", classes="play-text")

    def params(self) -> dict:
        try:
            lr = float(self.query_one("#lr", Input).value)
            mu = float(self.query_one("#mu", Input).value)
            steps = int(self.query_one("#steps", Input).value)
        except ValueError:
            raise ValueError("η and μ are numbers, steps a whole number") from None
        if not 1 <= steps <= 1000:
            raise ValueError("steps between 1 and 1000")
        return {"lr": lr, "mu": mu, "steps": steps}

    def compute(self, lr, mu, steps):
        from tutor.playground.momentum import descent_paths

        return descent_paths(lr=lr, mu=mu, steps=steps)

    def show(self, data) -> None:
        self.query_one("#paths", Static).update(draw_paths(data.sgd, data.momentum))
        text = Text()
        text.append("s", "yellow")
        text.append(f" plain descent: cost {data.sgd_cost[0]:.3g} → {data.sgd_cost[-1]:.3g}\n")
        text.append("m", "cyan")
        text.append(f" momentum:      cost {data.momentum_cost[0]:.3g} → "
                    f"{data.momentum_cost[-1]:.3g}\n")
        faster = data.momentum_cost[-1] < data.sgd_cost[-1]
        text.append("momentum gets further" if faster else "plain descent gets further",
                    "bold green" if faster else "bold yellow")
        self.query_one("#costs", Static).update(text)
