"""Backprop on f = (x + y)·z: edit x, y, z; forward values appear at once, then the
gradients appear node by node as you step through the backward pass."""
from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Button, Input, Label, Static

from tutor.app.widgets.canvas import Canvas, fmt
from tutor.app.widgets.playground import StepperPlayground

VALUE = "bold cyan"
GRAD = "bold yellow"
CURRENT = "bold black on yellow"
#          name: (row of the value, centre column)
PLACES = {"x": (0, 6), "y": (0, 24), "q": (4, 15), "z": (4, 38), "f": (8, 26)}


def draw_graph(graph, revealed: int) -> Text:
    """The graph as text; the first `revealed` backward steps show their gradient."""
    canvas = Canvas(50, 10)
    values = {node.name: node.value for node in graph.nodes}
    grads = {step.node: step.gradient for step in graph.backward[:revealed]}
    current = graph.backward[revealed - 1].node if revealed else None
    for name, (row, middle) in PLACES.items():
        canvas.center(row, middle, f"{name} = {fmt(values[name])}", VALUE)
        if name in grads:
            canvas.center(row + 1, middle, f"∂f/∂{name} = {fmt(grads[name])}",
                          CURRENT if name == current else GRAD)
    # x and y join at (+) into q; q and z join at (·) into f.
    canvas.put(2, 6, "└" + "─" * 8, "dim")
    canvas.put(2, 15, "┬", "dim")
    canvas.put(2, 16, "─" * 8 + "┘", "dim")
    canvas.put(3, 14, "(+)", "bold")
    canvas.put(6, 15, "└" + "─" * 10, "dim")
    canvas.put(6, 26, "┬", "dim")
    canvas.put(6, 27, "─" * 11 + "┘", "dim")
    canvas.put(7, 25, "(·)", "bold")
    return canvas.to_text()


class BackpropGraph(StepperPlayground):
    TITLE = "Backprop on f = (x + y)·z"

    def compose(self) -> ComposeResult:
        with Horizontal(classes="play-controls"):
            yield Label("x", classes="play-label")
            yield Input("-2", id="x", type="number", classes="number")
            yield Label("y", classes="play-label")
            yield Input("5", id="y", type="number", classes="number")
            yield Label("z", classes="play-label")
            yield Input("-4", id="z", type="number", classes="number")
        with Horizontal(classes="play-buttons"):
            yield Button("Step (s)", id="step", compact=True)
            yield Button("Back (b)", id="back", compact=True)
            yield Button("Restart (0)", id="restart", compact=True)
        yield self.error_line()
        yield Static("", id="graph", classes="play-figure")
        yield Static("", id="working", classes="play-text")

    def params(self) -> dict:
        values = {}
        for name in "xyz":
            raw = self.query_one(f"#{name}", Input).value.strip()
            try:
                values[name] = float(raw)
            except ValueError:
                raise ValueError(f"{name} must be a number, not {raw!r}") from None
        return values

    def compute(self, x: float, y: float, z: float):
        from tutor.playground.backprop import xyz_graph

        return xyz_graph(x, y, z)

    def show(self, data) -> None:
        self.step = min(self.step, self.steps_total())
        self.show_step()

    def steps_total(self) -> int:
        return len(self.data.backward) if self.data is not None else 0

    def show_step(self) -> None:
        graph = self.data
        self.query_one("#graph", Static).update(draw_graph(graph, self.step))
        text = Text()
        text.append("Forward: ", "bold")
        text.append(f"q = x + y = {fmt(graph.nodes[3].value)}, f = q · z = {fmt(graph.f)}\n", VALUE)
        if self.step == 0:
            text.append("Backward: press s (or Step) to send ∂f/∂f = 1 back through the graph.",
                        "dim")
        else:
            text.append(f"Backward, step {self.step}/{self.steps_total()}:\n", "bold")
            for step in graph.backward[:self.step]:
                text.append(f"  {step.working}\n", GRAD)
            if self.step == self.steps_total():
                text.append("Done: every input has its gradient.", "green")
        self.query_one("#working", Static).update(text)
