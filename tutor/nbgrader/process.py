"""The gradebook sync (tutor/nbgrader/sync.py) in a Python process of its own.

    start(nbgrader_db)   from nbgrader_sync.check(), before grading: a process that imports
                         nbgrader now, while the class is graded, and then waits
    prepare(request)     the class without its grades (request.rows None), before grading: the
                         process reads the submitted notebooks and puts them in shape meanwhile
                         (nbgrader_sync.prepare_notebooks)
    submit(request) -> Pending | None
                         the whole request handed to that process, which syncs while this one
                         goes on; None when none was started for that gradebook (the caller
                         syncs in-process). Pending.result() waits for the sync's summary line.

Why: importing nbgrader and running its preprocessors is pure Python, and `tutor grade` is
one process whose threads (the judging, the run of every submission) share one interpreter
lock, so work in a thread takes its time from the grading. In a process of its own it runs on
another core, and so does the sync, while `tutor grade` writes its own views; and the
interpreter's teardown of nbgrader is not part of `tutor grade`'s.

Requests go to the process as pickles, each after its length (tutor's own data, from this
process to a child it started); the answer comes back as JSON: {"message"} or {"error"}, and
"incidents" (the internal errors it met on single submissions, kept like this process's own).
A process that ends without an answer is an error (SyncFailed), never a silent success.
"""
from __future__ import annotations

import atexit
import json
import os
import pickle
import queue
import subprocess
import sys
import threading
from pathlib import Path

_LOCK = threading.Lock()
_STARTED: dict[str, "_Channel"] = {}           # resolved gradebook path -> its waiting process
ROOT = Path(__file__).resolve().parents[2]     # the folder that holds the tutor package
LENGTH_BYTES = 8


class SyncFailed(Exception):
    """The sync process reported an error, or ended without an answer; str() says which."""


class _Channel:
    """A started process: requests written in order by a thread of its own (one larger than the
    pipe's buffer would otherwise block this process until the other has read it), then its
    input closed and its answer read."""

    def __init__(self, process: subprocess.Popen):
        self.process = process
        self.answer = b""
        self._requests: queue.Queue = queue.Queue()
        self._thread = threading.Thread(target=self._talk, name="nbgrader-sync", daemon=True)
        self._thread.start()

    def send(self, request) -> None:
        self._requests.put(pickle.dumps(request))

    def finish(self) -> None:
        """No more requests: its input closes and its answer is read (wait())."""
        self._requests.put(None)

    def wait(self) -> bytes:
        self._thread.join()
        return self.answer

    def alive(self) -> bool:
        return self.process.poll() is None

    def _talk(self) -> None:
        try:
            while (data := self._requests.get()) is not None:
                self.process.stdin.write(len(data).to_bytes(LENGTH_BYTES, "big") + data)
                self.process.stdin.flush()
            self.process.stdin.close()
            self.answer = self.process.stdout.read()
        except (OSError, ValueError):   # it ended before reading: no answer
            pass
        finally:
            self.process.wait()


def _key(nbgrader_db) -> str:
    return str(Path(nbgrader_db).resolve())


def start(nbgrader_db) -> None:
    """Start the process for this gradebook (once); it imports nbgrader and waits for requests."""
    with _LOCK:
        running = _STARTED.get(_key(nbgrader_db))
        if running is not None and running.alive():
            return
        env = dict(os.environ)
        # the same tutor as this process's, also from a checkout that is not installed
        env["PYTHONPATH"] = os.pathsep.join([str(ROOT)] + [p for p in env.get("PYTHONPATH", "").split(os.pathsep) if p])
        try:
            process = subprocess.Popen([sys.executable, "-m", "tutor.nbgrader.process"],
                                       stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env, close_fds=True)
        except OSError:
            return   # no process: submit() returns None and the sync runs in this one
        _STARTED[_key(nbgrader_db)] = _Channel(process)


@atexit.register
def _discard() -> None:
    """Processes started but never given the whole request (grading stopped before the sync):
    their input closes, so each ends without writing anything."""
    with _LOCK:
        left = list(_STARTED.values())
        _STARTED.clear()
    for channel in left:
        channel.finish()
        try:
            channel.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            channel.process.kill()
        channel.wait()


def prepare(request) -> None:
    """Hand the class (request.rows None) to the process started for its gradebook, if any."""
    with _LOCK:
        channel = _STARTED.get(_key(request.nbgrader_db))
    if channel is not None and channel.alive():
        channel.send(request)


def submit(request) -> "Pending | None":
    """Hand `request` (nbgrader_sync.SyncRequest) to the process started for its gradebook, which
    syncs while this one goes on; None when there is no such process (the caller syncs itself)."""
    with _LOCK:
        channel = _STARTED.pop(_key(request.nbgrader_db), None)
    if channel is None or not channel.alive():
        return None   # none started, or gone before it was given anything
    channel.send(request)
    channel.finish()
    return Pending(channel)


class Pending:
    """A sync under way in its process; result() waits for its summary line (or raises SyncFailed)."""

    def __init__(self, channel: _Channel):
        self._channel = channel

    def result(self) -> str:
        out = self._channel.wait()
        try:
            answer = json.loads(out.decode("utf-8")) if out else None
        except ValueError:
            answer = None
        if not isinstance(answer, dict):
            raise SyncFailed(f"the nbgrader sync process ended without an answer (exit status "
                             f"{self._channel.process.returncode})")
        from tutor.classroom import incidents

        incidents.adopt([tuple(i) for i in answer.get("incidents", [])])
        if "error" in answer:
            raise SyncFailed(str(answer["error"]))
        return str(answer.get("message", ""))


def _requests(stream):
    """The requests written by _Channel, until its input closes."""
    while len(head := stream.read(LENGTH_BYTES)) == LENGTH_BYTES:
        size = int.from_bytes(head, "big")
        data = stream.read(size)
        if len(data) < size:
            return
        yield pickle.loads(data)


def _serve() -> int:
    """The process's side: import nbgrader; a request without grades: read and shape the class's
    notebooks meanwhile; the whole request: sync, answer, end."""
    from tutor.nbgrader.imports import import_nbgrader

    try:
        import_nbgrader()
    except Exception:  # noqa: BLE001 - the sync imports it again and reports the error
        pass
    from tutor.classroom import incidents
    from tutor.nbgrader import sync as nbgrader_sync

    ready: dict = {}
    for request in _requests(sys.stdin.buffer):
        if request.rows is None:
            try:
                ready = nbgrader_sync.prepare_notebooks(request)
            except Exception:  # noqa: BLE001 - an optimisation only: the sync reads them itself
                ready = {}
            continue
        try:
            answer = {"message": nbgrader_sync.sync_request(request, ready)}
        except Exception as exc:  # noqa: BLE001 - the parent reports it as the in-process sync would
            answer = {"error": f"{type(exc).__name__}: {exc}"}
        answer["incidents"] = incidents.drain()
        sys.stdout.write(json.dumps(answer))
        sys.stdout.flush()
        return 0
    return 0   # its input closed without the whole request: nothing to do


if __name__ == "__main__":
    status = _serve()
    sys.stderr.flush()
    # Everything is written and the gradebook closed: skip the interpreter's teardown of nbgrader's
    # modules (a quarter of a second that `tutor grade` would wait for).
    os._exit(status)
