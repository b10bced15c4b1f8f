"""tutor/engine/shared.py: the Graders kept for repeated checks share one worker."""
from pathlib import Path

from tutor import manifest
from tutor.engine import shared
from tutor.engine.run import read_sources

ROOT = Path(__file__).resolve().parents[1]


def test_a_selection_keeps_its_grader_and_every_grader_shares_one_pool():
    one = shared.shared_grader([manifest.by_id("optim.sgd_step")])
    again = shared.shared_grader([manifest.by_id("optim.sgd_step")])
    other = shared.shared_grader([manifest.by_id("perceptron.step")])
    assert one is again and other is not one
    assert [r.passed for r in one.grade(read_sources(ROOT / "solutions"))] == [True]
    assert [r.passed for r in other.grade(read_sources(ROOT / "solutions"))] == [True]


def test_check_workspace_grades_a_selection(tmp_path: Path):
    (tmp_path / "optim.py").write_text((ROOT / "solutions" / "optim.py").read_text())
    results = shared.check_workspace(tmp_path, "optim.sgd_step")
    assert [(r.exercise, r.passed) for r in results] == [("optim.sgd_step", True)]


def test_close_all_stops_them_and_a_later_check_starts_afresh(tmp_path: Path):
    first = shared.shared_grader([manifest.by_id("optim.sgd_step")])
    shared.close_all()
    second = shared.shared_grader([manifest.by_id("optim.sgd_step")])
    assert second is not first
    (tmp_path / "optim.py").write_text((ROOT / "solutions" / "optim.py").read_text())
    assert shared.check_workspace(tmp_path, "optim.sgd_step")[0].passed
