"""Training a two-layer net on XOR by gradient descent: pick a learning rate, see the loss
fall (a sparkline) and the predictions at the end."""
from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Input, Label, Sparkline, Static

from tutor.app.widgets.playground import Playground


class TrainingPlay(Playground):
    TITLE = "Gradient descent on XOR"

    def compose(self) -> ComposeResult:
        with Horizontal(classes="play-controls"):
            yield Label("learning rate", classes="play-label")
            yield Input("2.0", id="lr", type="number", classes="number")
            yield Label("epochs", classes="play-label")
            yield Input("2000", id="epochs", type="integer", classes="number")
        yield self.error_line()
        yield Static("", id="loss-title", classes="play-text")
        yield Sparkline([], id="loss")
        yield Static("", id="result", classes="play-text")

    def params(self) -> dict:
        try:
            lr = float(self.query_one("#lr", Input).value)
            epochs = int(self.query_one("#epochs", Input).value)
        except ValueError:
            raise ValueError("the learning rate is a number and epochs a whole number") from None
        if not 0 <= epochs <= 20000:
            raise ValueError("epochs between 0 and 20000")
        return {"lr": lr, "epochs": epochs}

    def compute(self, lr: float, epochs: int):
        from tutor.playground.training import train_two_layer

        return train_two_layer(lr=lr, epochs=epochs, record_every=max(1, epochs // 100))

    def show(self, data) -> None:
        first, last = data.losses[0], data.losses[-1]
        self.query_one("#loss-title", Static).update(
            Text(f"loss (mean squared error): {first:.4f} → {last:.4f}", "bold"))
        self.query_one("#loss", Sparkline).data = list(data.losses)
        text = Text()
        for x, p, t in zip(("00", "01", "10", "11"), data.predictions, data.targets):
            ok = (p > 0.5) == (t > 0.5)
            text.append(f"XOR({x}) = {t:g}   net says {p:.3f}\n", "green" if ok else "red")
        text.append("Solved." if data.solved else "Not solved yet: more epochs or another rate?",
                    "bold green" if data.solved else "bold red")
        self.query_one("#result", Static).update(text)
