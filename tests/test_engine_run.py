"""tutor/engine/run.py: only the exercises' modules travel, and a dead zygote is retried once."""
from pathlib import Path

from tutor.engine.pool import WorkerDied
from tutor.engine.run import MAX_SOURCE_BYTES, clean_sources, exercise_modules, read_sources, run_tasks


def test_only_the_manifest_modules_of_a_sane_size_travel():
    sources = {"layers": "x = 1", "json": "evil", "../optim": "x", "optim": "a" * (MAX_SOURCE_BYTES + 1),
               "cnn": "b" * MAX_SOURCE_BYTES, 7: "x", "rnn": b"bytes"}
    assert clean_sources(sources) == {"layers": "x = 1", "cnn": "b" * MAX_SOURCE_BYTES}


def test_a_workspace_is_read_for_its_exercise_modules_only(tmp_path: Path):
    (tmp_path / "layers.py").write_text("x = 1\n")
    (tmp_path / "signal.py").write_text("raise SystemExit\n")
    (tmp_path / "notes.txt").write_text("hello\n")
    assert read_sources(tmp_path) == {"layers": "x = 1\n"}
    assert "layers" in exercise_modules() and "signal" not in exercise_modules()


class FlakyWorker:
    """Dies on the first job after answering the first task; a restart brings a healthy one."""

    def __init__(self):
        self.jobs, self.restarts = [], 0

    def restart(self):
        self.restarts += 1

    def run(self, key, frame, tasks, sources, timeout, limits, on_progress=None):
        self.jobs.append([t["n"] for t in tasks])
        answers = {i: ({"type": "result", "n": t["n"]}, b"") for i, t in enumerate(tasks)}
        if self.restarts == 0:
            error = WorkerDied("the worker process ended unexpectedly")
            error.partial = {0: answers[0]}
            raise error
        return answers


def test_tasks_a_dead_zygote_did_not_answer_run_once_more_on_a_fresh_one():
    worker = FlakyWorker()
    answered = run_tasks(worker, 1, b"", [{"n": 0}, {"n": 1}, {"n": 2}], {}, 10.0)
    assert worker.jobs == [[0, 1, 2], [1, 2]] and worker.restarts == 1
    assert [answered[i][0]["n"] for i in range(3)] == [0, 1, 2]


def test_a_zygote_that_dies_twice_leaves_its_tasks_crashed():
    class Dead(FlakyWorker):
        def run(self, *args, **kwargs):
            error = WorkerDied("gone")
            error.partial = {}
            raise error

    answered = run_tasks(Dead(), 1, b"", [{"n": 0}], {}, 10.0)
    assert answered[0][0]["error"] == "crash" and "gone" in answered[0][0]["message"]
