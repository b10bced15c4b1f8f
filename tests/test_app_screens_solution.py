"""tutor/app/screens/solution.py and solution_flow.py: key o, the solution beside the learner's."""
from __future__ import annotations

from test_app_support import asynctest, fresh_workspace, make_app, settle, solved, text_of

from tutor.app.screens.solution import SolutionScreen
from tutor.app.screens.solution_flow import learner_version


def test_learner_version_is_the_function_from_the_workspace(tmp_path):
    workspace = fresh_workspace(tmp_path)
    assert learner_version(workspace, "optim.minibatches").startswith("def minibatches(n, batch_size, rng):")
    (workspace / "optim.py").unlink()
    assert "not in your optim.py" in learner_version(workspace, "optim.minibatches")


@asynctest
async def test_o_opens_the_solution_once_solved(tmp_path, monkeypatch):
    monkeypatch.setenv("TUTOR_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("TUTOR_SOLUTIONS", raising=False)
    workspace = fresh_workspace(tmp_path)
    solved(workspace, "resnet")
    app = make_app(workspace, warm_up=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        from tutor.app.widgets.exercise_panel import ExercisePanel

        screen = app.screen
        screen.show_lesson("deeper")
        await settle(pilot)
        await pilot.press("3")
        await pilot.press("o")
        await settle(pilot)
        assert not isinstance(app.screen, SolutionScreen)       # not solved, no hint: a notice only
        panel = screen.query_one(ExercisePanel)
        panel.check_lesson()
        await settle(pilot)
        await pilot.press("o")
        await settle(pilot)
        assert isinstance(app.screen, SolutionScreen)
        panes = [text_of(w) for w in app.screen.query(".solution-code")]
        assert any("def residual_forward" in p for p in panes)
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(app.screen, SolutionScreen)
