"""How the worker process that runs learner code is started and confined (parent side).

Interface used by the engine's worker pool:

    worker_command(python: str, worker_script: Path) -> list[str]
        argv that starts the worker (the zygote) confined: wrapped in namespaces where the
        machine allows it, plain `python -I` otherwise.
    isolation_level() -> str
        what that confinement guarantees on this machine, in words, for reports and the
        gradebook ("full: ..." or "reduced: ..."); never silently weaker.

The child-side half is tutor/engine/worker/isolation.py. What each level guarantees, and
where, is in docs/SANDBOX.md.

Three tiers, chosen once per process by a probe that starts the real thing (a confined
zygote that hardens a forked child and reports what that child can do) and cached:

    bwrap       the zygote runs in bubblewrap: its own mount namespace that shows only the
                system libraries, the Python standard library, NumPy and the worker folder,
                its own network namespace (loopback only); each child gets its own
                user/PID/mount/IPC namespaces (isolation.py). "full: ..."
    namespaces  no usable bubblewrap, but user namespaces work: the per-child namespaces
                only; learner code can read what the grader can read. "reduced: ..."
    none        no namespaces (macOS, locked-down containers): own session, rlimits,
                scrubbed environment. "reduced: ..."

TUTOR_SANDBOX=bwrap|namespaces|none in the environment asks for a tier (for tests and for
debugging); a tier that this machine cannot give is never used, the next weaker one that
works is, and isolation_level() says so.
"""
from __future__ import annotations

import glob
import json
import os
import shutil
import subprocess
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path

from tutor.engine import cgroup

_HERE = Path(__file__).resolve().parent
PROBE_SCRIPT = _HERE / "worker" / "probe.py"
_REPO_PROBE_PATHS = [str(_HERE / "sandbox.py"), str(_HERE.parent / "manifest.py"),
                     str(_HERE.parent.parent / "solutions"), str(_HERE.parent.parent / "reference")]

