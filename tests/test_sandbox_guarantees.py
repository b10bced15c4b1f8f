"""The guarantees of docs/SANDBOX.md, end to end, through every way learner code is run:
the engine's API (Grader, check_workspace), `tutor check`, `tutor grade` and `check()` in a
real Jupyter kernel. tests/test_sandbox.py tests the primitives one by one; this module
tests what a learner can do to the real thing.

1. Nothing a learner wrote runs before confinement: files named like the standard library
   in a workspace or a student's folder never run (they would write a file on the host and
   read the solutions through /proc/PID/root).
2. No process outlives its run, whatever it does to stay (setsid, setpgid, no parent-death
   signal, double fork, exec, threads, ignored signals): every process is listed after each
   kind of run by its marker in its name, command line or environment.
3. Nothing crosses from one submission to the next on one worker (abstract and filesystem
   sockets, files, shared memory, SysV IPC, processes, environment): a writer and a reader
   graded back to back.
5. The grader stays near its own memory whatever a child sends.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from tutor.engine import Grader, sandbox
from tutor.engine import check_workspace
from tutor.manifest import EXERCISES

REPO = Path(__file__).resolve().parent.parent
SOLUTIONS = REPO / "solutions"
MODULES = sorted({e.module for e in EXERCISES})
PLAN = sandbox.plan()
needs_namespaces = pytest.mark.skipif(PLAN.tier not in ("bwrap", "namespaces"),
                                      reason=f"no namespaces here: {PLAN.level}")
needs_bwrap = pytest.mark.skipif(PLAN.tier != "bwrap", reason=f"no bubblewrap sandbox here: {PLAN.level}")
MARK = f"sbxg{os.getpid() % 100000}"
TIMEOUT = 2.0

pytestmark = pytest.mark.slow


def honest() -> dict[str, str]:
    return {m: (SOLUTIONS / f"{m}.py").read_text() for m in MODULES}


def with_layers(code: str) -> dict[str, str]:
    """A correct submission whose layers.py ends with `code` (which redefines a function)."""
    sources = honest()
    sources["layers"] += "\n\n" + textwrap.dedent(code)
    return sources


def marked_processes() -> list[str]:
    """Every process whose name, command line or environment carries MARK."""
    found = []
    for pid in os.listdir("/proc"):
        if pid.isdigit() and int(pid) != os.getpid():
            for part in ("comm", "cmdline", "environ"):
                try:
                    data = Path(f"/proc/{pid}/{part}").read_bytes()
                except OSError:
                    continue
                if MARK.encode() in data:
                    found.append(f"{pid}: {data[:120]!r}")
                    break
    return found


def write_folder(folder: Path, sources: dict[str, str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for module, text in sources.items():
        (folder / f"{module}.py").write_text(text)
    return folder


def tutor(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "tutor", *args], capture_output=True, text=True, timeout=600,
                          cwd=cwd, env=dict(os.environ, COLUMNS="200"))


# -- 1. nothing runs before confinement ------------------------------------------------------

# What the worker imports lazily or at all; a learner's file of that name tries, when it
# runs, to write a marker on the host and to copy the solutions through /proc/PID/root.
STDLIB_NAMES = ("json", "signal", "struct", "traceback", "linecache", "tokenize", "ctypes", "select", "re",
                "resource", "tempfile", "inspect", "warnings", "io", "os", "numpy", "encodings", "codecs",
                "importlib", "child", "protocol", "isolation", "seccomp", "zygote")
EVIL = """
import os as _os
for _root in [""] + ["/proc/%s/root" % p for p in (_os.listdir("/proc") if _os.path.isdir("/proc") else [])]:
    try:
        with open(_root + "{solutions}/layers.py") as _f:
            _stolen = _f.read()
    except Exception:
        _stolen = "could not read"
    try:
        with open(_root + "{markers}/{name}", "w") as _f:
            _f.write(_stolen)
    except Exception:
        pass
