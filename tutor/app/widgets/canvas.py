"""Drawing in text: a character grid with styles, and a small line plot. Rich only."""
from __future__ import annotations

import math

from rich.text import Text


class Canvas:
    """A width × height grid of characters, each with an optional Rich style."""

    def __init__(self, width: int, height: int) -> None:
        self.width, self.height = width, height
        self.chars = [[" "] * width for _ in range(height)]
        self.styles: list[list[str]] = [[""] * width for _ in range(height)]

    def put(self, row: int, col: int, text: str, style: str = "") -> None:
        if not 0 <= row < self.height:
            return
        for i, ch in enumerate(text):
            c = col + i
            if 0 <= c < self.width:
                self.chars[row][c] = ch
                self.styles[row][c] = style

    def center(self, row: int, middle: int, text: str, style: str = "") -> None:
        self.put(row, middle - len(text) // 2, text, style)

    def hline(self, row: int, start: int, end: int, ch: str = "─", style: str = "") -> None:
        for c in range(start, end + 1):
            self.put(row, c, ch, style)

    def to_text(self) -> Text:
        text = Text()
        for r in range(self.height):
            row = self.chars[r]
            last = len("".join(row).rstrip())
            for c in range(last):
                text.append(row[c], self.styles[r][c] or None)
            if r < self.height - 1:
                text.append("\n")
        return text


def fmt(value: float, digits: int = 4) -> str:
    """A short number: 3, -0.5, 0.5378, 1.2e-05."""
    if value == 0 or not math.isfinite(value):
        return f"{value:g}"
    return f"{value:.{digits}g}"


def line_plot(xs, ys, width: int = 26, height: int = 9, title: str = "",
              style: str = "bold cyan", lo: float | None = None, hi: float | None = None) -> Text:
    """ys against xs as one point per column, with the axes where 0 falls inside."""
    xs, ys = list(map(float, xs)), list(map(float, ys))
    lo = min(ys) if lo is None else lo
    hi = max(ys) if hi is None else hi
    if hi - lo < 1e-12:
        lo, hi = lo - 1, hi + 1
    canvas = Canvas(width, height)
    x0, x1 = xs[0], xs[-1]

    def col(x: float) -> int:
        return round((x - x0) / (x1 - x0) * (width - 1)) if x1 != x0 else 0

    def row(y: float) -> int:
        return height - 1 - round((y - lo) / (hi - lo) * (height - 1))

    if lo <= 0 <= hi:
        canvas.hline(row(0.0), 0, width - 1, "─", "dim")
    if x0 <= 0 <= x1:
        c = col(0.0)
        for r in range(height):
            canvas.put(r, c, "┼" if canvas.chars[r][c] == "─" else "│", "dim")
    columns: dict[int, list[float]] = {}
    for x, y in zip(xs, ys):
        columns.setdefault(col(x), []).append(y)
    for c, values in columns.items():
        y = sum(values) / len(values)
        canvas.put(row(y), c, "•", style)
    text = Text()
    if title:
        text.append(title + "\n", "bold")
    text.append(f"{fmt(hi, 3):>7} ┤", "dim")
    body = canvas.to_text().split("\n")
    for i, line in enumerate(body):
        if i:
            text.append("\n")
            text.append(f"{fmt(lo, 3):>7} ┤" if i == height - 1 else "        │", "dim")
        text.append_text(line)
    text.append(f"\n         {fmt(x0, 2):<{width // 2}}{fmt(x1, 2):>{width - width // 2}}", "dim")
    return text


def log_bars(values, width: int = 30, labels=None, style: str = "bold magenta",
             axis: tuple[float, float] | None = None, shown=None) -> Text:
    """Horizontal bars on a log scale. With `axis` (lo, hi) the scale is fixed: a bar's
    length says the same thing from one chart to the next (a value below lo gets "◂", above
    hi a full bar and "▸"). Without it the smallest positive value gets one cell and the
    largest the full width. Zeros get an empty bar. `shown`: the numbers printed after the
    bars, when they are not the values drawn (default: the values)."""
    values = [float(v) for v in values]
    positive = [v for v in values if v > 0]
    if axis is not None:
        lo_log, hi_log = math.log10(axis[0]), math.log10(axis[1])
    elif positive:
        lo_log, hi_log = math.log10(min(positive)), math.log10(max(positive))
    else:
        lo_log = hi_log = 0.0
    shown = values if shown is None else [float(v) for v in shown]
    text = Text()
    for i, v in enumerate(values):
        label = labels[i] if labels else f"{i + 1:>2}"
        text.append(f"{label} ", "dim")
        text.append(f"{bar_of(v, lo_log, hi_log, width, fixed=axis is not None):<{width + 1}}", style)
        text.append(f" {shown[i]:.1e}\n")
    return text


def bar_of(value: float, lo_log: float, hi_log: float, width: int, fixed: bool) -> str:
    """One bar of log_bars: whole blocks, an eighth-block for the rest, and on a fixed axis
    a mark where the value lies beyond it."""
    if value <= 0:
        return ""
    if hi_log == lo_log:
        frac = 1.0
    else:
        frac = (math.log10(value) - lo_log) / (hi_log - lo_log)
    if fixed and frac < 0:
        return "◂"
    if fixed and frac > 1:
        return "█" * width + "▸"
    cells = frac * width if fixed else 1 + frac * (width - 1)
    full, part = int(cells), int((cells - int(cells)) * 8)
    return "█" * full + (" ▏▎▍▌▋▊▉█"[part] if part else "")


def log_axis(lo: float, hi: float, width: int, indent: int = 3, every: int = 2) -> Text:
    """The tick labels under fixed-axis log_bars: every `every` decades, 1 among them."""
    lo_log, hi_log = round(math.log10(lo)), round(math.log10(hi))
    line = [" "] * (indent + width + 8)
    first = lo_log + (-lo_log) % every if lo_log <= 0 <= hi_log else lo_log
    for decade in range(first, hi_log + 1, every):
        at = indent + round((decade - lo_log) / (hi_log - lo_log) * width)
        label = "1" if decade == 0 else ("10" if decade == 1 else f"1e{decade}")
        line[at] = "┴" if at > indent else "└"
        for k, ch in enumerate(label):
            if at + 1 + k < len(line):
                line[at + 1 + k] = ch
    return Text("".join(line).rstrip() + "\n", "dim")
