"""The sandbox primitives on their own: tutor/engine/sandbox.py (how the zygote is started)
and tutor/engine/worker/isolation.py (how each forked child is confined).

A minimal zygote (tests/adversarial/sandbox_harness.py) is started with
sandbox.worker_command exactly as the engine starts its own, forks a child per run, calls
isolation.harden_child in it and runs a snippet of hostile code there. The tests assert
what the snippet could not do. Tests of the namespace tier skip where the machine gives no
namespaces (the "reduced" level then says so; see test_level_is_honest).
"""
from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest

from tutor.engine import cgroup, sandbox

REPO = Path(__file__).resolve().parent.parent
HARNESS = Path(__file__).resolve().parent / "adversarial" / "sandbox_harness.py"
WORKER = REPO / "tutor" / "engine" / "worker"
ISOLATION = WORKER / "isolation.py"
PLAN = sandbox.plan()
NAMESPACED = PLAN.tier in ("bwrap", "namespaces")
needs_namespaces = pytest.mark.skipif(not NAMESPACED, reason=f"no namespaces here: {PLAN.level}")
needs_bwrap = pytest.mark.skipif(PLAN.tier != "bwrap", reason=f"no bubblewrap sandbox here: {PLAN.level}")

LIMITS = {"memory_bytes": 1 << 30, "cpu_seconds": 5, "file_bytes": 1 << 20, "processes": 16,
          "output_bytes": 1 << 16}


def run_confined(tmp_path: Path, *runs: dict, timeout: float = 60) -> list[dict]:
    """Start the harness zygote the engine's way and return one report per run."""
    folder = tmp_path / "worker"
    folder.mkdir(exist_ok=True)
    shutil.copy(HARNESS, folder / "sandbox_harness.py")
    for name in ("isolation.py", "seccomp.py", "syscalls.py", "filesystem.py", "constants.py"):
        shutil.copy(WORKER / name, folder / name)
    specs = [dict({"limits": LIMITS}, **run) for run in runs]
    for spec in specs:
        spec["code"] = textwrap.dedent(spec["code"])
    (folder / "spec.json").write_text(json.dumps({"runs": specs}))
    argv = sandbox.worker_command(sys.executable, folder / "sandbox_harness.py") + [str(folder / "spec.json")]
    done = subprocess.run(argv, capture_output=True, timeout=timeout, start_new_session=True)
    assert done.returncode == 0, done.stderr.decode(errors="replace")[-2000:]
    reports = [json.loads(line) for line in done.stdout.decode().splitlines() if line.startswith("{")]
    zygote = reports.pop(0)
    assert len(reports) == len(runs), done.stderr.decode(errors="replace")[-2000:]
    for report in reports:
        report["zygote_env"] = zygote["zygote_env"]
    return reports


def result_of(tmp_path, code: str, **run) -> dict:
    report = run_confined(tmp_path, dict(run, code=code))[0]
    assert report["result"] is not None, report
    return report["result"]


def host_processes_named(name: str) -> list[int]:
    found = []
    for pid in os.listdir("/proc"):
        if pid.isdigit():
            try:
                if Path(f"/proc/{pid}/comm").read_text().strip() == name:
                    found.append(int(pid))
            except OSError:
                pass
    return found


# -- what the level says ---------------------------------------------------------------

def test_level_is_honest():
    level = sandbox.isolation_level()
    assert level.startswith(("full:", "reduced:"))
    # full: bubblewrap and a memory cgroup per worker (tutor/engine/cgroup.py)
    assert level.startswith("full:") == (PLAN.tier == "bwrap" and cgroup.unavailable() is None)
    if PLAN.tier != "bwrap":
        # Where it is weaker it says what is missing, never silently.
        assert "can" in level and ("READ" in level or "network" in level)


def test_forced_fallback_says_reduced(monkeypatch):
    monkeypatch.setenv(sandbox.FORCE_ENV, "none")
    plan = sandbox.decide(sys.executable)
    assert plan.tier == "none"
    assert plan.level.startswith("reduced:") and "no namespaces" in plan.level
    assert "TUTOR_SANDBOX=none" in plan.level
    argv = sandbox.command(plan.tier, sys.executable, Path("/x/zygote.py"))
    assert "bwrap" not in argv and argv[-2:] == ["-I", "/x/zygote.py"]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux only")