"""


def evil_files(markers: Path) -> dict[str, str]:
    return {name: EVIL.format(solutions=SOLUTIONS, markers=markers, name=name) for name in STDLIB_NAMES}


@needs_bwrap
def test_workspace_files_named_like_the_standard_library_never_run(tmp_path):
    markers = tmp_path / "markers"
    markers.mkdir()
    workspace = write_folder(tmp_path / "workspace", dict(honest(), **evil_files(markers)))
    klass = tmp_path / "class"
    write_folder(klass / "ann", dict(honest(), **evil_files(markers)))
    # the engine's API, for a workspace and for a sources dict
    results = check_workspace(workspace, "layers", timeout=TIMEOUT)
    assert results and all(r.passed for r in results), [r.message for r in results if not r.passed]
    with Grader(timeout=TIMEOUT) as grader:
        results = grader.grade(dict(honest(), **evil_files(markers)))
    assert all(r.passed for r in results)
    # `tutor check` and `tutor grade`
    done = tutor("check", "layers", "--workspace", str(workspace), "--timeout", str(TIMEOUT), cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    done = tutor("grade", str(klass), "--out", str(tmp_path / "out"), "--jobs", "1", "--timeout", str(TIMEOUT),
                 cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert sorted(os.listdir(markers)) == []


@needs_bwrap
def test_the_worker_refuses_such_names_even_when_sent(tmp_path):
    """Below the grader's filter: a job whose sources name standard modules, sent straight to
    a worker. The zygote writes none of them, and the module that imports them gets the real ones."""
    from tutor.engine.pool import Worker
    from tutor.engine.worker.protocol import pack

    markers = tmp_path / "markers"
    markers.mkdir()
    spec = {"id": "layers.probe", "module": "layers", "kind": "function", "style": "plain", "forward": None,
            "outputs": ["out"], "grad_args": [], "cases": [{"inputs": {"d": {}}, "dout": None}]}
    plan = pack({"type": "plan", "exercises": [spec]})
    layers = ("import json, re, struct, tokenize, linecache, traceback\n"
              "def probe():\n"
              "    real = all('/tutor-job-' not in (m.__file__ or '') for m in (json, re, struct, tokenize, linecache, traceback))\n"
              "    return 1.0 if real else 0.0\n")
    worker = Worker()
    try:
        answers = worker.run("plan", plan, [{"exercise": 0, "mode": "grade"}], dict(evil_files(markers), layers=layers),
                             timeout=TIMEOUT)
    finally:
        worker.close()
    header, _ = answers[0]
    assert header["cases"][0]["status"] == "ok", header
    assert sorted(os.listdir(markers)) == []


# -- 2. no process outlives its run ----------------------------------------------------------

ESCAPE = """
def affine_forward(x, w, b):
    import ctypes, os, signal, sys, threading, time
    libc = ctypes.CDLL(None)
    def undying():
        libc.prctl(1, 0, 0, 0, 0)                       # no parent-death signal
        libc.prctl(15, b"{mark}", 0, 0, 0)
        for number in range(1, 65):
            try:
                signal.signal(number, signal.SIG_IGN)
            except (OSError, ValueError, RuntimeError):
                pass
    if os.fork() == 0:                                   # a double fork, each its own session
        undying()
        os.setsid()
        if os.fork() == 0:
            os.setpgid(0, 0)
            os.execve("/bin/sh", ["/bin/sh", "-c", "trap '' 1 2 15; while :; do sleep 1; done", "{mark}"],
                      {{"MARK": "{mark}"}})
        os._exit(0)
    if os.fork() == 0:
        undying()
        # /bin/sh, not sys.executable: a venv under /tmp (a CI clone) is not where the sandbox shows it
        os.execve("/bin/sh", ["/bin/sh", "-c", "while :; do sleep 1; done", "{mark}"], {{"MARK": "{mark}"}})
    undying()
    try:
        os.setsid()
    except OSError:
        pass
    for _ in range(3):
        threading.Thread(target=time.sleep, args=(120,), daemon=True).start()
    if {hang}:
        while True:
            time.sleep(1)
    time.sleep(0.3)
    return x @ w + b + 1, (x, w)
