"""Counting parameters: type layer sizes (or pick a lecture's preset, or VGG16) and see
the count layer by layer and the memory in float32 and float64."""
from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import DataTable, Input, Label, Select, Static

from tutor.app.widgets.playground import Playground

VGG16 = "VGG16"
# the lecture presets, as in tutor.playground.parameters.PRESETS (copied so the widget mounts
# without importing NumPy; a test checks they agree)
PRESETS = {
    "10-2-1 (lecture exercise)": (10, 2, 1),
    "10-25-25-1 (lecture exercise)": (10, 25, 25, 1),
    "100×100×3 image → 1000 → 10": (30000, 1000, 10),
    "28×28 digit → 100 → 10": (784, 100, 10),
}


def parse_sizes(text: str) -> tuple[int, ...]:
    parts = [p for p in text.replace(",", " ").replace("-", " ").split() if p]
    try:
        sizes = tuple(int(p) for p in parts)
    except ValueError:
        raise ValueError("layer sizes are whole numbers, e.g. 10, 25, 25, 1") from None
    if len(sizes) < 2 or any(s < 1 for s in sizes):
        raise ValueError("give at least two positive layer sizes, input first")
    return sizes


class ParamCounter(Playground):
    TITLE = "Counting parameters"

    def compose(self) -> ComposeResult:
        with Horizontal(classes="play-controls"):
            yield Select([(name, name) for name in PRESETS] + [("VGG16, layer by layer", VGG16)],
                         prompt="preset", id="preset", compact=True)
        with Horizontal(classes="play-controls"):
            yield Label("layer sizes", classes="play-label")
            yield Input("10, 25, 25, 1", id="sizes", placeholder="input first, e.g. 10, 2, 1")
        yield self.error_line()
        yield Static("", id="total", classes="play-text")
        table: DataTable = DataTable(id="layers", cursor_type="row")
        table.add_columns("layer", "shape", "params", "running total")
        yield table

    def params(self) -> dict:
        preset = self.query_one("#preset", Select).value
        if preset == VGG16:
            return {"vgg": True, "sizes": ()}
        return {"vgg": False, "sizes": parse_sizes(self.query_one("#sizes", Input).value)}

    def compute(self, vgg: bool, sizes: tuple[int, ...]):
        from tutor.playground import parameters

        if vgg:
            rows = parameters.vgg16_layers()
            total = parameters.vgg16_total()
            return ("VGG16 (configuration D, 224×224×3, 1000 classes)", rows, total,
                    parameters.human_bytes(total * parameters.BYTES_FLOAT32),
                    parameters.human_bytes(total * parameters.BYTES_FLOAT64))
        count = parameters.count_dense(sizes)
        return (" → ".join(str(s) for s in sizes), count.layers, count.total,
                count.human_float32, count.human_float64)

    def on_select_changed(self, event: Select.Changed) -> None:
        event.stop()
        event.prevent_default()  # instead of the base class's recompute, not as well
        value = event.value
        if value in PRESETS:
            sizes = ", ".join(str(s) for s in PRESETS[value])
            box = self.query_one("#sizes", Input)
            if box.value != sizes:
                box.value = sizes  # triggers Input.Changed -> recompute
                return
        self.recompute()

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        event.prevent_default()  # instead of the base class's recompute, not as well
        preset = self.query_one("#preset", Select)
        if preset.value == VGG16:
            preset.clear()
        self.recompute()

    def show(self, data) -> None:
        name, rows, total, f32, f64 = data
        text = Text()
        text.append(f"{name}\n", "bold")
        text.append(f"{total:,}", "bold yellow")
        text.append(" parameters · ")
        text.append(f"{f32}", "bold cyan")
        text.append(" in float32 · ")
        text.append(f"{f64}", "bold cyan")
        text.append(" in float64")
        self.query_one("#total", Static).update(text)
        table = self.query_one("#layers", DataTable)
        table.clear()
        running = 0
        for row in rows:
            running += row.params
            table.add_row(row.name, row.shape, f"{row.params:,}", f"{running:,}")
