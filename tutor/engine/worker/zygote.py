"""The worker script: a fork server for grading. Standard library + NumPy; run by path.

Started once per worker by the grader (tutor/engine/pool.py) with the command from
sandbox.worker_command. It imports NumPy once (the expensive part of a fresh Python),
then serves frames on stdin/stdout (see protocol.py):

    plan   the exercises with every case's inputs, sent once: the child inherits them
    job    one submission: module sources + tasks (grade an exercise / numerical check);
           a fresh child is forked per job, hardened, and runs the tasks in order
    quit

For each job it relays one result frame per task, then {"type": "done"}. It enforces the
per-task timeout: a child that hangs, crashes, exits or breaks the protocol is killed
with its process group, a result is made up for the task it was on, and a fresh child is
forked for the tasks that remain. A hang or crash while importing a module (no "start"
seen for the task) fails every remaining task of that module at once.
"""
from __future__ import annotations

import gc
import os
import shutil
import signal
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import numpy as np  # noqa: E402,F401 - imported once here so every child inherits it

import child  # noqa: E402 - the child's code, imported once here and inherited by every fork
import isolation  # noqa: E402 - the sandbox's half: confines each child before learner code runs
import protocol  # noqa: E402
from protocol import FrameReader, ProtocolError, Timeout, decode_value, pack, unpack_arrays, write_all  # noqa: E402

CHILD_FAILED = 70       # become_child went wrong before the learner's code ran
SANDBOX_FAILED = 71     # isolation.FAILED_STATUS: harden_child refused to run unconfined
DEFAULT_LIMITS = {
    "memory_bytes": 2 << 30,
    "cpu_seconds": 60,
    "file_bytes": 16 << 20,
    "processes": 64,
    "output_bytes": 1 << 20,
}


def decode_plan(header: dict, payload: bytes) -> dict:
    arrays = unpack_arrays(header, payload)
    exercises = []
    for spec in header["exercises"]:
        cases = []
        for case in spec["cases"]:
            cases.append({
                "inputs": decode_value(case["inputs"], arrays),
                "dout": decode_value(case["dout"], arrays) if case.get("dout") else None,
            })
        exercises.append(dict(spec, cases=cases))
    return {"exercises": exercises}


