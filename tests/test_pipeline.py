"""Class grading as a library (tutor/classroom/pipeline.py): the events, the refusals, the executor seam.

Students without files need no engine, so these run without workers; the engine's side is tested
end to end in test_grade_command.py (local) and test_cluster.py (Dask)."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

from tutor.classroom.pipeline import (Finished, GradeOptions, Job, Notice, Refusal, Report, Started, Stopped,
                                      StudentDone, grade_class)
from tutor.classroom.runner import Outcome, completed
from tutor.engine.results import ExerciseResult


@pytest.fixture(autouse=True)
def pinned_version(monkeypatch):
    monkeypatch.setenv("TUTOR_GRADER_VERSION", "test-pinned")


def empty_class(root: Path, *names: str) -> Path:
    for name in names:
        (root / name).mkdir(parents=True)
    return root


def test_events_of_a_class_without_code(tmp_path):
    root = empty_class(tmp_path / "class", "ada", "bob")
    events = list(grade_class(GradeOptions(submissions=root, out=tmp_path / "out")))
    kinds = [type(e) for e in events]
    assert kinds.index(Started) < kinds.index(StudentDone) < kinds.index(Stopped) < kinds.index(Report)
    assert events[-1] == Finished(0)
    assert next(e for e in events if isinstance(e, Started)).total == 2
    assert {e.student for e in events if isinstance(e, StudentDone) and e.ok} == {"ada", "bob"}
    assert any(isinstance(e, Notice) and e.text == "2 students; grading 2" for e in events)
    assert any(isinstance(e, Report) and e.text.startswith("Isolation: ") for e in events)
    assert (tmp_path / "out" / "grades.csv").read_text().count("ada,") > 0
    again = list(grade_class(GradeOptions(submissions=root, out=tmp_path / "out")))
    assert not any(isinstance(e, Started) for e in again) and again[-1] == Finished(0)
    assert any(isinstance(e, Notice) and "2 already graded (unchanged); grading 0" in e.text for e in again)


def test_unusable_input_is_refused_before_anything_is_written(tmp_path):
    with pytest.raises(Refusal, match="no such folder"):
        list(grade_class(GradeOptions(submissions=tmp_path / "nope", out=tmp_path / "out")))
    assert not (tmp_path / "out").exists()


def test_a_missing_dask_is_one_line_with_the_install_command(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "distributed", None)     # as if Dask were not installed
    root = empty_class(tmp_path / "class", "ada")
    for options in (GradeOptions(submissions=root, out=tmp_path / "out", executor="dask"),
                    GradeOptions(submissions=root, out=tmp_path / "out", cluster="tcp://127.0.0.1:8786")):
        with pytest.raises(Refusal) as refused:
            list(grade_class(options))
        assert 'pip install "nn-tutor[cluster]"' in str(refused.value) and "\n" not in str(refused.value)
    assert not (tmp_path / "out").exists()


class EveryoneGetsFull:
    """An executor at the seam: grades by fiat (what a new executor must do: record, report, count)."""
    isolation = "test isolation"
    notices = ["a line from the executor"]

    def __init__(self, options, *, needs_engine, hidden_tests):
        self.started = self.closed = False

    def start(self):
        self.started = True

    def grade(self, job: Job, on_done, stop) -> Outcome:
        outcome = Outcome()
        for name in job.names:
            engine = [ExerciseResult(exercise=e.id, score=float(e.points), max_score=float(e.points), passed=True,
                                     message="ok", status="passed", diagnosis="ok") for e in job.exercises]
            results, files = completed(job.students[name], job.exercises, engine)
            job.gradebook.record(job.run_id, name, job.hashes[name], job.version, results, files).result()
            outcome.graded.append(name)
            on_done(name, True, 7)
        return outcome

    def close(self):
        self.closed = True


def test_the_executor_seam(tmp_path):
    root = empty_class(tmp_path / "class", "ada")
    (root / "ada" / "layers.py").write_text("x = 1\n")
    made = []

    def factory(options, **kw):
        made.append(EveryoneGetsFull(options, **kw))
        return made[-1]

    events = list(grade_class(GradeOptions(submissions=root, out=tmp_path / "out"), executor_factory=factory))
    assert made[0].started and made[0].closed
    assert Notice("a line from the executor", "warning") in events
    assert StudentDone("ada", True, 7) in events
    assert events[-1] == Finished(0)
    assert any(isinstance(e, Report) and e.text == "Isolation: test isolation" for e in events)


def test_the_term_comes_through_the_options(tmp_path):
    """--exercises, --roster, --out inside the class: the CLI's term options are GradeOptions fields."""
    from tutor.manifest import EXERCISES

    root = empty_class(tmp_path / "class", "ada")
    (root / "ada" / "layers.py").write_text("x = 1\n")
    with pytest.raises(Refusal, match="inside the class folder"):
        list(grade_class(GradeOptions(submissions=root, out=root / "out")))
    roster = tmp_path / "roster.csv"
    roster.write_text("id,name,email\nada,Ada,ada@example.org\nbob,Bob,bob@example.org\n")
    options = GradeOptions(submissions=root, out=tmp_path / "out", exercises="layers", roster=roster)
    events = list(grade_class(options, executor_factory=EveryoneGetsFull))
    assert events[-1] == Finished(0)
    assert any(isinstance(e, Notice) and e.level == "warning" and "handed nothing in (bob)" in e.text for e in events)
    layers = {e.id for e in EXERCISES if e.module == "layers"}
    graded = {row.split(",")[1] for row in (tmp_path / "out" / "grades.csv").read_text().splitlines()[1:]}
    assert graded == layers
    assert "bob" in (tmp_path / "out" / "totals.csv").read_text()
    assert any(isinstance(e, Report) and e.text.startswith("Similarity") for e in events)
