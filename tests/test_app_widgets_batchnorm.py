"""tutor/app/widgets/batchnorm.py: the batch-norm algorithm line by line."""
from __future__ import annotations

from test_app_support import asynctest, host, settle, text_of

from tutor.app.widgets.batchnorm import LINES, BatchnormPlay


@asynctest
async def test_steps_through_the_algorithm():
    widget = BatchnormPlay()
    app = host(widget)
    async with app.run_test(size=(80, 40)) as pilot:
        await settle(pilot)
        widget.focus()
        assert "μ =" not in text_of(widget.query_one("#lines"))
        await pilot.press("s")
        assert "μ = (1/m)" in text_of(widget.query_one("#lines"))
        for _ in range(len(LINES)):
            await pilot.press("s")
        lines = text_of(widget.query_one("#lines"))
        assert "yᵢ = γ x̂ᵢ + β" in lines and "mean 0" in lines
        await pilot.press("b")
        assert "yᵢ" not in text_of(widget.query_one("#lines"))
        await pilot.press("0")
        assert widget.step == 0


def test_rounding_noise_shows_as_zero():
    import numpy as np

    from tutor.app.widgets.batchnorm import rows

    assert rows(np.array([3.0, 220.0, 8.673617379884035e-19])).split() == ["3", "220", "0"]
    assert rows(np.array([2e-8, 1e-8])).split() == ["2e-08", "1e-08"]   # small but real


@asynctest
async def test_gamma_beta_and_the_batch_can_be_changed():
    from textual.widgets import Input, Select

    widget = BatchnormPlay()
    app = host(widget)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        def mean_line() -> str:
            lines = text_of(widget.query_one("#lines")).splitlines()
            return next(lines[i + 1] for i, line in enumerate(lines) if line.startswith("μ ="))

        widget.focus()
        await pilot.press("s")
        assert mean_line().split() == ["3", "220", "0"]          # 8.674e-19 is 0
        widget.query_one("#gamma", Input).value = "2"
        widget.query_one("#beta", Input).value = "5"
        await settle(pilot)
        for _ in range(len(LINES)):
            await pilot.press("s")
        y = widget.data.y
        assert abs(y.mean(axis=0) - 5).max() < 1e-9 and abs(y[:, 0].std() - 2) < 1e-3
        assert "mean 5 and standard deviation about 2" in text_of(widget.query_one("#lines"))
        widget.query_one("#preset", Select).value = "tiny"
        await settle(pilot)
        assert widget.data.var[2] < 1e-5 and abs(widget.data.x_hat[:, 2]).max() < 0.1   # x̂ shrinks
        widget.query_one("#batch", Input).value = "1 2; 3"
        await settle(pilot)
        assert "same length" in text_of(widget.query_one(".play-error"))
