"""tutor/app/widgets/canvas.py: text drawing helpers."""
from __future__ import annotations

from tutor.app.widgets.canvas import Canvas, fmt, line_plot, log_bars


def test_canvas_puts_and_clips():
    canvas = Canvas(5, 2)
    canvas.put(0, 3, "abc", "bold")
    canvas.center(1, 2, "xyz")
    canvas.put(5, 0, "ignored")
    assert str(canvas.to_text()) == "   ab\n xyz"


def test_fmt():
    assert fmt(3.0) == "3" and fmt(-0.5) == "-0.5" and fmt(0.537812) == "0.5378"
    assert fmt(float("nan")) == "nan"


def test_line_plot_draws_one_point_per_column_and_axes():
    xs = [i / 10 - 1 for i in range(21)]
    text = str(line_plot(xs, [x * x for x in xs], width=21, height=5, title="x²"))
    lines = text.splitlines()
    assert lines[0] == "x²" and len(lines) == 1 + 5 + 1
    assert text.count("•") == 21 and "│" in text


def test_log_bars_are_logarithmic():
    text = str(log_bars([1e-4, 1e-2, 1.0, 0.0], width=10)).splitlines()
    lengths = [line.count("█") for line in text]
    assert lengths[0] == 1 and lengths[2] == 10 and 4 <= lengths[1] <= 6 and lengths[3] == 0


def test_log_bars_on_a_fixed_axis_say_the_same_thing_in_every_chart():
    from tutor.app.widgets.canvas import log_axis

    axis = (1e-5, 1e2)
    relu = str(log_bars([0.78, 1.0], width=28, axis=axis)).splitlines()
    sigmoid = str(log_bars([0.036, 1.0], width=28, axis=axis)).splitlines()
    cells = [line.count("█") for line in relu + sigmoid]
    assert cells[1] == cells[3] == 20                  # 1 is 5 of 7 decades along, in both
    assert cells[0] == 19 and cells[2] == 14           # 0.78: almost all; 0.036: 1.4 decades less
    beyond = str(log_bars([1e-7, 1e4], width=28, axis=axis)).splitlines()
    assert "◂" in beyond[0] and "█" not in beyond[0] and beyond[1].count("█") == 28 and "▸" in beyond[1]
    ticks = str(log_axis(*axis, width=28))
    assert ticks.index("┴1 ") == 3 + 20               # the tick for 1 where a bar of 1 ends
