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
