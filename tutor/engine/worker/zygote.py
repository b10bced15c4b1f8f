"""The worker script: a fork server for grading. Standard library + NumPy; run by path.

Started once per worker by the grader (tutor/engine/pool.py) with the command from
sandbox.worker_command. It imports NumPy once (the expensive part of a fresh Python),
then serves frames on stdin/stdout (see protocol.py):

    plan   the exercises with every case's inputs, sent once: the child inherits them
    job    one submission: module sources + tasks (grade an exercise / numerical check);
           a fresh child is forked per job, hardened, and runs the tasks in order
    quit

For each job it relays one result frame per task (in one write when the child ends), then
{"type": "done"}. It enforces the per-task timeout: a child that hangs, crashes, exits or
breaks the protocol is killed with all it started (isolation.end_run), a result is made up
for the task it was on, and a fresh child is forked for the tasks that remain. A hang or
crash before the child reported a module imported ({"type": "imported"}) fails every
remaining task of that module at once.
"""
from __future__ import annotations

import gc
import importlib
import os
import shutil
import signal
import sys
import time
import traceback

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import numpy as np  # noqa: E402,F401 - imported once here so every child inherits it

import answers  # noqa: E402 - what the child makes of returned values
import child  # noqa: E402 - the child's code, imported once here and inherited by every fork
import filesystem  # noqa: E402 - where each job's files go
import isolation  # noqa: E402 - the sandbox's half: confines each child before learner code runs
import protocol  # noqa: E402
from constants import (CHILD_FAILED_STATUS, DEFAULT_LIMITS, MODE_ENV, MODE_NAMESPACES,  # noqa: E402
                       SANDBOX_FAILED_STATUS)
from protocol import (MAX_HEADER_BYTES, MAX_JOB_BYTES, MAX_PAYLOAD_BYTES, PREFIX, FrameArena,  # noqa: E402
                      OverBudget, ProtocolError, Timeout, decode_value, envelope, frame_payload, pack, route,
                      unpack_arrays, unpack_texts, write_all, write_parts)

MAX_PROGRESS, MAX_PROGRESS_BYTES = 2000, 2048   # progress frames per task, bytes per frame
OUTBOX_BYTES = 8 << 20  # results are batched to the parent up to this size
LARGE_ALLOCATION = 4 << 20   # see warm_up


PUBLIC_NUMPY_SUBMODULES = (
    "numpy.linalg", "numpy.fft", "numpy.random", "numpy.polynomial", "numpy.ma", "numpy.testing",
    "numpy.lib.stride_tricks", "numpy.lib.recfunctions", "numpy.lib.scimath", "numpy.strings",
    "numpy.char", "numpy.rec", "numpy.dtypes", "numpy.exceptions", "numpy.typing", "numpy.emath",
    "unittest", "unittest.mock", "doctest",
)
# What the worker itself imports lazily (the child's tracebacks read source files through
# linecache and tokenize; inspect reads signatures; the sandbox uses ctypes, select, re...).
# Imported here, before any learner folder is on sys.path: a learner's json.py or
# tokenize.py can never stand in for one of them (item 1 of docs/SANDBOX.md).
WORKER_MODULES = (
    "ctypes", "select", "re", "resource", "tempfile", "json", "struct", "signal", "traceback",
    "linecache", "tokenize", "token", "inspect", "dis", "ast", "io", "warnings", "textwrap",
    "codecs", "encodings.utf_8", "encodings.latin_1", "encodings.ascii", "importlib.util",
    "importlib.machinery", "collections.abc", "keyword", "operator", "contextlib", "math",
)


