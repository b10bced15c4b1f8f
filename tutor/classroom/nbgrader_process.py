"""The gradebook sync (tutor/classroom/nbgrader_sync.py) in a Python process of its own.

    start(nbgrader_db)   from nbgrader_sync.check(), before grading: a process that imports
                         nbgrader now, while the class is graded, and then waits
    submit(request) -> Pending | None
                         the request handed to that process, which syncs while this one goes
                         on; None when none was started for that gradebook (the caller syncs
                         in-process). Pending.result() waits for the sync's summary line.

Why: importing nbgrader and running its preprocessors is pure Python, and `tutor grade` is
one process whose threads (the reference, the judging, the run of every submission) share one
interpreter lock, so an import in a thread takes its time from the grading. In a process of
its own it runs on another core, and so does the sync, while `tutor grade` writes its own
views; and the interpreter's teardown of nbgrader is not part of `tutor grade`'s.

The request goes to the process as a pickle (tutor's own data, from this process to a child
it started); the answer comes back as JSON: {"message"} or {"error"}, and "incidents" (the
internal errors it met on single submissions, kept like this process's own). A process that
ends without an answer is an error (SyncFailed), never a silent success.
"""
from __future__ import annotations

import atexit
import json
import os
import pickle
import subprocess
import sys
import threading
from pathlib import Path

_LOCK = threading.Lock()
_STARTED: dict[str, subprocess.Popen] = {}     # resolved gradebook path -> its waiting process
ROOT = Path(__file__).resolve().parents[2]     # the folder that holds the tutor package


class SyncFailed(Exception):
    """The sync process reported an error, or ended without an answer; str() says which."""


def _key(nbgrader_db) -> str:
    return str(Path(nbgrader_db).resolve())


def start(nbgrader_db) -> None:
    """Start the process for this gradebook (once); it imports nbgrader and waits for run()."""
    with _LOCK:
        running = _STARTED.get(_key(nbgrader_db))
        if running is not None and running.poll() is None:
            return
        env = dict(os.environ)
        # the same tutor as this process's, also from a checkout that is not installed
        env["PYTHONPATH"] = os.pathsep.join([str(ROOT)] + [p for p in env.get("PYTHONPATH", "").split(os.pathsep) if p])
        try:
            _STARTED[_key(nbgrader_db)] = subprocess.Popen(
                [sys.executable, "-m", "tutor.classroom.nbgrader_process"], stdin=subprocess.PIPE,
                stdout=subprocess.PIPE, env=env, close_fds=True)
        except OSError:
            pass   # no process: run() returns None and the sync runs in this one


@atexit.register
def _discard() -> None:
    """Processes started but never given a request (grading stopped before the sync): their
    input closes, so each ends without doing anything."""
    with _LOCK:
        left = list(_STARTED.values())
        _STARTED.clear()
    for process in left:
        try:
            process.communicate(timeout=10)
        except (OSError, ValueError, subprocess.TimeoutExpired):
            process.kill()
            process.wait()


def submit(request) -> "Pending | None":
    """Hand `request` (nbgrader_sync.SyncRequest) to the process started for its gradebook, which
    syncs while this one goes on; None when there is no such process (the caller syncs itself)."""
    with _LOCK:
        process = _STARTED.pop(_key(request.nbgrader_db), None)
    if process is None or process.poll() is not None:
        return None   # none started, or gone before it was given anything
    return Pending(process, pickle.dumps(request))


class Pending:
    """A sync under way in its process; result() waits for its summary line (or raises SyncFailed)."""

    def __init__(self, process: subprocess.Popen, data: bytes):
        self._process = process
        self._out = b""
        # the request is written, and the answer read, on a thread: a request larger than the
        # pipe's buffer would otherwise block this process until the other has read it
        self._thread = threading.Thread(target=self._talk, args=(data,), name="nbgrader-sync", daemon=True)
        self._thread.start()

    def _talk(self, data: bytes) -> None:
        try:
            self._out, _ = self._process.communicate(data)
        except (OSError, ValueError):   # it ended before reading: no answer
            self._process.wait()

    def result(self) -> str:
        self._thread.join()
        try:
            answer = json.loads(self._out.decode("utf-8")) if self._out else None
        except ValueError:
            answer = None
        if not isinstance(answer, dict):
            raise SyncFailed(f"the nbgrader sync process ended without an answer (exit status "
                             f"{self._process.returncode})")
        from tutor.classroom import incidents

        incidents.adopt([tuple(i) for i in answer.get("incidents", [])])
        if "error" in answer:
            raise SyncFailed(str(answer["error"]))
        return str(answer.get("message", ""))


def _serve() -> int:
    """The process's side: import nbgrader, read one request (EOF without one: not needed), sync."""
    from tutor.classroom.nbgrader_import import import_nbgrader

    try:
        import_nbgrader()
    except Exception:  # noqa: BLE001 - the sync imports it again and reports the error
        pass
    data = sys.stdin.buffer.read()
    if not data:
        return 0
    from tutor.classroom import incidents, nbgrader_sync

    try:
        answer = {"message": nbgrader_sync.sync_request(pickle.loads(data))}
    except Exception as exc:  # noqa: BLE001 - the parent reports it as the in-process sync would
        answer = {"error": f"{type(exc).__name__}: {exc}"}
    answer["incidents"] = incidents.drain()
    sys.stdout.write(json.dumps(answer))
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    status = _serve()
    sys.stderr.flush()
    # Everything is written and the gradebook closed: skip the interpreter's teardown of nbgrader's
    # modules (a quarter of a second that `tutor grade` would wait for).
    os._exit(status)