def test_probe_is_cached_and_cheap_to_ask():
    started = time.perf_counter()
    for _ in range(100):
        sandbox.isolation_level()
        sandbox.worker_command(sys.executable, HARNESS)
    assert time.perf_counter() - started < 2.0


@needs_bwrap
def test_bwrap_command_hides_site_packages_and_repository():
    argv = sandbox.worker_command(sys.executable, REPO / "tutor" / "engine" / "worker" / "zygote.py")
    text = " ".join(argv)
    assert argv[0] == "bwrap" and "--unshare-net" in argv
    assert "--die-with-parent" not in argv   # tied to the starting thread: see sandbox.py
    assert f"--ro-bind {REPO} " not in text
    import numpy

    assert os.path.dirname(numpy.__file__) in argv
    assert not any("torch" in a for a in argv)


@needs_bwrap
def test_bwrap_mounts_tmp_before_what_lies_under_it():
    # A CI clone with its venv under /tmp: were /tmp mounted after the interpreter and NumPy
    # were bound there, it would hide them and the worker could not even start.
    argv = sandbox.worker_command(sys.executable, REPO / "tutor" / "engine" / "worker" / "zygote.py")
    destinations = []          # (operation, where it mounts), in bwrap's order
    for i, op in enumerate(argv):
        if op == "--tmpfs":
            destinations.append((op, argv[i + 1]))
        elif op in ("--ro-bind", "--ro-bind-try", "--symlink"):
            destinations.append((op, argv[i + 2]))
    # /tmp comes before every bind, so nothing bound (wherever it lies) can be hidden by it.
    tmp_mount = destinations.index(("--tmpfs", "/tmp"))
    binds = [n for n, (op, dest) in enumerate(destinations) if op != "--tmpfs"]
    assert binds and all(n > tmp_mount for n in binds)


# -- the child's view ---------------------------------------------------------------------

@needs_namespaces
def test_no_network(tmp_path):
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", 0))
    listener.listen(5)
    listener.settimeout(0.2)
    port = listener.getsockname()[1]
    got, stop = [], threading.Event()

    def accept():
        while not stop.wait(0):
            try:
                conn, _ = listener.accept()
                got.append(conn.recv(100))
                conn.close()
            except OSError:
                pass

    thread = threading.Thread(target=accept)
    thread.start()
    result = result_of(tmp_path, f"""
        import socket
        errors = []
        for family, address in ((socket.AF_INET, ("127.0.0.1", {port})), (socket.AF_INET6, ("::1", {port}))):
            try:
                s = socket.socket(family, socket.SOCK_STREAM)
                s.settimeout(1)
                s.connect(address)
                s.sendall(b"stolen")
                errors.append("connected")
            except OSError as e:
                errors.append(e.errno)
        try:
            socket.getaddrinfo("pypi.org", 443)
            R["dns"] = True
        except OSError:
            R["dns"] = False
        R["errors"] = errors
        R["interfaces"] = sorted(name for _, name in socket.if_nameindex())
        try:
            socket.socket(socket.AF_INET, socket.SOCK_DGRAM).connect(("192.0.2.1", 9))
            R["route"] = True
        except OSError:
            R["route"] = False
    """)
    time.sleep(0.3)
    stop.set()
    thread.join()
    listener.close()
    assert got == []
    assert "connected" not in result["errors"]
    assert result["dns"] is False
    assert result["interfaces"] == ["lo"] and result["route"] is False


@needs_namespaces
def test_cannot_see_or_signal_host_processes(tmp_path):
    me = os.getpid()
    result = result_of(tmp_path, f"""
        import os, signal
        R["pid"] = os.getpid()
        R["ppid"] = os.getppid()
        R["proc"] = sorted(p for p in os.listdir("/proc") if p.isdigit()) if os.path.isdir("/proc") else []
        try:
            os.kill({me}, 0)
            R["kill"] = "reached"
        except OSError as e:
            R["kill"] = e.errno
        R["parent_cwd"] = os.path.exists("/proc/%d/cwd" % os.getppid()) and os.getppid() != 1
        for number in (signal.SIGKILL, signal.SIGTERM, signal.SIGSTOP):
            os.kill(1, number)            # PID 1 of its namespace: from inside, these are dropped
        R["init_alive"] = True
    """)
    # Learner code is PID 1 of its own namespace; its parent (outside) is not even visible.
    assert result["pid"] == 1 and result["ppid"] == 0
    assert result["proc"] in ([], ["1"])
    assert result["init_alive"]
    assert result["kill"] != "reached"
    assert result["parent_cwd"] is False