"""


def escape(hang: bool) -> str:
    return ESCAPE.format(mark=MARK, hang=hang)


def assert_no_process_left(what: str) -> None:
    deadline = time.monotonic() + 3
    while marked_processes() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert marked_processes() == [], f"left behind by {what}"


@needs_namespaces
@pytest.mark.parametrize("hang", [False, True], ids=["returns", "hangs"])
def test_no_process_outlives_a_grader_run(hang):
    with Grader(timeout=TIMEOUT, jobs=1) as grader:
        results = {r.exercise: r for r in grader.grade(with_layers(escape(hang)))}
        assert results["layers.affine_forward"].score == 0
        assert results["layers.affine_forward"].diagnosis == ("timeout" if hang else "mismatch")
        assert_no_process_left("a Grader run")
        # the worker goes on grading honest students
        assert all(r.passed for r in grader.grade(honest()))


@needs_namespaces
def test_no_process_outlives_tutor_check(tmp_path):
    workspace = write_folder(tmp_path / "ws", with_layers(escape(True)))
    done = tutor("check", "layers.affine_forward", "--workspace", str(workspace), "--timeout", str(TIMEOUT),
                 cwd=tmp_path)
    assert "timeout" in done.stdout.lower() or "time limit" in done.stdout.lower(), done.stdout + done.stderr
    assert_no_process_left("tutor check")


@needs_namespaces
def test_no_process_outlives_tutor_grade(tmp_path):
    klass = tmp_path / "class"
    write_folder(klass / "a_hangs", with_layers(escape(True)))
    write_folder(klass / "b_returns", with_layers(escape(False)))
    write_folder(klass / "c_honest", honest())
    done = tutor("grade", str(klass), "--out", str(tmp_path / "out"), "--jobs", "1", "--timeout", str(TIMEOUT),
                 cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert_no_process_left("tutor grade")


@needs_namespaces
def test_no_process_outlives_check_in_a_jupyter_kernel(tmp_path):
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    pytest.importorskip("ipykernel")
    from nbformat.v4 import new_code_cell, new_notebook

    from tutor.notebook import build
    from tutor.notebook.kernel import kernel_env

    env = kernel_env(tmp_path / "jupyter")
    nb = new_notebook(cells=[
        new_code_cell("from tutor import check"),
        new_code_cell(escape(True)),
        new_code_cell(f"r = check(affine_forward, raise_on_failure=False, timeout={TIMEOUT})\n"
                      "print(r.result.diagnosis)"),
    ])
    nb.metadata["kernelspec"] = dict(build.KERNELSPEC)
    saved = {k: os.environ.get(k) for k in ("JUPYTER_PATH", "PYTHONPATH", "TUTOR_CACHE_DIR")}
    os.environ["JUPYTER_PATH"] = env["JUPYTER_PATH"]
    os.environ["TUTOR_CACHE_DIR"] = str(tmp_path / "cache")
    if "PYTHONPATH" in env:
        os.environ["PYTHONPATH"] = env["PYTHONPATH"]
    try:
        client = nbclient.NotebookClient(nb, timeout=300, kernel_name="python3", allow_errors=True,
                                         resources={"metadata": {"path": str(tmp_path)}})
        client.execute()
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    assert nb.cells[2].outputs and nb.cells[2].outputs[-1].text.strip() == "timeout", nb.cells[2].outputs
    assert_no_process_left("check() in a Jupyter kernel")
    assert nbformat  # used through new_notebook


# -- 3. nothing crosses from one submission to the next -------------------------------------

WRITER = """
def affine_forward(x, w, b):
    import ctypes, mmap, os, socket, time
    answer = b"help"
    def serve(family, address):
        s = socket.socket(family, socket.SOCK_STREAM)
        s.bind(address)
        s.listen(8)
        while True:
            c, _ = s.accept()
            c.sendall(answer)
            c.close()
    libc = ctypes.CDLL(None)
    for family, address in ((socket.AF_UNIX, "\\0tutor-help-{mark}"), (socket.AF_UNIX, "/tmp/help-{mark}.sock"),
                            (socket.AF_INET, ("127.0.0.1", 47011))):
        if os.fork() == 0:
            libc.prctl(1, 0, 0, 0, 0)
            os.setsid()
            if os.fork() == 0:
                try:
                    serve(family, address)
                finally:
                    os._exit(0)
            os._exit(0)
    for folder in ("/tmp", "/dev/shm", os.getcwd(), os.path.expanduser("~")):
        try:
            with open(os.path.join(folder, "help-{mark}"), "wb") as f:
                f.write(answer)
        except OSError:
            pass
    try:
        libc.shmget(0x7475746f, 4096, 0o1000 | 0o666)
    except Exception:
        pass
    os.environ["HELP_{mark}"] = "help"
    # The learner's own process stays too: no parent-death signal, its own session, and it
    # serves on one more abstract socket until it is killed (a timeout).
    libc.prctl(1, 0, 0, 0, 0)
    os.setsid()
    serve(socket.AF_UNIX, "\\0tutor-help2-{mark}")
