"""pool.py: zygotes are reused, capped, replaced when they die, and never trusted."""
from __future__ import annotations

import os
import signal
import threading
import time
from pathlib import Path

import pytest

from tutor import manifest
from tutor.engine import Grader
from tutor.engine.grader import read_sources
from tutor.engine.pool import Worker, WorkerDied, WorkerPool
from tutor.engine.worker.protocol import pack

ROOT = Path(__file__).resolve().parents[1]
SOLUTIONS = read_sources(ROOT / "solutions")
SLOW = SOLUTIONS["optim"] + "\n\nimport time\ndef sgd_step(w, dw, lr):\n    time.sleep(30)\n"


def test_an_empty_job_answers_done():
    worker = Worker()
    try:
        assert worker.run("key", b"", [], {}, 1.0) == {}
        assert worker.alive
    finally:
        worker.close()
    assert worker.process.poll() is not None


def test_workers_are_reused_and_capped():
    pool = WorkerPool(2)
    seen, lock = [], threading.Lock()

    def use():
        with pool.worker() as worker:
            with lock:
                seen.append(worker)
            time.sleep(0.2)

    threads = [threading.Thread(target=use) for _ in range(5)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    pool.close()
    assert len({id(w) for w in seen}) == 2 and pool._count == 2


def test_a_killed_zygote_fails_the_job_then_is_replaced():
    exercises = [manifest.by_id("optim.sgd_step"), manifest.by_id("optim.momentum_step")]
    with Grader(exercises, timeout=20) as grader:
        grader.grade(SOLUTIONS)
        (zygote,) = grader._pool._idle

        def kill_soon():
            time.sleep(0.5)
            os.killpg(zygote.process.pid, signal.SIGKILL)

        threading.Thread(target=kill_soon).start()
        sources = dict(SOLUTIONS, optim=SLOW)
        results = grader.grade(sources)
        assert all(r.diagnosis == "crash" and "worker" in r.message for r in results)
        assert all(r.passed for r in grader.grade(SOLUTIONS))      # a fresh zygote took over
        assert grader._pool._idle[0] is not zygote


class Liar(Worker):
    """A zygote that answers with a frame for a task that does not exist."""

    def run(self, *args, **kwargs):
        self._send(pack({"type": "ping"}))
        self.reader.read(time.monotonic() + 5)      # the pong
        self.reader = _Canned([({"type": "result", "index": 99}, b"")])
        return super().run(*args, **kwargs)


class _Canned:
    def __init__(self, frames):
        self.frames = frames

    def read(self, deadline=None):
        return self.frames.pop(0)


def test_frames_for_unknown_tasks_kill_the_worker():
    worker = Liar()
    try:
        with pytest.raises(WorkerDied, match="malformed"):
            worker.run("key", b"", [{"exercise": 0, "mode": "grade"}], {}, 1.0)
        assert not worker.alive
    finally:
        worker.close()