def warm_up() -> None:
    """Run NumPy's common paths once here, so that each child inherits them warm.

    Lazy imports and first-call caches would otherwise be paid again by every child (about
    a third of a child's time on the solutions). No learner code runs here: NumPy only.
    """
    # Without bubblewrap each child mounts a private tmpfs over the whole of /tmp, and when the
    # venv itself lies under /tmp (a CI clone) a submodule that NumPy imports lazily
    # (numpy.testing, numpy.fft...) would no longer be found there: every public one is imported
    # here, before any fork. Inside bubblewrap a child covers only the jobs folder, the venv stays
    # visible, and they are left out: about 10 MB less for each fork to copy and each exit to unmap.
    extra = () if filesystem.private_jobs_folder() else PUBLIC_NUMPY_SUBMODULES
    for name in WORKER_MODULES + extra:
        try:
            importlib.import_module(name)
        except ImportError:  # a NumPy older or newer than the list: that submodule is simply absent
            pass
    a = np.linspace(-1.0, 1.0, 96).reshape(2, 3, 4, 4)
    m = a[0, 0]
    rng = np.random.default_rng(0)
    for draw in (rng.random, rng.standard_normal):
        draw(3)
    rng.normal(0, 1, 3), rng.uniform(0, 1, 3), rng.integers(0, 3, 3), rng.choice(3, 2), rng.binomial(1, 0.5, 3)
    np.pad(a, ((0, 0), (0, 0), (1, 1), (1, 1)))
    np.tensordot(a, a, axes=([1, 2, 3], [1, 2, 3]))
    np.einsum("ij,jk->ik", m, m)
    np.lib.stride_tricks.sliding_window_view(m, (2, 2))
    np.add.at(np.zeros(4), [0, 1], 1.0)
    np.unravel_index(3, (2, 2)), np.outer(m[0], m[0]), np.linalg.norm(m), np.clip(a, 0, 1)
    np.maximum(a, 0), np.minimum(a, 0), np.where(a > 0, a, 0.0), np.exp(a), np.log1p(np.abs(a)), np.tanh(a)
    np.sqrt(np.abs(a)), a.var(axis=0), a.std(axis=0), a.mean(axis=0), a.sum(axis=(0, 2, 3)), np.sign(a)
    a.max(axis=-1, keepdims=True), a.reshape(2, -1).argmax(axis=1), np.zeros_like(a), np.ones_like(a)
    np.concatenate([m, m]), np.stack([m, m]), np.array_equal(a, a), np.allclose(a, a), np.isfinite(a).all()
    a.astype(np.float32), np.dot(m, m), m @ m, m.T.copy(), np.mean((m - m) ** 2), np.logaddexp(m, m)
    answers.describe_output(np.ones(2), [])
    answers.describe_output([1.0, 2.0], [])
    answers.modified({"x": a}, answers.fresh({"x": a}))
    protocol.pack({"type": "warm"}, [a])
    isolation.preload()
    # glibc serves a large allocation with a fresh mmap until one that large has been freed,
    # then from its heap, where freed memory is reused: free one here, so that every child
    # reuses the pages of its large arrays (inputs copied per call, results encoded) instead
    # of faulting in fresh ones for each.
    bytes(LARGE_ALLOCATION)   # made and freed at once
    try:   # a traceback through a real file: linecache, tokenize and the formatter, warm
        exec(compile("raise ValueError('warm')", HERE + "/zygote.py", "exec"), {})
    except ValueError as error:
        traceback.format_exception(type(error), error, error.__traceback__)


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
    """No student's data ever enters this process's own memory, which every child inherits: a
    job's sources are read into an arena no child inherits and passed on through a memfd, and
    each child's results are relayed from another such arena (protocol.FrameArena). A later
    student's code, scanning the memory it was forked with, finds nothing of an earlier one."""

    def __init__(self, from_parent: int, to_parent: int):
        self.reader = FrameArena(PREFIX.size + MAX_HEADER_BYTES + MAX_PAYLOAD_BYTES)   # the grader's frames
        self.reader.start(from_parent, None)
        self.from_parent = from_parent
        self.to_parent = to_parent
        self.plan: dict | None = None
        self.plan_modules: list[str] = []     # every module the plan's exercises import
        self.last_failed: list[int] = []
        self.budget = MAX_JOB_BYTES
        self.arena = FrameArena()      # each child's frames are read into it (never inherited)

    def serve(self) -> None:
        while True:
            try:
                header, raw = self.reader.read(None, make_room=lambda: None)   # nothing is held between frames
            except EOFError:
                return
            kind = header.get("type")
            if kind == "plan":   # the course's inputs, no student's: copied out of the arena for the children
                self.plan = decode_plan(header, bytes(frame_payload(raw)))
                self.plan_modules = sorted({m for e in self.plan["exercises"] for m in modules_of(e)})
                # Children must not touch (and so copy) the zygote's pages to collect garbage.
                gc.collect()
                gc.freeze()
            elif kind == "job":
                try:
                    self.run_job(header, unpack_texts(header, frame_payload(raw)))
                except Exception:  # noqa: BLE001 - say why before giving up on this job
                    import traceback

                    self.reply({"type": "failed", "message": traceback.format_exc()[-1500:]})
            elif kind == "ping":
                self.reply({"type": "pong"})
            elif kind == "quit":
                return

    def reply(self, header: dict) -> None:
        write_all(self.to_parent, pack(header))

    def run_job(self, job: dict, texts: list) -> None:
        """texts: the sources of job["modules"], views of the arena (never decoded here)."""
        tasks = job["tasks"]
        timeout = float(job["timeout"])
        limits = dict(DEFAULT_LIMITS, **job.get("limits", {}))
        workdir = filesystem.new_job_folder("tutor-job-")
        sources = JobSources(workdir, [(module + ".py", text) for module, text in zip(job.get("modules", []), texts)
                                       if learner_module_name(module)])
        try:
            pending = list(range(len(tasks)))
            self.budget = MAX_JOB_BYTES     # what all of this job's children may send, together
            while pending:
                pending = self.run_child(tasks, pending, workdir, sources, timeout, limits)
        finally:
            sources.close()
            shutil.rmtree(workdir, ignore_errors=True)
        self.reply({"type": "done"})

    def modules_of(self, task: dict) -> list[str]:
        """The learner modules a task imports: its own, and its forward's when elsewhere."""
        return modules_of(self.plan["exercises"][task["exercise"]])

    def run_child(self, tasks, pending, workdir, sources, timeout, limits) -> list[int]:
        """Fork a child for the pending tasks; return those still pending after it ends.

        Results are relayed to the parent in one write when the child ends (one wake-up of
        the parent per job instead of one per exercise); a failure is added after them.
        """
        read_end, write_end = os.pipe()
        pid_read, pid_write = os.pipe()     # the learner's process's pid, from the sandbox (isolation.py)
        pid = os.fork()
        if pid == 0:
            os.close(pid_read)
            self.become_child(tasks, pending, workdir, sources, limits, read_end, write_end, pid_write)
        os.close(write_end)
        os.close(pid_write)
        self.arena.start(read_end, self.budget)
        relay = Relay(self.arena, pending, timeout, self.to_parent, self.plan_modules)
        try:
            failure = relay.run()
        finally:
            status = isolation.end_run(pid, pid_read)
            os.close(pid_read)
            os.close(read_end)
            self.budget = self.arena.budget
        pending, outbox = relay.pending, relay.outbox
        if failure is not None:
            outbox += self.failed_results(tasks, pending, relay.imported, failure, status)
            pending = [i for i in pending if i not in self.last_failed]
        write_parts(self.to_parent, outbox)    # before the arena is read into again
        return pending

    def failed_results(self, tasks, pending, imported, failure, status) -> list[bytes]:
        reason, message = failure
        if message is None:
            message = describe_exit(status)
        current = pending[0]
        failed = [current]
        stuck = [m for m in self.modules_of(tasks[current]) if m not in imported]
        if self.budget <= 0:
            failed = list(pending)
        elif stuck:
            # It never got past importing a module: every task needing that module would fail too.
            module = stuck[0]
            failed = [i for i in pending if module in self.modules_of(tasks[i])]
            message = f"while importing {module}.py: {message}"
        self.last_failed = failed
        return [pack({"type": "result", "index": i, "error": reason, "message": message}) for i in failed]

    def become_child(self, tasks, pending, workdir, sources, limits, read_end, write_end, pid_write) -> None:
        try:
            os.close(read_end)
            os.close(self.from_parent)
            os.close(self.to_parent)
            devnull = os.open(os.devnull, os.O_RDWR)
            os.dup2(devnull, 0)
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
            sys.path.remove(HERE)
            sys.dont_write_bytecode = True
            # May fork (namespaces) and returns only in the process that runs learner code;
            # until then fd 2 is still the zygote's log, where the sandbox explains a failure.
            isolation.harden_child(workdir, limits, report_pid=pid_write, files=sources.read)
            # Only now can a learner's file be imported: nothing of it ran before confinement.
            sys.path.insert(0, workdir)
            os.dup2(devnull, 1)   # learner prints go to a capped buffer, fd-level writes nowhere
            os.dup2(devnull, 2)
            os.close(devnull)
            child.main(self.plan, tasks, pending, workdir, write_end)
        except BaseException:  # noqa: BLE001 - the child must never return into the zygote loop
            os._exit(CHILD_FAILED_STATUS)
        os._exit(0)


