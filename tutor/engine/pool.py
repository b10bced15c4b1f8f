"""The parent's side of the workers: a pool of zygote processes (see worker/zygote.py).

A Worker is one zygote. The grader sends it the plan (every case's inputs) once, then one
job per submission, and reads back one result frame per task. Everything it reads is
checked by the protocol's caps; a zygote that dies, stalls past the whole job's deadline
or sends garbage is killed and replaced. An idle zygote is checked to be alive before it is
handed out, and the grader runs the tasks a dead zygote did not answer once more on a fresh
one (run.run_tasks) before counting them as crashed, so that a submission is never charged
for a zygote an earlier one damaged.
"""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import deque
from contextlib import contextmanager
from pathlib import Path

from tutor.engine import sandbox
from tutor.engine.cgroup import Cgroup
from tutor.engine.worker.constants import DEFAULT_LIMITS
from tutor.engine.worker.protocol import (MAX_JOB_BYTES, FrameReader, ProtocolError, Timeout, open_envelope, pack,
                                          write_all)

WORKER_SCRIPT = Path(__file__).resolve().parent / "worker" / "zygote.py"
# Slack on top of the per-task timeouts before the parent gives up on a whole zygote.
JOB_SLACK_SECONDS = 30.0


class WorkerDied(Exception):
    """The zygote stopped answering; the message says how."""


class Worker:
    def __init__(self):
        self._start()

    def _start(self) -> None:
        argv = sandbox.worker_command(sys.executable, WORKER_SCRIPT)
        # The zygote's own stderr (never learner output: children point fd 2 at /dev/null)
        # goes to a file whose tail explains a dead worker.
        self.stderr = tempfile.TemporaryFile()
        self.process = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self.stderr,
                                        start_new_session=True, close_fds=True)
        self.reader = FrameReader(self.process.stdout.fileno())
        self.plan_key: object = None
        self.alive = True
        # A memory and process limit around the whole worker (cgroup.py), where the machine
        # gives one; the worker's processes are moved in before its first job.
        self.cgroup = Cgroup.create()
        self.adopted = False

    def run(self, plan_key: object, plan_frame: bytes, tasks: list[dict], sources: dict[str, str],
            timeout: float, limits: dict | None = None, on_progress=None) -> dict[int, tuple[dict, bytes]]:
        """Run one job; {task index: (header, payload)} for every task answered.

        on_progress(task index, {name: float}) is called for each progress report of learner
        code as it arrives (worker/progress_channel.py).

        Raises WorkerDied (with the answers so far in .partial) when the zygote fails.
        """
        results: dict[int, tuple[dict, bytes]] = {}
        try:
            if self.plan_key != plan_key:
                self._send(plan_frame)
                self.plan_key = plan_key
            # The sources go as raw texts after the header: the zygote hands them to the child
            # without ever decoding them (worker/zygote.py, run_job).
            modules = list(sources)
            job = {"type": "job", "tasks": tasks, "modules": modules, "timeout": timeout}
            if limits:
                job["limits"] = limits
            self._limit_memory(limits or {})
            self._send(pack(job, texts=[sources[m].encode("utf-8", "surrogatepass") for m in modules]))
            # The zygote keeps a job's results within MAX_JOB_BYTES; its own failure frames are
            # small. Past this the zygote itself is broken, and is replaced.
            self.reader.budget = MAX_JOB_BYTES + (len(tasks) + 16) * (64 << 10)
            deadline = time.monotonic() + len(tasks) * (timeout + 1.0) + JOB_SLACK_SECONDS
            while True:
                header, payload = self.reader.read(deadline)
                kind, index = header.get("type"), header.get("index")
                if kind == "done":
                    return results
                if kind == "failed":
                    raise ProtocolError(f"the zygote failed: {str(header.get('message'))[:1500]}")
                if kind == "relayed":     # a child's frame, as the zygote routed it (unopened)
                    header, payload = opened(header, payload)
                    if header is None:
                        continue
                    kind = header.get("type")
                if kind == "progress":
                    report_progress(on_progress, index, header, len(tasks))
                    continue
                if kind != "result" or type(index) is not int or not 0 <= index < len(tasks) or index in results:
                    raise ProtocolError(f"unexpected frame {str(header)[:80]}")
                results[index] = (header, payload)
        except (OSError, EOFError, Timeout, ProtocolError, ValueError) as error:
            self.kill()
            died = WorkerDied(self._why(error))
            died.partial = results
            raise died from None

    def _limit_memory(self, limits: dict) -> None:
        if self.cgroup is None:
            return
        if not self.adopted:
            self.cgroup.adopt(self.process.pid)
            self.adopted = True
        # The zygote's defaults, unless the grader asked for other limits.
        self.cgroup.limit(max(int(limits.get("memory_bytes") or DEFAULT_LIMITS["memory_bytes"]), 256 << 20),
                          int(limits.get("processes") or DEFAULT_LIMITS["processes"]))

    def is_running(self) -> bool:
        """Whether the zygote process is still there (it may have died between jobs)."""
        return self.alive and self.process.poll() is None

    def restart(self) -> None:
        """Replace a dead (or doubtful) zygote with a fresh process; the plan is sent again."""
        self.kill()
        self._start()

    def _send(self, data: bytes) -> None:
        write_all(self.process.stdin.fileno(), data)

    def _why(self, error: Exception) -> str:
        if isinstance(error, Timeout):
            why = "the worker stopped answering"
        elif isinstance(error, ProtocolError):
            why = f"the worker sent a malformed message ({error})"
        else:
            why = f"the worker process ended unexpectedly ({type(error).__name__})"
        return why + self.stderr_tail()

    def stderr_tail(self) -> str:
        try:
            self.stderr.seek(0, os.SEEK_END)
            size = self.stderr.tell()
            self.stderr.seek(max(0, size - 1500))
            tail = self.stderr.read().decode("utf-8", "replace").strip()
        except (OSError, ValueError):
            return ""
        return f"; it said: {tail}" if tail else ""

    def kill(self) -> None:
        self.alive = False
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        self.process.kill()
        self.process.wait()
        if self.cgroup is not None:
            self.cgroup.remove()
        for stream in (self.process.stdin, self.process.stdout, self.stderr):
            try:
                stream.close()
            except OSError:
                pass

    def close(self) -> None:
        self.ask_to_quit()
        try:
            self.process.wait(timeout=2)
        except subprocess.TimeoutExpired:
            pass
        self.kill()

    def ask_to_quit(self) -> None:
        """Tell the zygote to end (close() waits for it): a pool asks all its zygotes first."""
        if not self.alive or self.process.stdin.closed:
            return
        try:
            self._send(pack({"type": "quit"}))
            self.process.stdin.close()
        except (OSError, ValueError):
            pass


