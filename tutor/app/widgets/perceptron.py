"""The perceptron on AND, OR and XOR, one sample update at a time, with the decision
boundary drawn on the unit square."""
from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Button, Select, Static

from tutor.app.widgets.canvas import fmt
from tutor.app.widgets.playground import StepperPlayground
from tutor.marks import FAILED

GATES = ("AND", "OR", "XOR")


class PerceptronPlay(StepperPlayground):
    TITLE = "The perceptron learns a gate"

    def compose(self) -> ComposeResult:
        with Horizontal(classes="play-controls"):
            yield Select([(g, g) for g in GATES], value="AND", allow_blank=False, id="gate",
                         compact=True)
        with Horizontal(classes="play-buttons"):
            yield Button("Step (s)", id="step", compact=True)
            yield Button("Back (b)", id="back", compact=True)
            yield Button("Restart (0)", id="restart", compact=True)
            yield Button("To the end", id="end", compact=True)
        yield self.error_line()
        with Horizontal(classes="plots"):
            yield Static("", id="grid", classes="play-figure")
            yield Static("", id="state", classes="play-text")

    def params(self) -> dict:
        return {"gate": self.query_one("#gate", Select).value}

    def compute(self, gate: str):
        from tutor.playground.perceptron import perceptron_steps, render_gate

        states = perceptron_steps(gate)
        # pictures for every state, drawn here in the worker so stepping is instant
        pictures = [render_gate((0.0, 0.0), 0.0, gate)]
        pictures += [render_gate(s.w, s.b, gate) for s in states]
        return gate, states, pictures

    def on_select_changed(self, event: Select.Changed) -> None:
        event.stop()
        event.prevent_default()  # instead of the base class's recompute, not as well
        self.step = 0
        self.recompute()

    def on_button_pressed(self, event) -> None:
        if event.button.id == "end":
            event.stop()
            if self.data is not None:
                self.step = self.steps_total()
                self.show_step()
            return
        super().on_button_pressed(event)

    def show(self, data) -> None:
        self.step = min(self.step, self.steps_total())
        self.show_step()

    def steps_total(self) -> int:
        return len(self.data[1]) if self.data is not None else 0

    def show_step(self) -> None:
        gate, states, pictures = self.data
        grid = Text()
        grid.append("x₂ ↑   (░ says 1, · says 0)\n", "dim")
        for line in pictures[self.step].splitlines():
            for ch in line:
                style = {"░": "cyan", FAILED.symbol: FAILED.style, "0": "bold", "1": "bold"}.get(ch)
                grid.append(ch, style)
            grid.append("\n")
        grid.append("                  x₁ →", "dim")
        self.query_one("#grid", Static).update(grid)

        text = Text()
        text.append(f"{gate}: ", "bold")
        if self.step == 0:
            text.append("w = (0, 0), b = 0\n")
            text.append("Press s to show the perceptron its first sample.\n", "dim")
        else:
            s = states[self.step - 1]
            mistakes = f"{s.errors_in_epoch} mistake{'s' if s.errors_in_epoch != 1 else ''}"
            text.append(f"epoch {s.epoch}, sample {s.sample + 1}/4 · {mistakes} so far this epoch\n")
            text.append(f"x = ({fmt(s.x[0])}, {fmt(s.x[1])})  target {fmt(s.target)}  "
                        f"said {fmt(s.prediction)}\n")
            if s.error:
                text.append(f"error {fmt(s.error):>2}: w += {fmt(s.error)}·x, b += {fmt(s.error)}\n",
                            "yellow")
            else:
                text.append("right: no change\n", "green")
            text.append(f"w = ({fmt(s.w[0])}, {fmt(s.w[1])}), b = {fmt(s.b)}\n", "bold cyan")
            text.append(f"{s.boundary.text}\n", "dim")
            if s.settled:
                text.append(f"\nSettled: epoch {s.epoch} made no mistake.", "bold green")
            elif self.step == self.steps_total():
                text.append(f"\nNever settles: after {s.epoch} epochs there are still mistakes. "
                            "No line separates XOR.", "bold red")
        text.append(f"\nstep {self.step}/{self.steps_total()}", "dim")
        self.query_one("#state", Static).update(text)
