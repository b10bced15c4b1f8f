"""tutor/app/widgets/capstone.py: the learner's own training, curves from report()."""
from __future__ import annotations

from test_app_support import asynctest, fresh_workspace, host, settle, solved, text_of

from tutor.app.widgets.capstone import CapstonePlay, draw_curves


def test_curves_need_at_least_one_report():
    assert "call report(" in str(draw_curves([]))
    drawn = str(draw_curves([{"epoch": 0.0, "loss": 2.0}, {"epoch": 1.0, "loss": 1.0}]))
    assert "loss, epoch by epoch: 1" in drawn


@asynctest
async def test_the_stub_and_then_a_solution(tmp_path):
    workspace = fresh_workspace(tmp_path)
    widget = CapstonePlay(workspace=workspace)
    async with host(widget).run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        assert "not" in text_of(widget.query_one("#verdict")).lower()     # the stub: not started yet
        solved(workspace, "train")
        await pilot.click("#train-again")
        await settle(pilot)
        verdict = text_of(widget.query_one("#verdict"))
        assert "3/3" in verdict and "held-out digits" in verdict
        assert "call report(" in text_of(widget.query_one("#curves"))   # the solution reports nothing
