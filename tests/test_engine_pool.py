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
from tutor.engine.run import read_sources
from tutor.engine.pool import Worker, WorkerDied, WorkerPool
from tutor.engine.worker.protocol import pack

ROOT = Path(__file__).resolve().parents[1]
SOLUTIONS = read_sources(ROOT / "solutions")


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
    assert len({id(w) for w in seen}) == 2 and pool.started == 2



def test_workers_go_in_the_order_asked_urgent_ones_first():
    """A thread that hands its worker back and asks again never overtakes one already waiting,
    and an urgent request (the explanation a judging thread waits on) goes before them all."""
    pool = WorkerPool(1)
    order, lock = [], threading.Lock()
    holding = threading.Event()

    def use(name, urgent=False, hold=0.0):
        with pool.worker(urgent=urgent):
            with lock:
                order.append(name)
            holding.set()
            time.sleep(hold)

    first = threading.Thread(target=use, args=("first", False, 0.4))
    first.start()
    holding.wait()
    waiting = []
    for name, urgent in (("a", False), ("b", False), ("urgent", True), ("c", False)):
        t = threading.Thread(target=use, args=(name, urgent))
        t.start()
        waiting.append(t)
        time.sleep(0.05)          # each is waiting before the next asks
    for t in [first, *waiting]:
        t.join()
    pool.close()
    assert order == ["first", "urgent", "a", "b", "c"]
    assert pool.started <= 1

def test_a_zygote_killed_mid_job_is_replaced_and_the_job_retried_once():
    exercises = [manifest.by_id("optim.sgd_step"), manifest.by_id("optim.momentum_step")]
    slow_but_right = SOLUTIONS["optim"] + "\n\nimport time\n_right = sgd_step\n" \
        "def sgd_step(w, dw, lr):\n    time.sleep(1.5)\n    return _right(w, dw, lr)\n"
    with Grader(exercises, timeout=20) as grader:
        grader.grade(SOLUTIONS)
        (zygote,) = grader.pool.idle_workers()
        first_pid = zygote.process.pid

        def kill_soon():
            time.sleep(0.5)
            os.killpg(first_pid, signal.SIGKILL)

        threading.Thread(target=kill_soon).start()
        results = grader.grade(dict(SOLUTIONS, optim=slow_but_right))
        assert [(r.passed, r.score, r.max_score) for r in results] == [(True, r.max_score, r.max_score) for r in results]
        assert grader.pool.idle_workers()[0].process.pid != first_pid       # a fresh zygote took over
        assert all(r.passed for r in grader.grade(SOLUTIONS))


def test_a_zygote_dead_between_jobs_never_costs_the_next_student(monkeypatch):
    exercises = [manifest.by_id("optim.sgd_step"), manifest.by_id("optim.momentum_step")]
    with Grader(exercises, timeout=20) as grader:
        assert all(r.passed for r in grader.grade(SOLUTIONS))
        (zygote,) = grader.pool.idle_workers()
        old_pid = zygote.process.pid
        os.killpg(old_pid, signal.SIGKILL)          # e.g. an attacker's damage, or the OOM killer
        zygote.process.wait()
        results = grader.grade(SOLUTIONS)
        assert all(r.passed and r.score == r.max_score for r in results), [r.message for r in results]
        assert grader.pool.idle_workers()[0].process.pid != old_pid

        # Even when the liveness check cannot see it (it dies just as it is handed out), the job is
        # retried on a fresh zygote.
        (zygote,) = grader.pool.idle_workers()
        monkeypatch.setattr(Worker, "is_running", lambda self: True)
        os.killpg(zygote.process.pid, signal.SIGKILL)
        zygote.process.wait()
        results = grader.grade(SOLUTIONS)
        assert all(r.passed and r.score == r.max_score for r in results), [r.message for r in results]


def test_a_zygote_that_keeps_dying_fails_the_job_after_one_retry(monkeypatch):
    exercises = [manifest.by_id("optim.sgd_step"), manifest.by_id("optim.momentum_step")]
    runs = []
    original = Worker.run

    def dying_run(self, *args, **kwargs):
        runs.append(self.process.pid)
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()
        return original(self, *args, **kwargs)

    with Grader(exercises, timeout=20) as grader:
        grader.prepare()
        monkeypatch.setattr(Worker, "run", dying_run)
        results = grader.grade(SOLUTIONS)
        assert all(r.diagnosis == "crash" and "worker" in r.message for r in results)
        assert len(runs) == 2 and runs[0] != runs[1]
        monkeypatch.setattr(Worker, "run", original)
        assert all(r.passed for r in grader.grade(SOLUTIONS))      # and the pool recovers


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
