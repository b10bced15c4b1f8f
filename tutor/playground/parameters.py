"""The parameter counter: dense nets layer by layer, their memory, and VGG16's table.

Totals come from the PyTorch reference (``tutor.reference.param_count``, which counts the
parameters of real ``torch.nn`` modules built on the meta device); the per-layer rows are
the arithmetic a learner does by hand, and the tests check the two agree.
"""
from __future__ import annotations

from dataclasses import dataclass

BYTES_FLOAT32 = 4
BYTES_FLOAT64 = 8

# The lectures' examples (see tutor.worked_examples): name -> layer sizes.
PRESETS: dict[str, tuple[int, ...]] = {
    "10-2-1 (lecture exercise)": (10, 2, 1),
    "10-25-25-1 (lecture exercise)": (10, 25, 25, 1),
    "100×100×3 image → 1000 → 10": (100 * 100 * 3, 1000, 10),
    "28×28 digit → 100 → 10": (28 * 28, 100, 10),
}


@dataclass(frozen=True)
class LayerRow:
    name: str                  # "dense 1", "conv1_1", "fc6", ...
    kind: str                  # "dense", "conv" or "pool"
    shape: str                 # e.g. "30000 × 1000 + 1000" or "3×3×3 → 64"
    weights: int
    biases: int

    @property
    def params(self) -> int:
        return self.weights + self.biases


@dataclass(frozen=True)
class DenseCount:
    layer_sizes: tuple[int, ...]
    layers: tuple[LayerRow, ...]
    total: int
    bytes_float32: int
    bytes_float64: int
    human_float32: str         # e.g. "120.0 MB"
    human_float64: str


def human_bytes(n: int) -> str:
    """Bytes in decimal units (1 MB = 10⁶ bytes, 1 GB = 10⁹ bytes): 120044040 -> "120.0 MB"."""
    for unit, size in (("GB", 10**9), ("MB", 10**6), ("kB", 10**3)):
        if n >= size:
            return f"{n / size:.1f} {unit}"
    return f"{n} B"


def count_dense(layer_sizes) -> DenseCount:
    """Weights and biases of a fully connected net, per layer and in total, with memory.

    layer_sizes: input size first, e.g. (10, 2, 1) -> 25 parameters (22 weights, 3 biases);
    (30000, 1000, 10) -> 30,011,010 parameters, 120.0 MB in float32, 240.1 MB in float64.
    """
    from tutor.reference import param_count as ref

    sizes = tuple(int(s) for s in layer_sizes)
    if len(sizes) < 2 or any(s < 1 for s in sizes):
        raise ValueError("give at least two positive layer sizes, input first")
    rows = tuple(
        LayerRow(f"dense {i}", "dense", f"{a} × {b} + {b}", a * b, b)
        for i, (a, b) in enumerate(zip(sizes, sizes[1:]), start=1)
    )
    total = int(ref.dense_params(list(sizes)))
    return DenseCount(sizes, rows, total, total * BYTES_FLOAT32, total * BYTES_FLOAT64,
                      human_bytes(total * BYTES_FLOAT32), human_bytes(total * BYTES_FLOAT64))


def conv_params(in_channels: int, out_channels: int, kernel_size) -> int:
    """Parameters of one convolution layer (weights shared across the image, one bias per
    filter), from the reference: conv_params(3, 32, 5) = 32·(5·5·3) + 32 = 2432, whatever the
    image size."""
    from tutor.reference import param_count as ref

    return int(ref.conv2d_params(in_channels, out_channels, kernel_size))


def vgg16_layers(num_classes: int = 1000) -> list[LayerRow]:
    """VGG16's layers with their parameters; the rows sum to vgg16_params(num_classes),
    138,357,544 for 1000 classes. Pooling rows have 0 parameters. The layout is the
    reference's VGG16_CONFIG (configuration D: 3×3 convolutions with padding 1, "M" a 2×2
    max pool)."""
    from tutor.reference.param_count import VGG16_CONFIG

    rows: list[LayerRow] = []
    channels, side, block, conv_in_block = 3, 224, 1, 0
    for v in VGG16_CONFIG:
        if v == "M":
            side //= 2
            rows.append(LayerRow(f"pool{block}", "pool", f"2×2 max → {side}×{side}×{channels}", 0, 0))
            block, conv_in_block = block + 1, 0
            continue
        conv_in_block += 1
        rows.append(LayerRow(f"conv{block}_{conv_in_block}", "conv",
                             f"3×3×{channels} → {v}", 3 * 3 * channels * v, v))
        channels = v
    flat = channels * side * side  # 7·7·512 = 25088
    for name, a, b in (("fc6", flat, 4096), ("fc7", 4096, 4096), ("fc8", 4096, num_classes)):
        rows.append(LayerRow(name, "dense", f"{a} × {b} + {b}", a * b, b))
    return rows


def vgg16_total(num_classes: int = 1000) -> int:
    """VGG16's parameter count from the reference (real torch.nn modules)."""
    from tutor.reference import param_count as ref

    return int(ref.vgg16_params(num_classes))


__all__ = ["BYTES_FLOAT32", "BYTES_FLOAT64", "DenseCount", "LayerRow", "PRESETS", "conv_params",
           "count_dense", "human_bytes", "vgg16_layers", "vgg16_total"]
