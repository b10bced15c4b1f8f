"""The convolution playground: a hand-drawn digit, the lecture's kernels, max pooling, and
a renderer that turns any 2-D array into terminal shades.

Convolution and pooling are computed by the PyTorch reference (``tutor.reference.cnn``):
``convolve2d`` is a "valid" cross-correlation, so an H×W image and a k×k kernel give an
(H − k + 1)×(W − k + 1) result.
"""
from __future__ import annotations

import numpy as np

from ._torch import numpy as to_numpy, tensor

# A 12×12 "3", drawn by hand: 1 is ink, 0 is paper.
_DIGIT_3_ROWS = (
    "............",
    "...######...",
    "..########..",
    "..##....###.",
    "........###.",
    "....#####...",
    "....######..",
    "........###.",
    "..##....###.",
    "..########..",
    "...######...",
    "............",
)
DIGIT_3 = np.array([[1.0 if ch == "#" else 0.0 for ch in row] for row in _DIGIT_3_ROWS])
DIGIT_3.setflags(write=False)

# The lecture's kernels (lecture 000). The blur's nine ones are divided by 9 so that the
# blurred image stays in the same range (an average rather than a sum).
KERNELS: dict[str, np.ndarray] = {
    "blur": np.ones((3, 3)) / 9.0,
    "sharpen": np.array([[0.0, -1.0, 0.0], [-1.0, 5.0, -1.0], [0.0, -1.0, 0.0]]),
    "edge": np.array([[0.0, 1.0, 0.0], [1.0, -4.0, 1.0], [0.0, 1.0, 0.0]]),
    "identity": np.array([[0.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 0.0]]),
}
for _k in KERNELS.values():
    _k.setflags(write=False)

SHADES = " ░▒▓█"


def output_size(size: int, kernel: int, pad: int = 0, stride: int = 1) -> int:
    """Output side of a convolution or pooling: (H − k + 2p) / s + 1 (floor division)."""
    if stride < 1 or kernel < 1 or size + 2 * pad < kernel:
        raise ValueError("need stride ≥ 1, kernel ≥ 1 and a kernel no larger than the padded input")
    return (size - kernel + 2 * pad) // stride + 1


def apply_kernel(image, name_or_kernel) -> np.ndarray:
    """Valid cross-correlation of a 2-D image with a named kernel ("blur", "sharpen",
    "edge", "identity") or any 2-D array, via the reference: (H − k + 1, W − k + 1)."""
    from tutor.reference import cnn as ref

    if isinstance(name_or_kernel, str):
        try:
            kernel = KERNELS[name_or_kernel]
        except KeyError:
            raise ValueError(f"unknown kernel {name_or_kernel!r}; choose one of {', '.join(KERNELS)}") from None
    else:
        kernel = np.asarray(name_or_kernel, dtype=np.float64)
    image = np.asarray(image, dtype=np.float64)
    if image.ndim != 2 or kernel.ndim != 2:
        raise ValueError("image and kernel must be 2-D")
    return to_numpy(ref.convolve2d(tensor(image), tensor(kernel)))


def max_pool(image, size: int = 2, stride: int | None = None) -> np.ndarray:
    """Max over size×size windows moved by `stride` (default: size) of a 2-D image, via the
    reference: 12×12 with size 2 gives 6×6."""
    from tutor.reference import cnn as ref

    image = np.asarray(image, dtype=np.float64)
    if image.ndim != 2:
        raise ValueError("image must be 2-D")
    out, _ = ref.max_pool_forward(tensor(image[None, None]), size=size, stride=stride or size)
    return to_numpy(out)[0, 0]


def render_shades(array, shades: str = SHADES, lo: float | None = None, hi: float | None = None,
                  double: bool = True) -> str:
    """A 2-D array as lines of shade characters, darkest (first) for the smallest value.

    Values are scaled from [lo, hi] (default: the array's min and max) onto the shades;
    a constant array renders with the first shade. `double` prints each pixel twice so
    that the picture is roughly square in a terminal. Rows are joined with newlines.
    """
    a = np.asarray(array, dtype=np.float64)
    if a.ndim != 2:
        raise ValueError("render_shades needs a 2-D array")
    lo = float(a.min()) if lo is None else float(lo)
    hi = float(a.max()) if hi is None else float(hi)
    n = len(shades)
    if hi > lo:
        idx = np.clip(np.floor((a - lo) / (hi - lo) * n), 0, n - 1).astype(int)
    else:
        idx = np.zeros(a.shape, dtype=int)
    width = 2 if double else 1
    return "\n".join("".join(shades[i] * width for i in row) for row in idx)


__all__ = ["DIGIT_3", "KERNELS", "SHADES", "apply_kernel", "max_pool", "output_size", "render_shades"]