class WorkerPool:
    """At most `size` zygotes, started on demand, each used by one thread at a time.

    Threads get a worker in the order they asked, urgent ones first: a thread that hands its
    worker back and asks again at once never overtakes one that was already waiting. The
    class grader asks urgently for the small second runs that explain a wrong backward, since
    a judging thread waits on each (classroom/runner.py): when the students' runs overtook
    them, judging stalled for seconds and the runs then waited on judging.
    """

    def __init__(self, size: int):
        self.size = max(1, int(size))
        self._idle: list[Worker] = []
        self._count = 0
        self._closed = False
        self._condition = threading.Condition()
        self._waiting: dict[bool, deque] = {True: deque(), False: deque()}   # urgent -> tickets

    def _first_in_line(self):
        line = self._waiting[True] or self._waiting[False]
        return line[0] if line else None

    def _take(self, urgent: bool) -> Worker | None:
        """Wait for this thread's turn; an idle worker, or None to start a new one."""
        ticket = object()
        line = self._waiting[urgent]
        with self._condition:
            line.append(ticket)
            try:
                while self._first_in_line() is not ticket or (not self._idle and self._count >= self.size):
                    self._condition.wait()
            finally:
                line.remove(ticket)
                self._condition.notify_all()    # the next in line may go now (or look again)
            worker = self._idle.pop() if self._idle else None
            if worker is None:
                self._count += 1
            return worker

    def _forget_one(self) -> None:
        with self._condition:
            self._count -= 1
            self._condition.notify_all()

    @contextmanager
    def worker(self, urgent: bool = False):
        worker = self._take(urgent)
        if worker is not None and not worker.is_running():
            # It died while idle (killed, out of memory, damaged by an earlier job): a fresh one
            # takes its place, so that the next submission is not charged for it.
            try:
                worker.restart()
            except BaseException:
                self._forget_one()
                raise
        if worker is None:
            try:
                worker = Worker()
            except BaseException:
                self._forget_one()
                raise
        try:
            yield worker
        finally:
            with self._condition:
                if worker.alive and not self._closed:
                    self._idle.append(worker)
                else:
                    self._count -= 1
                    worker.close()
                self._condition.notify_all()

    @property
    def started(self) -> int:
        """How many zygotes are up (busy or idle)."""
        with self._condition:
            return self._count

    def idle_workers(self) -> list[Worker]:
        """The zygotes waiting for a job (each a Worker, whose .process is the zygote)."""
        with self._condition:
            return list(self._idle)

    def start(self) -> None:
        """Start every worker now (they start in parallel, each importing NumPy), not on first use."""
        with self._condition:
            missing = self.size - self._count
            self._count += missing
        started = []
        try:
            for _ in range(missing):
                started.append(Worker())
        finally:
            with self._condition:
                self._count -= missing - len(started)
                self._idle.extend(started)
                self._condition.notify_all()

    def close(self) -> None:
        with self._condition:
            self._closed = True
            idle, self._idle = self._idle, []
        for worker in idle:      # all at once: each ends while the next is told
            worker.ask_to_quit()
        for worker in idle:
            worker.close()


def opened(envelope: dict, payload) -> tuple[dict | None, memoryview | bytes]:
    """The child's frame a "relayed" one holds (worker/protocol.py). A result that does not hold
    up (not a frame, or not the one the zygote routed it as) is that exercise's crash, and only
    its: the zygote and the child go on; such a progress report is dropped (None)."""
    kind, index = envelope.get("kind"), envelope.get("index")
    try:
        header, inner = open_envelope(envelope, payload)
        if header.get("type") != kind or header.get("index") != index:
            raise ProtocolError("a frame routed as another")
        return header, inner     # a view of the payload just read: arrays are read from it in place
    except ProtocolError as error:
        if kind != "result":
            return None, b""
        return {"type": "result", "index": index, "error": "crash",
                "message": f"the worker received garbage from your code ({error})"}, b""


def report_progress(on_progress, index, header: dict, tasks: int) -> None:
    """Hand a learner's progress report on, as plain finite numbers; never fails the job."""
    from tutor.engine.worker.progress_channel import plain_numbers

    if on_progress is None or type(index) is not int or not 0 <= index < tasks:
        return
    numbers = plain_numbers(header.get("numbers"))
    if numbers:
        try:
            on_progress(index, numbers)
        except Exception:  # noqa: BLE001 - a drawing problem must not fail the grading
            pass
