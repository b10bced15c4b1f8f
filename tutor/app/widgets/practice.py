"""Training in practice: learning-rate schedules, mini-batch noise, shallow against deep."""
from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Input, Label, Static

from tutor.app.widgets.canvas import line_plot
from tutor.app.widgets.playground import Playground, plot_width, read_numbers

SCHEDULE_FIELDS = (("lr0", "0.1"), ("drop", "0.5"), ("every", "10"), ("k", "0.05"))


class SchedulesPlay(Playground):
    TITLE = "Learning-rate schedules over 50 epochs"

    def compose(self) -> ComposeResult:
        # step decay's numbers on one row, exponential decay's k on the next: each box
        # shows at 80×24
        for row in (SCHEDULE_FIELDS[:3], SCHEDULE_FIELDS[3:]):
            with Horizontal(classes="play-controls"):
                for name, value in row:
                    yield Label(name, classes="play-label")
                    yield Input(value, id=name, type="number", classes="number")
        yield self.error_line()
        yield Static("", id="schedules", classes="play-figure")

    def params(self) -> dict:
        values = read_numbers(self, SCHEDULE_FIELDS)
        if values["every"] != int(values["every"]):
            raise ValueError("every must be a whole number of epochs")
        values["every"] = int(values["every"])
        return values

    def compute(self, **params):
        from tutor.playground.practice import schedules

        return schedules(**params)

    def show(self, data) -> None:
        hi = max(data.step[0], data.exponential[0])
        width = plot_width(self, 50)
        text = line_plot(data.epochs, data.step, width=width, height=7, lo=0.0, hi=hi,
                         title="step decay: lr0 · drop ^ ⌊epoch / every⌋", style="bold yellow")
        text.append("\n")
        text.append_text(line_plot(data.epochs, data.exponential, width=width, height=7, lo=0.0, hi=hi,
                                   title="exponential decay: lr0 · e^(−k · epoch)"))
        self.query_one("#schedules", Static).update(text)

    def on_resize(self, event) -> None:
        """The plots are drawn for the width there is: again when that changes (or first shows)."""
        if self.data is not None:
            self.show(self.data)


class BatchNoisePlay(Playground):
    TITLE = "Mini-batches: the same epochs, three batch sizes"

    def compose(self) -> ComposeResult:
        with Horizontal(classes="play-controls"):
            yield Label("epochs", classes="play-label")
            yield Input("3", id="epochs", type="integer", classes="number")
        yield self.error_line()
        yield Static("", id="batches", classes="play-figure")

    def params(self) -> dict:
        raw = self.query_one("#epochs", Input).value.strip()
        if not raw.isdigit() or not 1 <= int(raw) <= 20:
            raise ValueError("epochs must be a whole number from 1 to 20")
        return {"epochs": int(raw)}

    def compute(self, epochs: int):
        from tutor.playground.practice import batch_noise

        return batch_noise(epochs=epochs)

    def show(self, data) -> None:
        text = Text("training loss after each epoch (softmax regression, 300 digits, lr 0.05)\n", "bold")
        hi = max(max(v) for v in data.losses.values())
        for size, style in zip(data.batch_sizes, ("bold green", "bold cyan", "bold red")):
            losses = data.losses[size]
            label = "the full set" if size == max(data.batch_sizes) else f"batches of {size}"
            text.append_text(line_plot(range(len(losses)), losses, width=30, height=5, lo=0.0, hi=hi,
                                       title=f"{label}: {data.steps[size]} steps per epoch, "
                                             f"loss {losses[-1]:.3f}", style=style))
            text.append("\n")
        self.query_one("#batches", Static).update(text)


class ShallowDeepPlay(Playground):
    TITLE = "Shallow against deep, of about the same size"

    def compose(self) -> ComposeResult:
        with Horizontal(classes="play-controls"):
            yield Label("training steps", classes="play-label")
            yield Input("600", id="steps", type="integer", classes="number")
        yield self.error_line()
        yield Static("", id="shallow-deep", classes="play-text")

    def params(self) -> dict:
        raw = self.query_one("#steps", Input).value.strip()
        if not raw.isdigit() or not 1 <= int(raw) <= 5000:
            raise ValueError("steps must be a whole number from 1 to 5000")
        return {"steps": int(raw)}

    def compute(self, steps: int):
        from tutor.playground.practice import shallow_vs_deep

        return shallow_vs_deep(steps=steps)

    def show(self, data) -> None:
        text = Text("the class is (x₁x₂ > 0) XOR (x₃x₄ > 0); accuracy on 1000 new points\n", "bold")
        for name, sizes, weights, params, accuracy in (
                ("shallow", data.shallow_sizes, data.shallow_weights, data.shallow_params, data.shallow_accuracy),
                ("deep", data.deep_sizes, data.deep_weights, data.deep_params, data.deep_accuracy)):
            shape = "–".join(map(str, sizes))
            text.append(f"{name:<8}{shape:<12}{weights} weights ({params} with biases)   ")
            text.append(f"{accuracy:.1%}\n", "bold")
        self.query_one("#shallow-deep", Static).update(text)