class JobSources:
    """A job's module sources on their way to its children, never in the zygote's own memory.

    Under namespaces they go into a memfd (the kernel's pages, not this process's heap), which
    each child reads (read(), in the child) into its private tmpfs and closes. Without
    namespaces the child works in workdir itself, so they are written there, straight from the
    arena. close() ends the memfd with the job."""

    def __init__(self, workdir: str, files: list):
        self.names = [name for name, _ in files]
        self.sizes = [len(text) for _, text in files]
        self.fd = None
        if os.environ.get(MODE_ENV) == MODE_NAMESPACES and hasattr(os, "memfd_create"):
            self.fd = os.memfd_create("tutor-job-sources")
            for _, text in files:
                write_all(self.fd, text)
        else:
            for name, text in files:
                fd = os.open(os.path.join(workdir, name), os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
                try:
                    write_all(fd, text)
                finally:
                    os.close(fd)

    def read(self) -> list | None:
        """In the child: the files as filesystem.snapshot gives them, and the memfd closed; None
        when they are in workdir (the child reads them there)."""
        if self.fd is None:
            return None
        files, offset = [], 0
        try:
            for name, size in zip(self.names, self.sizes):
                files.append((name, os.pread(self.fd, size, offset) if size else b"", 0o644))
                offset += size
        finally:
            os.close(self.fd)
            self.fd = None
        return files

    def close(self) -> None:
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None


class Relay:
    """One child's frames, read until its pending tasks are answered or it fails: progress is
    relayed at once (small and bounded), results are kept in the outbox (sent in one write).
    Frames are routed by their start (protocol.route), never decoded here, and go on to the
    grader in envelopes; the outbox holds views of the arena, written out before it is reused."""

    def __init__(self, arena: FrameArena, pending: list[int], timeout: float, to_parent: int,
                 modules: list[str]):
        self.arena, self.pending, self.timeout, self.to_parent = arena, pending, timeout, to_parent
        self.modules = [m.encode() for m in modules]     # the names an "imported" frame may carry
        self.imported: set[str] = set()
        self.outbox: list = []
        self.held = 0
        self.progress = 0

    def run(self):
        """None once every pending task is answered, else (reason, message or None) of the failure."""
        deadline = time.monotonic() + self.timeout
        while self.pending:
            try:
                _, raw = self.arena.read(deadline, self.send_outbox, parse=False)
                kind, index, name = route(raw)
            except Timeout:
                return "timeout", f"ran past the time limit of {self.timeout:g} s"
            except EOFError:
                return "crash", None
            except OverBudget:
                self.arena.budget = 0      # nothing more of this job can be sent: every task left fails
                return "crash", (f"your code returned more than {MAX_JOB_BYTES >> 20} MB of results "
                                 "in all (the limit for one submission)")
            except ProtocolError as error:
                return "crash", f"the worker received garbage from your code ({error})"
            if not self.take(kind, index, name, raw):
                return "crash", "your code wrote into the grader's channel"
            if kind == "result":
                deadline = time.monotonic() + self.timeout    # each task has the whole time limit
        return None

    def send_outbox(self) -> None:
        write_parts(self.to_parent, self.outbox)
        self.outbox, self.held = [], 0

    def take(self, kind: str, index: int | None, name: tuple[int, int] | None, raw: memoryview) -> bool:
        """Handle one frame; False for a frame the child had no business sending."""
        if kind == "imported":
            known = [m for m in self.modules if raw[name[0]:name[1]] == m]   # compared, never decoded
            self.imported.update(m.decode() for m in known)
        elif kind == "progress" and index == self.pending[0]:
            self.progress += 1
            if self.progress <= MAX_PROGRESS and len(raw) <= MAX_PROGRESS_BYTES:
                write_parts(self.to_parent, envelope("progress", index, raw))
        elif kind == "result" and index == self.pending[0]:
            self.outbox += envelope("result", index, raw)
            self.held += len(raw)
            if self.held > OUTBOX_BYTES:   # never hold much
                self.send_outbox()
            self.pending = self.pending[1:]
            self.progress = 0
        else:
            return False
        return True


def modules_of(exercise: dict) -> list[str]:
    """The learner modules an exercise of the plan imports: its own, and its forward's."""
    modules = [exercise["module"]]
    if exercise.get("forward"):
        modules.append(exercise["forward"].rpartition(".")[0])
    return modules


def learner_module_name(name: str) -> bool:
    """A name a learner's module may have: never one of the standard library's, NumPy's or
    anything already imported (the grader sends only the manifest's modules; this holds
    even if it did not)."""
    return (isinstance(name, str) and name.isidentifier() and name not in sys.stdlib_module_names
            and name not in sys.modules and name not in ("numpy", "child", "isolation", "protocol", "seccomp", "zygote"))


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
    if code == SANDBOX_FAILED_STATUS:
        return "the sandbox could not confine your code, so it was not run (a problem with this machine, not your code)"
    if code == CHILD_FAILED_STATUS:
        return "the worker could not start your code (a bug in tutor, not in your code)"
    return f"the process exited with status {code} (os._exit or a fatal error)"


def main() -> None:
    from_parent, to_parent = os.dup(0), os.dup(1)
    # Keep the protocol off fds 0/1 so that nothing printed can ever reach the parent.
    devnull = os.open(os.devnull, os.O_RDWR)
    os.dup2(devnull, 0)
    os.dup2(devnull, 1)
    os.close(devnull)
    warm_up()
    Zygote(from_parent, to_parent).serve()
    os._exit(0)     # nothing to flush: skip the interpreter's teardown of NumPy (the grader waits for it)


if __name__ == "__main__":
    main()