"""

READER = """
def affine_forward(x, w, b):
    import ctypes, os, socket
    helped = []
    for family, address in ((socket.AF_UNIX, "\\0tutor-help-{mark}"), (socket.AF_UNIX, "\\0tutor-help2-{mark}"),
                            (socket.AF_UNIX, "/tmp/help-{mark}.sock"), (socket.AF_INET, ("127.0.0.1", 47011))):
        try:
            s = socket.socket(family, socket.SOCK_STREAM)
            s.settimeout(0.5)
            s.connect(address)
            helped.append(s.recv(16))
        except OSError:
            pass
    for folder in ("/tmp", "/dev/shm", os.getcwd(), os.path.expanduser("~")):
        try:
            with open(os.path.join(folder, "help-{mark}"), "rb") as f:
                helped.append(f.read())
        except OSError:
            pass
    if ctypes.CDLL(None).shmget(0x7475746f, 0, 0) >= 0:
        helped.append("shm")
    if os.environ.get("HELP_{mark}"):
        helped.append("env")
    if helped:
        return x @ w + b, (x, w)       # only with the writer's help
    return x @ w + b + 1, (x, w)
"""


@needs_namespaces
def test_a_reader_gets_nothing_from_the_writer_before_it_on_one_worker(tmp_path):
    writer, reader = with_layers(WRITER.format(mark=MARK)), with_layers(READER.format(mark=MARK))
    with Grader(timeout=TIMEOUT, jobs=1) as grader:
        for _ in range(2):
            wrote = {r.exercise: r for r in grader.grade(writer)}["layers.affine_forward"]
            assert wrote.diagnosis == "timeout", wrote.message      # it ran, and stayed to serve
            results = {r.exercise: r for r in grader.grade(reader)}
            assert results["layers.affine_forward"].score == 0, results["layers.affine_forward"].message
    klass = tmp_path / "class"
    write_folder(klass / "a_writer", writer)
    write_folder(klass / "b_reader", reader)
    out = tmp_path / "out"
    done = tutor("grade", str(klass), "--out", str(out), "--jobs", "1", "--timeout", str(TIMEOUT), cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    rows = (out / "grades.csv").read_text().splitlines()
    header = rows[0].split(",")
    s, e, sc = header.index("student"), header.index("exercise"), header.index("score")
    reader_scores = [float(r.split(",")[sc]) for r in rows[1:]
                     if r.split(",")[s] == "b_reader" and r.split(",")[e] == "layers.affine_forward"]
    assert reader_scores == [0.0]



def zygotes_under(pid: int) -> list[int]:
    """The zygote processes (python ... zygote.py) below the process `pid` (bubblewrap's)."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                ppid = int(Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry))
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        try:
            command = Path(f"/proc/{current}/cmdline").read_bytes()
        except OSError:
            command = b""
        if command.endswith(b"zygote.py\0") and b"python" in command.split(b"\0")[0]:
            found.append(current)
        todo.extend(children.get(current, []))
    return found


def inherited_memory(pid: int) -> bytes:
    """Every readable private mapping of `pid` that a forked child inherits (not MADV_DONTFORK)."""
    chunks = []
    smaps = Path(f"/proc/{pid}/smaps").read_text().splitlines()
    regions, flags = [], {}
    for line in smaps:
        head = line.split()
        if "-" in head[0] and len(head) >= 2 and len(head[1]) == 4:
            regions.append((head[0], head[1]))
        elif line.startswith("VmFlags:"):
            flags[regions[-1][0]] = line.split()[1:]
    with open(f"/proc/{pid}/mem", "rb") as memory:
        for span, perms in regions:
            if not perms.startswith("r") or "dc" in flags.get(span, []):
                continue
            start, end = (int(x, 16) for x in span.split("-"))
            try:
                memory.seek(start)
                chunks.append(memory.read(end - start))
            except (OSError, OverflowError, ValueError):
                pass
    return b"".join(chunks)


@needs_namespaces
def test_nothing_of_a_student_stays_in_the_memory_the_next_child_is_forked_from():
    """Every child is a fork of its zygote, so what the zygote holds, the next student's code can
    read in its own memory. The zygote never decodes a student's sources (they stay in memory no
    child inherits, MADV_DONTFORK, and reach the child through a memfd) nor a child's frames
    (routed by their start, relayed unopened from such memory): a student's code, what it
    printed and what it raised are nowhere in the memory the next child starts with."""
    markers = [f"{what} marker {MARK} of a student" for what in ("source", "printed", "raised")]
    sources = honest()
    sources["optim"] += f"\n# {markers[0]}\n"
    sources["activations"] = sources["activations"].replace(
        "def relu_forward(x):", f"def relu_forward(x):\n    print({markers[1]!r})\n    raise ValueError({markers[2]!r})")
    with Grader(timeout=TIMEOUT, jobs=1) as grader:
        results = {r.exercise: r for r in grader.grade(sources)}
        assert markers[2] in results["activations.relu_forward"].message      # it ran, and was heard
        (worker,) = grader.pool.idle_workers()
        zygotes = zygotes_under(worker.process.pid)
        assert len(zygotes) == 1, zygotes
        try:
            memory = inherited_memory(zygotes[0])
        except PermissionError:
            pytest.skip("this test cannot read the zygote's memory (/proc/PID/mem)")
    assert len(memory) > 1 << 20          # it did read the zygote's heap
    assert [m for m in markers if m.encode() in memory] == []

# -- 5. the grader's memory -------------------------------------------------------------------

FLOOD = """
import json, os, resource, sys
sys.path.insert(0, {repo!r})
import numpy as np
from tutor.engine import Grader
from tutor.manifest import EXERCISES

def vm_hwm():
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) << 10

honest = {{m: open(os.path.join({solutions!r}, m + ".py")).read() for m in {modules!r}}}
flood = {{}}
for e in EXERCISES:    # every function returns a million values per output (8 MB each, every case)
    big = ", ".join(["np.zeros(999_999)"] * len(e.outputs))
    answer = f"({{big}}, None)" if e.kind == "forward" or e.id == "layers.dropout_forward" else f"({{big}},)" if len(e.outputs) == 1 else big
    if len(e.outputs) == 1 and not (e.kind == "forward" or e.id == "layers.dropout_forward"):
        answer = big
    flood.setdefault(e.module, "import numpy as np\\n")
    flood[e.module] += f"def {{e.function}}(*a, **k):\\n    return {{answer}}\\n"
with Grader(timeout=10, jobs=1) as grader:
    grader.grade(honest)
    grader.grade(honest)
    with open("/proc/self/clear_refs", "w") as f:
        f.write("5")                       # resets VmHWM: from here, the peak of the flood only
    base = vm_hwm()
    results = grader.grade(flood)
    peak = vm_hwm()
    after = [r.passed for r in grader.grade(honest)]
messages = sorted({{r.message[:80] for r in results}})
print(json.dumps({{"base": base, "peak": peak, "messages": messages, "honest_after": all(after)}}))
"""


@needs_namespaces
def test_the_grader_stays_near_its_memory_whatever_a_child_sends(tmp_path):
    script = tmp_path / "flood.py"
    script.write_text(FLOOD.format(repo=str(REPO), solutions=str(SOLUTIONS), modules=MODULES))
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    report = json.loads(done.stdout.strip().splitlines()[-1])
    growth = report["peak"] - report["base"]
    # Without the per-job budget the grader grew by 1.6 GB here (86 MB with it); the budget is 64 MB.
    assert growth < 200 << 20, f"the grader grew by {growth >> 20} MB"
    assert any("MB of results" in m for m in report["messages"]), report["messages"]
    assert report["honest_after"]
