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

import json
import os
import shutil
import subprocess
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path

from tutor.engine import bwrap, cgroup
from tutor.engine.worker.constants import MODE_ENV, MODE_NAMESPACES, MODE_NONE

_HERE = Path(__file__).resolve().parent
PROBE_SCRIPT = _HERE / "worker" / "probe.py"
_REPO_PROBE_PATHS = [str(_HERE / "sandbox.py"), str(_HERE.parent / "manifest.py"),
                     str(_HERE.parent.parent / "solutions"), str(_HERE.parent.parent / "reference")]

FORCE_ENV = "TUTOR_SANDBOX"           # bwrap | namespaces | none
TIERS = ("bwrap", "namespaces", "none")
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


def decide(python: str | None = None) -> Plan:
    """Decide now, uncached (as the first plan() does): for a changed TUTOR_SANDBOX."""
    return _decide(python or sys.executable)


def command(tier: str, python: str, script: Path) -> list[str]:
    """The argv that starts `script` confined at `tier` (what worker_command gives for the plan's tier)."""
    return _command(tier, python, Path(script))


def forget() -> None:
    """Drop the cached plans: the next worker decides again (after TUTOR_SANDBOX changed)."""
    with _lock:
        _plans.clear()


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
        # Learner code runs as PID 1 of its own namespace, killed by pid (isolation.py).
        "pid": (report.get("pid") == 1, "no PID namespace"),
        "procs": (report.get("visible_pids", 99) <= 1, "other processes are visible"),
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


LIMITS = "rlimits on memory, CPU time, file size and processes"


def _level(tier: str, report: dict, tried: list[str], wanted: str) -> str:
    no_cgroup = cgroup.unavailable()
    memory = ("memory and processes bounded per submission across all its processes (a cgroup)"
              if no_cgroup is None else
              f"memory bounded per process only, not per submission (RLIMIT_AS; no cgroup: {no_cgroup})")
    text = _TIER_TEXT.get(tier, _none_text)(report, no_cgroup, memory)
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


def _bwrap_text(report: dict, no_cgroup, memory: str) -> str:
    # Full needs the per-submission memory bound too; without it the level says what is missing.
    return (("full: " if no_cgroup is None else "reduced: ") +
            "bubblewrap (no network, no repository) + a user/PID/mount/IPC namespace per "
            "submission; learner code sees only the Python standard library, NumPy and its own "
            "files, has no network, cannot see or signal other processes, runs without "
            f"capabilities under {LIMITS}; its whole process tree and its temporary files are gone "
            f"after each run; {memory}")


def _namespaces_text(report: dict, no_cgroup, memory: str) -> str:
    limits = LIMITS if report.get("nproc_enforced") else \
        "rlimits on memory, CPU time and file size (not on processes: the grader runs as root)"
    return ("reduced: a user/PID/network/mount/IPC namespace per submission (no network, no other "
            f"processes visible, private /tmp, read-only filesystem, {limits}, whole process tree "
            "killed after each run), but learner code can READ any file the grader can read "
            "(solutions, reference, other students' files)")


def _none_text(report: dict, no_cgroup, memory: str) -> str:
    return (f"reduced: no namespaces; a separate process in its own session with {LIMITS} and a "
            "scrubbed environment; learner code can use the network, see other processes, read and "
            "write files the grader can, and a process that calls setsid can outlive the run")


_TIER_TEXT = {"bwrap": _bwrap_text, "namespaces": _namespaces_text}


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
        return bwrap.argv(python, script, _child_environment()) + [python, "-I", str(script)]
    env = dict(_child_environment(), **{MODE_ENV: MODE_NAMESPACES if tier == "namespaces" else MODE_NONE})
    return ["/usr/bin/env", "-i", *[f"{k}={v}" for k, v in env.items()], python, "-I", str(script)]