@needs_bwrap
def test_cannot_read_the_repository_or_site_packages(tmp_path):
    result = result_of(tmp_path, f"""
        import os, sys
        R["visible"] = [p for p in {[str(REPO / "solutions"), str(REPO / "reference"), str(REPO / "tests"),
                                     str(REPO / "tutor" / "engine" / "sandbox.py"), str(REPO / "tutor" / "manifest.py"),
                                     str(REPO / ".git"), "/etc/passwd", "/home"]!r} if os.path.exists(p)]
        found = []
        for name in ("torch", "tutor", "solutions", "reference", "scipy"):
            try:
                __import__(name)
                found.append(name)
            except ImportError:
                pass
        R["imports"] = found
        import numpy
        R["numpy"] = float(numpy.ones(3).sum())
        R["site"] = {{p: sorted(os.listdir(p)) for p in sys.path if p.endswith("-packages") and os.path.isdir(p)}}
    """)
    assert result["visible"] == []
    assert result["imports"] == []
    assert result["numpy"] == 3.0
    for folder, names in result["site"].items():
        assert set(names) <= {"numpy", "numpy.libs"}, (folder, names)


@needs_namespaces
def test_rlimits_in_force(tmp_path):
    result = result_of(tmp_path, """
        import resource, numpy as np, os
        R["as"] = resource.getrlimit(resource.RLIMIT_AS)[0]
        R["cpu"] = resource.getrlimit(resource.RLIMIT_CPU)[0]
        R["fsize"] = resource.getrlimit(resource.RLIMIT_FSIZE)[0]
        R["nproc"] = resource.getrlimit(resource.RLIMIT_NPROC)[0]
        try:
            a = np.ones(3 << 30, dtype=np.uint8)      # 3 GB > 1 GB limit
            R["alloc"] = "allocated"
        except MemoryError:
            R["alloc"] = "MemoryError"
        try:
            with open("big", "wb") as f:
                f.write(b"x" * (2 << 20))            # 2 MB > 1 MB limit
            R["write"] = "written"
        except OSError as e:
            R["write"] = e.errno
        children = 0
        pids = []
        try:
            for _ in range(40):                      # limit is 16
                pid = os.fork()
                if pid == 0:
                    import time; time.sleep(5); os._exit(0)
                pids.append(pid)
                children += 1
        except OSError:
            pass
        R["children"] = children
        R["caps"] = open("/proc/self/status").read() if os.path.exists("/proc/self/status") else ""
    """)
    assert result["as"] == LIMITS["memory_bytes"]
    assert result["cpu"] == LIMITS["cpu_seconds"]
    assert result["fsize"] == LIMITS["file_bytes"]
    assert result["nproc"] == LIMITS["processes"] + 1     # + the trusted process that waits outside (A)
    assert result["alloc"] == "MemoryError"
    assert result["write"] == 27           # EFBIG
    if PLAN.report.get("nproc_enforced"):    # never for real root outside bubblewrap (see the level)
        assert result["children"] < LIMITS["processes"]     # it is one of them itself


@needs_namespaces
def test_cpu_limit_kills(tmp_path):
    report = run_confined(tmp_path, {"code": "while True: pass", "limits": dict(LIMITS, cpu_seconds=1)})[0]
    assert report["signal"] in (signal.SIGXCPU, signal.SIGKILL), report
    assert report["seconds"] < 10


@needs_namespaces
def test_setsid_escapees_are_killed_when_the_run_ends(tmp_path):
    name = f"esc{os.getpid() % 100000}"
    report = run_confined(tmp_path, {"code": f"""
        import ctypes, os, time
        for _ in range(3):
            if os.fork() == 0:
                os.setsid()
                if os.fork() == 0:              # double fork: orphaned, own session
                    ctypes.CDLL(None).prctl(15, b"{name}", 0, 0, 0)   # PR_SET_NAME
                    time.sleep(60)
                os._exit(0)
        time.sleep(0.5)
        R["spawned"] = True
    """})[0]
    assert report["result"]["spawned"]
    time.sleep(0.5)
    assert host_processes_named(name) == []


