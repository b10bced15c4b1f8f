"""Convolution and pooling on a small hand-drawn digit: blur, sharpen and edge kernels,
then 2×2 max pooling, drawn in terminal shades."""
from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Checkbox, Select, Static

from tutor.app.widgets.playground import Playground

KERNELS = ("blur", "sharpen", "edge", "identity")


def picture(title: str, shades: str, style: str = "") -> Text:
    text = Text()
    text.append(title + "\n", "bold")
    text.append(shades, style)
    return text


class ConvolutionPlay(Playground):
    TITLE = "Convolution and max pooling"

    def compose(self) -> ComposeResult:
        with Horizontal(classes="play-controls"):
            yield Select([(k, k) for k in KERNELS], value="edge", allow_blank=False, id="kernel",
                         compact=True)
            yield Checkbox("2×2 max pool", value=True, id="pool", compact=True)
        yield self.error_line()
        with Horizontal(classes="plots"):
            yield Static("", id="image", classes="play-figure")
            yield Static("", id="filtered", classes="play-figure")
            yield Static("", id="pooled-digit", classes="play-figure")
        with Horizontal(classes="plots"):
            yield Static("", id="kernel-values", classes="play-figure")
            yield Static("", id="pooled", classes="play-figure")

    def params(self) -> dict:
        return {"kernel": self.query_one("#kernel", Select).value,
                "pool": self.query_one("#pool", Checkbox).value}

    def compute(self, kernel: str, pool: bool):
        from tutor.playground import cnn

        filtered = cnn.apply_kernel(cnn.DIGIT_3, kernel)
        pooled = cnn.max_pool(filtered, 2) if pool else None
        pooled_digit = cnn.max_pool(cnn.DIGIT_3, 2) if pool else None
        return {
            "pooled_digit": cnn.render_shades(pooled_digit) if pooled_digit is not None else None,
            "pooled_digit_shape": pooled_digit.shape if pooled_digit is not None else None,
            "kernel": kernel,
            "weights": cnn.KERNELS[kernel],
            "image": cnn.render_shades(cnn.DIGIT_3),
            "image_shape": cnn.DIGIT_3.shape,
            "filtered": cnn.render_shades(filtered),
            "filtered_shape": filtered.shape,
            "pooled": cnn.render_shades(pooled) if pooled is not None else None,
            "pooled_shape": pooled.shape if pooled is not None else None,
        }

    def show(self, data) -> None:
        h, w = data["image_shape"]
        self.query_one("#image", Static).update(picture(f"digit {h}×{w}", data["image"]))
        fh, fw = data["filtered_shape"]
        self.query_one("#filtered", Static).update(
            picture(f"{data['kernel']} → {fh}×{fw}", data["filtered"], "cyan"))
        kernel = Text()
        kernel.append(f"{data['kernel']} kernel\n", "bold")
        for row in data["weights"]:
            kernel.append(" ".join(f"{v:5.2f}" for v in row) + "\n", "yellow")
        self.query_one("#kernel-values", Static).update(kernel)
        digit = self.query_one("#pooled-digit", Static)
        pooled = self.query_one("#pooled", Static)
        if data["pooled"] is None:
            digit.update("")
            pooled.update(Text("pooling off", "dim"))
            return
        ph, pw = data["pooled_digit_shape"]
        digit.update(picture(f"max pool 2×2 → {ph}×{pw}", data["pooled_digit"], "magenta"))
        ph, pw = data["pooled_shape"]
        pooled.update(picture(f"max pool 2×2 → {ph}×{pw}", data["pooled"], "magenta"))