class Zygote:
    def __init__(self, from_parent: int, to_parent: int):
        self.reader = FrameReader(from_parent)
        self.from_parent = from_parent
        self.to_parent = to_parent
        self.plan: dict | None = None

    def serve(self) -> None:
        while True:
            try:
                header, payload = self.reader.read()
            except EOFError:
                return
            kind = header.get("type")
            if kind == "plan":
                self.plan = decode_plan(header, payload)
                # Children must not touch (and so copy) the zygote's pages to collect garbage.
                gc.collect()
                gc.freeze()
            elif kind == "job":
                try:
                    self.run_job(header)
                except Exception:  # noqa: BLE001 - say why before giving up on this job
                    import traceback

                    self.reply({"type": "failed", "message": traceback.format_exc()[-1500:]})
            elif kind == "ping":
                self.reply({"type": "pong"})
            elif kind == "quit":
                return

    def reply(self, header: dict) -> None:
        write_all(self.to_parent, pack(header))

    def run_job(self, job: dict) -> None:
        tasks = job["tasks"]
        timeout = float(job["timeout"])
        limits = dict(DEFAULT_LIMITS, **job.get("limits", {}))
        workdir = tempfile.mkdtemp(prefix="tutor-job-")
        try:
            for module, text in job["sources"].items():
                if module.isidentifier():
                    with open(os.path.join(workdir, module + ".py"), "w", encoding="utf-8") as f:
                        f.write(text)
            pending = list(range(len(tasks)))
            while pending:
                pending = self.run_child(tasks, pending, workdir, timeout, limits)
        finally:
            shutil.rmtree(workdir, ignore_errors=True)
        self.reply({"type": "done"})

    def module_of(self, task: dict) -> str:
        return self.plan["exercises"][task["exercise"]]["module"]

    def run_child(self, tasks, pending, workdir, timeout, limits) -> list[int]:
        """Fork a child for the pending tasks; return those still pending after it ends."""
        read_end, write_end = os.pipe()
        pid = os.fork()
        if pid == 0:
            self.become_child(tasks, pending, workdir, limits, read_end, write_end)
        os.close(write_end)
        reader = FrameReader(read_end)
        started: set[int] = set()
        deadline = time.monotonic() + timeout
        failure = None
        try:
            while pending:
                try:
                    header, _, raw = reader.read_raw(deadline)
                except Timeout:
                    failure = ("timeout", f"ran past the time limit of {timeout:g} s")
                    break
                except EOFError:
                    failure = ("crash", None)
                    break
                except ProtocolError as error:
                    failure = ("crash", f"the worker received garbage from your code ({error})")
                    break
                kind, index = header.get("type"), header.get("index")
                if kind == "start" and index == pending[0]:
                    started.add(index)
                elif kind == "result" and index == pending[0]:
                    write_all(self.to_parent, raw)
                    pending = pending[1:]
                    deadline = time.monotonic() + timeout
                elif kind == "done" and not pending:
                    break
                else:
                    failure = ("crash", "your code wrote into the grader's channel")
                    break
        finally:
            status = self.end_child(pid)
            os.close(read_end)
        if failure is None:
            return pending
        reason, message = failure
        if message is None:
            message = describe_exit(status)
        current = pending[0]
        failed = [current]
        if current not in started:
            # It never got past importing the module: every task of that module would too.
            module = self.module_of(tasks[current])
            failed = [i for i in pending if self.module_of(tasks[i]) == module]
            message = f"while importing {module}.py: {message}"
        for index in failed:
            self.reply({"type": "result", "index": index, "error": reason, "message": message})
        return [i for i in pending if i not in failed]

    def become_child(self, tasks, pending, workdir, limits, read_end, write_end) -> None:
        try:
            os.close(read_end)
            os.close(self.from_parent)
            os.close(self.to_parent)
            devnull = os.open(os.devnull, os.O_RDWR)
            os.dup2(devnull, 0)
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
            sys.path.remove(HERE)
            sys.path.insert(0, workdir)
            sys.dont_write_bytecode = True
            # May fork (namespaces) and returns only in the process that runs learner code;
            # until then fd 2 is still the zygote's log, where the sandbox explains a failure.
            isolation.harden_child(workdir, limits)
            os.dup2(devnull, 1)   # learner prints go to a capped buffer, fd-level writes nowhere
            os.dup2(devnull, 2)
            os.close(devnull)
            child.main(self.plan, tasks, pending, workdir, write_end)
        except BaseException:  # noqa: BLE001 - the child must never return into the zygote loop
            os._exit(70)
        os._exit(0)

    def end_child(self, pid: int) -> int:
        """Kill the child's process group (it may have forked) and reap it."""
        for target in (lambda: os.killpg(pid, signal.SIGKILL), lambda: os.kill(pid, signal.SIGKILL)):
            try:
                target()
            except (ProcessLookupError, PermissionError):
                pass
        _, status = os.waitpid(pid, 0)
        return status


def describe_exit(status: int) -> str:
    if os.WIFSIGNALED(status):
        number = os.WTERMSIG(status)
        try:
            name = signal.Signals(number).name
        except ValueError:
            name = f"signal {number}"
        hint = {"SIGSEGV": " (a segmentation fault)", "SIGKILL": " (killed: out of memory or a limit)",
                "SIGXCPU": " (CPU time limit)", "SIGXFSZ": " (file size limit)"}.get(name, "")
        return f"the process was killed by {name}{hint}"
    code = os.WEXITSTATUS(status)
    if code == SANDBOX_FAILED:
        return "the sandbox could not confine your code, so it was not run (a problem with this machine, not your code)"
    if code == CHILD_FAILED:
        return "the worker could not start your code (a bug in tutor, not in your code)"
    return f"the process exited with status {code} (os._exit or a fatal error)"


def main() -> None:
    from_parent, to_parent = os.dup(0), os.dup(1)
    # Keep the protocol off fds 0/1 so that nothing printed can ever reach the parent.
    devnull = os.open(os.devnull, os.O_RDWR)
    os.dup2(devnull, 0)
    os.dup2(devnull, 1)
    os.close(devnull)
    Zygote(from_parent, to_parent).serve()


if __name__ == "__main__":
    main()