@needs_namespaces
def test_killing_the_child_kills_its_whole_tree(tmp_path):
    """The zygote's timeout: SIGKILL to the child's process group, mid-run."""
    name = f"kil{os.getpid() % 100000}"
    report = run_confined(tmp_path, {"kill_after": 1.5, "code": f"""
        import ctypes, os, time
        for _ in range(2):
            if os.fork() == 0:
                os.setsid()
                ctypes.CDLL(None).prctl(15, b"{name}", 0, 0, 0)
                time.sleep(60)
        time.sleep(60)
    """})[0]
    assert report["signal"] == signal.SIGKILL
    assert report["seconds"] < 10
    time.sleep(0.5)
    assert host_processes_named(name) == []


@needs_namespaces
def test_private_tmp_is_gone_after_the_run(tmp_path):
    reports = run_confined(
        tmp_path,
        {"files": {"layers.py": "X = 1\n"}, "code": """
            import os, tempfile
            R["cwd_files"] = sorted(os.listdir("."))
            R["tmp"] = sorted(os.listdir(tempfile.gettempdir()))
            open("dropped.txt", "w").write("left behind?")
            open(os.path.join(tempfile.gettempdir(), "dropped2.txt"), "w").write("left behind?")
            if os.path.isdir("/dev/shm"):
                open("/dev/shm/dropped3", "w").write("x")
        """},
        {"code": """
            import os, tempfile
            R["tmp"] = sorted(os.listdir(tempfile.gettempdir()))
            R["shm"] = sorted(os.listdir("/dev/shm")) if os.path.isdir("/dev/shm") else []
        """},
    )
    first, second = reports
    assert first["result"]["cwd_files"] == ["layers.py"]
    assert len(first["result"]["tmp"]) == 1           # its own workdir, no other job's
    assert first["workdir_after"] == ["layers.py"]    # nothing written reached the zygote's copy
    assert "dropped2.txt" not in second["result"]["tmp"]
    assert second["result"]["shm"] == []


@needs_namespaces
def test_capabilities_and_environment(tmp_path):
    os.environ["TUTOR_TEST_SECRET"] = "hunter2"
    try:
        report = run_confined(tmp_path, {"code": """
            import ctypes, os
            header = (ctypes.c_uint32 * 2)(0x20080522, 0)
            data = (ctypes.c_uint32 * 6)()
            ctypes.CDLL(None).capget(ctypes.byref(header), ctypes.byref(data))
            R["caps"] = list(data)
            R["nnp"] = ctypes.CDLL(None).prctl(39, 0, 0, 0, 0)   # PR_GET_NO_NEW_PRIVS
            R["env"] = dict(os.environ)
            R["uid"] = os.getuid()
            try:
                ctypes.CDLL(None, use_errno=True).mount(b"none", b"/tmp", b"tmpfs", 0, None)
                R["mount"] = ctypes.get_errno()
            except OSError as e:
                R["mount"] = str(e)
            if os.fork() == 0:     # a nested user namespace would give the capabilities back
                os._exit(ctypes.CDLL(None).unshare(0x10000000) == 0)
            R["nested_userns"] = os.waitstatus_to_exitcode(os.wait()[1])
        """})[0]
    finally:
        del os.environ["TUTOR_TEST_SECRET"]
    result = report["result"]
    # Not even the zygote (whose memory every child copies) gets the grader's environment.
    assert "TUTOR_TEST_SECRET" not in report["zygote_env"]
    assert result["caps"] == [0] * 6
    assert result["nnp"] == 1
    assert "TUTOR_TEST_SECRET" not in result["env"]
    assert result["mount"] != 0
    assert result["nested_userns"] == 0


@needs_namespaces
def test_exit_status_is_relayed(tmp_path):
    segv, exited, fine = run_confined(
        tmp_path,
        {"code": "import ctypes; ctypes.string_at(0)"},
        {"code": "import os; os._exit(3)"},
        {"code": "R['ok'] = 1"},
    )
    assert segv["signal"] == signal.SIGSEGV
    assert exited["exit"] == 3
    assert fine["exit"] == 0 and fine["result"]["ok"] == 1