MODE_ENV = "TUTOR_SANDBOX_MODE"       # read by isolation.py in the child
UID_ENV = "TUTOR_SANDBOX_UID"
NETNS_ENV = "TUTOR_SANDBOX_NETNS"
FORCE_ENV = "TUTOR_SANDBOX"           # bwrap | namespaces | none
SANDBOX_UID = 999_993                 # learner code's uid outside its namespace when we are root
TIERS = ("bwrap", "namespaces", "none")
SYSTEM_DIRS = ("/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32")
THREAD_ENV = {"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}


@dataclass
class Plan:
    tier: str
    level: str
    report: dict = field(default_factory=dict)       # what the probe saw
    tried: list[str] = field(default_factory=list)   # why stronger tiers were not used


_lock = threading.Lock()
_plans: dict[str, Plan] = {}


# -- the interface -----------------------------------------------------------------------

def worker_command(python: str, worker_script: Path) -> list[str]:
    plan = _plan(python)
    return _command(plan.tier, python, Path(worker_script).resolve())


def isolation_level() -> str:
    return _plan(sys.executable).level


# -- helpers for tests and the CLI ---------------------------------------------------------

def plan(python: str | None = None) -> Plan:
    """The cached decision for this interpreter (tier, level, the probe's report)."""
    return _plan(python or sys.executable)


def probe_tier(tier: str, python: str | None = None) -> dict:
    """Run the probe in one tier now (uncached): the JSON report of a hardened child."""
    return _probe(tier, python or sys.executable)


# -- the decision ------------------------------------------------------------------------

def _plan(python: str) -> Plan:
    key = os.path.abspath(python)
    with _lock:
        if key not in _plans:
            _plans[key] = _decide(python)
        return _plans[key]


def _decide(python: str) -> Plan:
    wanted = os.environ.get(FORCE_ENV, "").strip().lower()
    start = TIERS.index(wanted) if wanted in TIERS else 0
    tried = []
    if not sys.platform.startswith("linux"):
        tried.append(f"namespaces need Linux (this is {sys.platform})")
        start = TIERS.index("none")
    for tier in TIERS[start:]:
        if tier == "bwrap" and not shutil.which("bwrap"):
            tried.append("bubblewrap (bwrap) is not installed")
            continue
        report = _probe(tier, python)
        problem = _judge(tier, report)
        if problem is None:
            return Plan(tier, _level(tier, report, tried, wanted), report, tried)
        tried.append(f"{tier}: {problem}")
    # Even the weakest tier failed its probe: still the weakest, and said so.
    return Plan("none", "reduced: the sandbox probe failed (" + "; ".join(tried) + "); separate process only",
                {}, tried)


def _judge(tier: str, report: dict) -> str | None:
    """Why this tier's probe falls short of what the tier promises, or None."""
    if "error" in report:
        return str(report["error"])[:300]
    if not report.get("numpy"):
        return f"NumPy cannot be imported in the sandbox ({report.get('numpy_error', '?')})"
    if not report.get("own_files"):
        return "the submission's own files are not visible"
    if tier == "none":
        return None
    checks = {
        # Learner code runs as PID 2 of its own namespace, under a trusted PID 1 (isolation.py).
        "pid": (report.get("pid") == 2, "no PID namespace"),
        "procs": (report.get("visible_pids", 99) <= 2, "other processes are visible"),
        "net": (report.get("network") == "unreachable", f"network {report.get('network')}"),
        "caps": (report.get("capabilities") == "0000000000000000", "capabilities kept"),
        "tmp": (not report.get("sibling_visible", True), "other jobs' files are visible"),
        "left": (not report.get("workdir_left", True), "files written by the child were left behind"),
        "ro": (not report.get("stdlib_writable", True), "the Python installation is writable"),
    }
    if tier == "bwrap":
        checks["nproc"] = (report.get("nproc_enforced") is True, "the process limit is not enforced")
    if tier == "bwrap":
        checks["fs"] = (not report.get("secrets_visible"), f"can see {report.get('secrets_visible')}")
    failed = [why for ok, why in checks.values() if not ok]
    return "; ".join(failed) if failed else None


def _level(tier: str, report: dict, tried: list[str], wanted: str) -> str:
    limits = "rlimits on memory, CPU time, file size and processes"
    no_cgroup = cgroup.unavailable()
    memory = ("memory and processes bounded per submission across all its processes (a cgroup)"
              if no_cgroup is None else
              f"memory bounded per process only, not per submission (RLIMIT_AS; no cgroup: {no_cgroup})")
    if tier == "bwrap":
        # Full needs the per-submission memory bound too; without it the level says what is missing.
        text = (("full: " if no_cgroup is None else "reduced: ") +
                "bubblewrap (no network, no repository) + a user/PID/mount/IPC namespace per "
                "submission; learner code sees only the Python standard library, NumPy and its own "
                "files, has no network, cannot see or signal other processes, runs without "
                f"capabilities under {limits}; its whole process tree and its temporary files are gone "
                f"after each run; {memory}")
    elif tier == "namespaces":
        if not report.get("nproc_enforced"):
            limits = "rlimits on memory, CPU time and file size (not on processes: the grader runs as root)"
        text = ("reduced: a user/PID/network/mount/IPC namespace per submission (no network, no other "
                f"processes visible, private /tmp, read-only filesystem, {limits}, whole process tree "
                "killed after each run), but learner code can READ any file the grader can read "
                "(solutions, reference, other students' files)")
    else:
        text = (f"reduced: no namespaces; a separate process in its own session with {limits} and a "
                "scrubbed environment; learner code can use the network, see other processes, read and "
                "write files the grader can, and a process that calls setsid can outlive the run")
    if tier != "bwrap":
        text += f"; {memory}"
    if tier != "none" and report and not report.get("userns_blocked", True):
        text += " (learner code can still make user namespaces of its own)"
    why = [t for t in tried if t]
    if why and tier != "bwrap":
        text += " [stronger isolation unavailable: " + "; ".join(why) + "]"
    if wanted in TIERS and wanted != "bwrap":
        text += f" [{FORCE_ENV}={wanted}]"
    return text


def _probe(tier: str, python: str) -> dict:
    """Start a confined zygote running probe.py --probe and read its JSON report."""
    argv = _command(tier, python, PROBE_SCRIPT) + ["--probe", *_REPO_PROBE_PATHS]
    try:
        done = subprocess.run(argv, stdin=subprocess.DEVNULL, capture_output=True, timeout=60,
                              env=dict(os.environ, **THREAD_ENV))
    except (OSError, subprocess.TimeoutExpired) as error:
        return {"error": f"could not run the probe: {error}"}
    lines = done.stdout.decode(errors="replace").strip().splitlines()
    if done.returncode != 0 or not lines:
        tail = done.stderr.decode(errors="replace").strip().splitlines()[-3:]
        return {"error": f"probe exited with {done.returncode}: {' | '.join(tail)[:300]}"}
    try:
        return json.loads(lines[-1])
    except ValueError:
        return {"error": f"probe printed {lines[-1][:200]!r}"}


# -- the commands ----------------------------------------------------------------------------

KEEP_ENV = ("PATH", "LANG", "LC_ALL", "LC_CTYPE", "LD_LIBRARY_PATH", "TZ", "SYSTEMROOT")


def _child_environment() -> dict[str, str]:
    """The zygote's whole environment: what Python and NumPy need, nothing of the grader's."""
    env = {k: os.environ[k] for k in KEEP_ENV if k in os.environ}
    env.setdefault("PATH", "/usr/bin:/bin")
    for key, value in THREAD_ENV.items():
        env[key] = os.environ.get(key, value)
    return env


def _command(tier: str, python: str, script: Path) -> list[str]:
    if tier == "bwrap":
        return _bwrap_argv(python, script) + [python, "-I", str(script)]
    env = dict(_child_environment(), **{MODE_ENV: "namespaces" if tier == "namespaces" else "none"})
    return ["/usr/bin/env", "-i", *[f"{k}={v}" for k, v in env.items()], python, "-I", str(script)]


def _python_layout(python: str) -> dict:
    """Where the interpreter, its standard library, its site folders and NumPy live."""
    code = r"""
import json, os, site, sys, sysconfig
out = {"base_prefix": sys.base_prefix, "prefix": sys.prefix,
       "stdlib": sysconfig.get_paths()["stdlib"], "platstdlib": sysconfig.get_paths()["platstdlib"],
       "sites": list(site.getsitepackages()) + list(site.getsitepackages([sys.base_prefix, sys.base_exec_prefix]))
                + [sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]]
                + [sysconfig.get_paths(vars={"base": sys.base_prefix, "platbase": sys.base_exec_prefix})[k] for k in ("purelib", "platlib")],
       "numpy": None}
try:
    import importlib.util
    spec = importlib.util.find_spec("numpy")
    out["numpy"] = list(spec.submodule_search_locations)[0]
except Exception:
    pass
print(json.dumps(out))
"""
    if os.path.realpath(python) == os.path.realpath(sys.executable) and os.path.abspath(python) == os.path.abspath(sys.executable):
        namespace: dict = {}
        import contextlib
        import io

        buffer = io.StringIO()
        with contextlib.redirect_stdout(buffer):
            exec(compile(code, "<layout>", "exec"), namespace)
        return json.loads(buffer.getvalue())
    done = subprocess.run([python, "-I", "-c", code], capture_output=True, timeout=60, check=True)
    return json.loads(done.stdout)


_layouts: dict[str, dict] = {}


def _layout(python: str) -> dict:
    key = os.path.abspath(python)
    if key not in _layouts:
        _layouts[key] = _python_layout(python)
    return _layouts[key]


def _under(path: str, roots) -> bool:
    return any(path == r or path.startswith(r.rstrip("/") + "/") for r in roots)


def _bwrap_argv(python: str, script: Path) -> list[str]:
    layout = _layout(python)
    # No --die-with-parent: it is tied to the *thread* that started bwrap, so a zygote started
    # from a short-lived thread (a class grader's pool) would die with that thread. The
    # zygote ends on EOF of its stdin when the grader goes, and its children die with it.
    # --unshare-pid: even the zygote sees no host process (no /proc/<pid>/root of the grader).
    argv = ["bwrap", "--unshare-net", "--unshare-ipc", "--unshare-uts", "--unshare-pid",
            "--unshare-cgroup-try", "--hostname", "tutor-sandbox"]
    if os.geteuid() == 0:
        # Real root: keep the two capabilities the zygote needs to map each child's user
        # namespace to an unprivileged uid (isolation.py); the child itself keeps none.
        argv += ["--cap-add", "CAP_SETUID", "--cap-add", "CAP_SETGID"]
    else:
        argv += ["--unshare-user"]
    # /dev, /proc and /tmp first: everything bound below lands on top of them, so a venv or a
    # checkout that lies under /tmp (a CI clone) is not hidden by the sandbox's empty /tmp.
    argv += ["--dev", "/dev", "--proc", "/proc", "--tmpfs", "/tmp"]
    bound: list[str] = []

    def ro_bind(path: str) -> None:
        if os.path.exists(path) and not _under(path, bound):
            argv.extend(["--ro-bind", path, path])
            bound.append(path)

    for path in SYSTEM_DIRS:
        if os.path.islink(path):
            argv.extend(["--symlink", os.readlink(path), path])
        elif os.path.isdir(path):
            ro_bind(path)
    argv.extend(["--ro-bind-try", "/etc/ld.so.cache", "/etc/ld.so.cache"])
    # The interpreter: its installation (stdlib, libpython, the binary)...
    venv = os.path.realpath(layout["prefix"]) if layout["prefix"] != layout["base_prefix"] else None
    for path in (layout["base_prefix"], layout["stdlib"], layout["platstdlib"]):
        path = os.path.realpath(path)
        if venv is None or not _under(path, [venv]):
            ro_bind(path)
    # ...the chain of symlinks from the command's python to the real binary, and the venv's
    # pyvenv.cfg so that the venv's site folder (NumPy) is found as outside.
    link = os.path.abspath(python)
    for _ in range(16):
        if not os.path.islink(link):
            ro_bind(link)
            break
        target = os.readlink(link)
        if not _under(link, bound):
            argv.extend(["--symlink", target, link])
        link = os.path.normpath(os.path.join(os.path.dirname(link), target))
    if os.path.realpath(layout["prefix"]) != os.path.realpath(layout["base_prefix"]):
        argv.extend(["--ro-bind", os.path.join(layout["prefix"], "pyvenv.cfg"), os.path.join(layout["prefix"], "pyvenv.cfg")])
    # Every site folder is emptied (torch, tutor, .pth files, the editable install's path to
    # the repository); NumPy alone is put back.
    sites = set(layout["sites"])
    sites.update(glob.glob("/usr/lib/python3*/dist-packages") + glob.glob("/usr/local/lib/python3*/*-packages"))
    for stdlib in (layout["stdlib"], layout["platstdlib"]):
        sites.update(glob.glob(os.path.join(stdlib, "*-packages")))
    for site in sorted(sites, key=len):
        if os.path.isdir(site):
            argv.extend(["--tmpfs", site])
    numpy_dir = layout.get("numpy")
    if numpy_dir:
        argv.extend(["--ro-bind", numpy_dir, numpy_dir])
        libs = numpy_dir.rstrip("/") + ".libs"
        if os.path.isdir(libs):
            argv.extend(["--ro-bind", libs, libs])
    # The worker's own folder (zygote.py, child.py, protocol.py, isolation.py) and nothing
    # else of tutor or of the repository.
    worker_dir = str(script.parent)
    argv.extend(["--ro-bind", worker_dir, worker_dir])
    # A clean environment: the grader's (CI tokens, paths) never enters the sandbox, not even
    # the zygote's memory that each child is a copy of.
    argv += ["--chdir", "/", "--clearenv",
             "--setenv", MODE_ENV, "namespaces", "--setenv", "TMPDIR", "/tmp", "--setenv", "HOME", "/tmp"]
    if os.geteuid() == 0:
        argv += ["--setenv", UID_ENV, str(SANDBOX_UID)]
    argv += ["--setenv", NETNS_ENV, "zygote"]        # bwrap --unshare-net: see isolation.py
    for key, value in _child_environment().items():
        argv += ["--setenv", key, value]
    argv.append("--")
    return _with_open_parents(argv)


def _with_open_parents(argv: list[str]) -> list[str]:
    """bwrap creates the parents of a mount point with the modes of the host's folders
    (/root is 0700): create them first as 0755 so the unprivileged child can walk them."""
    takes = {"--ro-bind": 2, "--ro-bind-try": 2, "--bind": 2, "--symlink": 2, "--tmpfs": 1, "--dir": 1,
             "--dev": 1, "--proc": 1}
    out, made, binds, i = [argv[0]], set(), [], 1
    while i < len(argv):
        op = argv[i]
        if op == "--":
            out.extend(argv[i:])
            break
        n = takes.get(op)
        if n is None:
            out.append(op)
            i += 1
            continue
        dest = argv[i + n]
        parents, parent = [], os.path.dirname(dest)
        while parent not in ("/", "") and not _under(parent, binds) and parent not in made:
            parents.append(parent)
            parent = os.path.dirname(parent)
        for parent in reversed(parents):
            out += ["--perms", "0755", "--dir", parent]
            made.add(parent)
        out.extend(argv[i:i + n + 1])
        if op in ("--ro-bind", "--ro-bind-try", "--bind", "--tmpfs", "--dev", "--proc"):
            made = {m for m in made if not _under(m, [dest])}   # a new mount hides what was there
            binds = [b for b in binds if not _under(b, [dest])] + ([dest] if op != "--tmpfs" else [])
            made.add(dest)
        i += n + 1
    return out
