"""The autoencoder's 2-D codes of held-out digits, next to PCA's: each point is its digit."""
from __future__ import annotations

import numpy as np
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Input, Label, Static

from tutor.app.widgets.canvas import Canvas
from tutor.app.widgets.playground import Playground

COLOURS = ("red", "green", "yellow", "blue", "magenta", "cyan", "bright_red", "bright_green",
           "bright_blue", "white")


def scatter(points: np.ndarray, labels: np.ndarray, width: int = 30, height: int = 12, title: str = "") -> Text:
    """Each point drawn as its label's digit, in that digit's colour (under an optional title)."""
    canvas = Canvas(width, height)
    lo, hi = points.min(axis=0), points.max(axis=0)
    span = np.where(hi > lo, hi - lo, 1.0)
    for (x, y), label in zip(points, labels):
        col = round((x - lo[0]) / span[0] * (width - 1))
        row = height - 1 - round((y - lo[1]) / span[1] * (height - 1))
        canvas.put(row, col, str(int(label)), COLOURS[int(label) % 10])
    text = Text(title + "\n", "bold") if title else Text()
    text.append_text(canvas.to_text())
    return text


class AutoencoderPlay(Playground):
    TITLE = "Codes of the digits: an autoencoder (left) and PCA (right)"

    def compose(self) -> ComposeResult:
        with Horizontal(classes="play-controls"):
            yield Label("training steps", classes="play-label")
            yield Input("300", id="steps", type="integer", classes="number")
        yield self.error_line()
        with Horizontal(classes="plots"):
            yield Static("", id="codes", classes="play-text")
            yield Static("", id="pca", classes="play-text")
        yield Static("", id="errors", classes="play-text")

    def params(self) -> dict:
        raw = self.query_one("#steps", Input).value.strip()
        if not raw.isdigit() or not int(raw) <= 3000:
            raise ValueError("steps must be a whole number from 0 to 3000")
        return {"steps": int(raw)}

    def compute(self, steps: int):
        from tutor.playground.autoencoder import digit_codes

        return digit_codes(steps=steps)

    def show(self, data) -> None:
        self.query_one("#codes", Static).update(scatter(data.codes, data.labels, width=28, title="autoencoder"))
        self.query_one("#pca", Static).update(scatter(data.pca, data.labels, width=28, title="PCA"))
        self.query_one("#errors", Static).update(Text(
            f"reconstruction error (mean squared, held-out digits): autoencoder {data.autoencoder_error:.4f}, "
            f"PCA {data.pca_error:.4f}. The network never saw a label.", "dim"))