@needs_namespaces
def test_per_child_cost_is_milliseconds(tmp_path):
    reports = run_confined(tmp_path, *[{"code": "R['x'] = 1"} for _ in range(20)])
    costs = sorted(r["result"]["harden_seconds"] for r in reports)
    assert costs[len(costs) // 2] < 0.05, costs


def test_fallback_still_confines_what_it_can(tmp_path, monkeypatch):
    """TUTOR_SANDBOX=none: no namespaces, but limits, own session, scrubbed environment."""
    monkeypatch.setenv(sandbox.FORCE_ENV, "none")
    sandbox.forget()                     # decided again, with TUTOR_SANDBOX=none
    try:
        result = result_of(tmp_path, """
            import os, resource
            R["sid"] = os.getsid(0) == os.getpid()
            R["as"] = resource.getrlimit(resource.RLIMIT_AS)[0]
            R["fsize"] = resource.getrlimit(resource.RLIMIT_FSIZE)[0]
            R["home"] = os.environ.get("HOME")
        """)
    finally:
        sandbox.forget()                 # the next worker decides again, without it
    assert result["sid"]
    assert result["fsize"] == LIMITS["file_bytes"]
    if sys.platform.startswith("linux"):
        assert result["as"] == LIMITS["memory_bytes"]


def test_zygote_outlives_the_thread_that_started_it(tmp_path):
    """A class grader starts zygotes from pool threads: they must not die with the thread
    (bwrap --die-with-parent would), and they must end when their stdin closes."""
    folder = tmp_path / "worker"
    folder.mkdir()
    script = folder / "echo.py"
    script.write_text("import sys\nprint(sys.stdin.read().upper(), flush=True)\n")
    started = {}

    def start():
        started["p"] = subprocess.Popen(sandbox.worker_command(sys.executable, script), stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, start_new_session=True)

    thread = threading.Thread(target=start)
    thread.start()
    thread.join()
    process = started["p"]
    time.sleep(0.5)
    assert process.poll() is None, "the zygote died with the thread that started it"
    out, _ = process.communicate(b"still here", timeout=30)
    assert out.strip() == b"STILL HERE"


@needs_namespaces
def test_seccomp_refuses_what_no_exercise_needs(tmp_path):
    """Each refused call fails with EPERM (ENOSYS for clone3); forks and threads still work."""
    result = result_of(tmp_path, """
        import ctypes, os, threading
        import seccomp
        libc = ctypes.CDLL(None, use_errno=True)
        numbers = seccomp.ARCHES[os.uname().machine][2]
        R["refused"], R["allowed"] = {}, []
        for name in seccomp.DENIED:
            if name not in numbers:
                continue
            ctypes.set_errno(0)
            rc = libc.syscall(ctypes.c_long(numbers[name]), *[ctypes.c_long(0)] * 5)
            R["refused"][name] = ctypes.get_errno() if rc < 0 else "allowed"
        ctypes.set_errno(0)
        rc = libc.syscall(ctypes.c_long(numbers["clone"]), ctypes.c_long(0x10000000 | 17), *[ctypes.c_long(0)] * 4)
        if rc == 0:
            os._exit(0)
        R["clone_newuser"] = ctypes.get_errno() if rc < 0 else "allowed"
        pid = os.fork()
        if pid == 0:
            os._exit(7)
        R["fork"] = os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1])
        box = []
        t = threading.Thread(target=lambda: box.append(1)); t.start(); t.join()
        R["thread"] = box
    """)
    assert result["refused"] and all(v == 1 for v in result["refused"].values()), result["refused"]
    assert result["clone_newuser"] == 1
    assert result["fork"] == 7 and result["thread"] == [1]


@needs_namespaces
def test_a_learner_process_that_undoes_every_tie_is_killed_with_its_run(tmp_path):
    """The learner's own process clears its parent-death signal, leaves the session and the
    process group, ignores every signal and hangs: killing the child the zygote's way (its
    process group, by pid) still ends it and everything it started."""
    name = f"tie{os.getpid() % 100000}"
    report = run_confined(tmp_path, {"kill_after": 1.5, "code": f"""
        import ctypes, os, signal, time
        libc = ctypes.CDLL(None)
        for sig in range(1, 65):
            try:
                signal.signal(sig, signal.SIG_IGN)
            except (OSError, ValueError, RuntimeError):
                pass
        libc.prctl(1, 0, 0, 0, 0)
        libc.prctl(15, b"{name}", 0, 0, 0)
        os.setsid()
        if os.fork() == 0:
            os.setpgid(0, 0)
            libc.prctl(1, 0, 0, 0, 0)
            os.execv("/bin/sh", ["/bin/sh", "-c", "trap '' 1 2 15; exec -a {name} sleep 60"])
        while True:
            time.sleep(1)
    """})[0]
    assert report["signal"] == signal.SIGKILL
    time.sleep(0.5)
    assert host_processes_named(name) == []


@needs_namespaces
def test_learner_code_cannot_clear_its_parent_death_signal(tmp_path):
    """The process that runs learner code dies with the trusted process that waits for it:
    the seccomp filter refuses PR_SET_PDEATHSIG (getting it still works)."""
    result = result_of(tmp_path, """
        import ctypes, os
        libc = ctypes.CDLL(None, use_errno=True)
        R["set"] = libc.prctl(1, 0, 0, 0, 0)          # PR_SET_PDEATHSIG: none
        R["errno"] = ctypes.get_errno()
        value = ctypes.c_int(-1)
        R["get"] = libc.prctl(2, ctypes.byref(value), 0, 0, 0)   # PR_GET_PDEATHSIG
        R["signal"] = value.value
    """)
    assert result["set"] == -1 and result["errno"] == 1      # EPERM
    assert result["get"] == 0 and result["signal"] == signal.SIGKILL


@needs_namespaces
def test_a_run_ends_when_only_its_waiting_process_dies(tmp_path):
    """Without the reported pid (a zygote that only knows its own child), killing that child's
    process group still ends the learner's process through its parent-death signal, and the
    kernel then ends everything in its namespace."""
    name = f"orp{os.getpid() % 100000}"
    report = run_confined(tmp_path, {"kill_after": 1.5, "kill_child_only": True, "code": f"""
        import ctypes, os, time
        ctypes.CDLL(None).prctl(15, b"{name}", 0, 0, 0)
        os.setsid()
        if os.fork() == 0:
            ctypes.CDLL(None).prctl(15, b"{name}", 0, 0, 0)
            time.sleep(60)
        time.sleep(60)
    """})[0]
    assert report["signal"] == signal.SIGKILL
    time.sleep(0.5)
    assert host_processes_named(name) == []


@needs_namespaces
def test_learner_code_can_import_numpy_submodules_the_worker_never_imported(tmp_path):
    """A child's private tmpfs covers the jobs folder only (inside bubblewrap) or the whole of
    /tmp: either way NumPy's lazily imported submodules are found, also when the venv lies
    under /tmp (a CI clone), where covering all of /tmp would hide it."""
    result = result_of(tmp_path, """
        import numpy as np
        import numpy.polynomial, numpy.testing, numpy.ma
        R["poly"] = float(np.polynomial.Polynomial([1, 2])(3.0))
        R["fft"] = float(np.fft.fft(np.ones(4))[0].real)
        R["ma"] = float(np.ma.masked_array([1.0, 2.0], mask=[0, 1]).sum())
        np.testing.assert_allclose(1.0, 1.0)
        R["numpy_under"] = np.__file__
    """)
    assert result.get("exception") is None, result
    assert (result["poly"], result["fft"], result["ma"]) == (7.0, 4.0, 1.0)


@needs_bwrap
def test_a_job_sees_none_of_the_other_jobs_of_its_zygote(tmp_path):
    """Inside bubblewrap the private tmpfs covers the zygote's jobs folder: a file left there
    by an earlier job (here, one planted by the zygote itself) is not visible."""
    result = result_of(tmp_path, """
        import os, tempfile
        jobs = os.path.dirname(WORKDIR)
        R["jobs"] = jobs
        R["listing"] = sorted(os.listdir(jobs))
        R["tmpdir"] = tempfile.gettempdir()
        R["own"] = os.path.basename(WORKDIR)
    """, plant_sibling=True)
    assert result["listing"] == [result["own"]], result
    assert result["tmpdir"] == result["jobs"]
