"""bubblewrap's command line for the zygote (the "bwrap" tier of sandbox.py).

    argv(python, script, environment) -> list[str]   bwrap ... -- (the caller appends the command)

What the zygote sees: the system libraries, the Python installation, NumPy and the worker
folder, read-only; every site folder emptied (no torch, no tutor, no repository); a fresh
/tmp, /dev and /proc; new user, PID, network, IPC, UTS and cgroup namespaces; a clean
environment. See docs/SANDBOX.md.
"""
from __future__ import annotations

import glob
import json
import os
import subprocess
import sys
from pathlib import Path

from tutor.engine.worker.constants import JOBS_ENV, MODE_ENV, MODE_NAMESPACES, NETNS_ENV, UID_ENV

SANDBOX_UID = 999_993                 # learner code's uid outside its namespace when we are root
SYSTEM_DIRS = ("/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32")
JOBS_FOLDER = "/tmp/tutor-jobs"       # in the zygote's own /tmp: each job's folder goes there


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


def argv(python: str, script: Path, environment: dict[str, str]) -> list[str]:
    """bubblewrap's command line: namespaces, then what the zygote may see, then its environment."""
    layout = _layout(python)
    out = _bwrap_namespaces()
    # /dev, /proc and /tmp first: everything bound below lands on top of them, so a venv or a
    # checkout that lies under /tmp (a CI clone) is not hidden by the sandbox's empty /tmp.
    out += ["--dev", "/dev", "--proc", "/proc", "--tmpfs", "/tmp"]
    bound: list[str] = []
    _bind_system(out, bound)
    _bind_interpreter(out, bound, python, layout)
    _bind_numpy_only(out, layout)
    # The worker's own folder (zygote.py, child.py, protocol.py, isolation.py) and nothing
    # else of tutor or of the repository.
    worker_dir = str(script.parent)
    out.extend(["--ro-bind", worker_dir, worker_dir])
    out += _bwrap_environment(environment)
    out.append("--")
    return _with_open_parents(out)


def _bwrap_namespaces() -> list[str]:
    # No --die-with-parent: it is tied to the *thread* that started bwrap, so a zygote started
    # from a short-lived thread (a class grader's pool) would die with that thread. The
    # zygote ends on EOF of its stdin when the grader goes, and its children die with it.
    # --unshare-pid: even the zygote sees no host process (no /proc/<pid>/root of the grader).
    argv = ["bwrap", "--unshare-net", "--unshare-ipc", "--unshare-uts", "--unshare-pid",
            "--unshare-cgroup-try", "--hostname", "tutor-sandbox"]
    if os.geteuid() == 0:
        # Real root: keep the two capabilities the zygote needs to map each child's user
        # namespace to an unprivileged uid (isolation.py); the child itself keeps none.
        return argv + ["--cap-add", "CAP_SETUID", "--cap-add", "CAP_SETGID"]
    return argv + ["--unshare-user"]


def _ro_bind(argv: list[str], bound: list[str], path: str) -> None:
    if os.path.exists(path) and not _under(path, bound):
        argv.extend(["--ro-bind", path, path])
        bound.append(path)


def _bind_system(argv: list[str], bound: list[str]) -> None:
    for path in SYSTEM_DIRS:
        if os.path.islink(path):
            argv.extend(["--symlink", os.readlink(path), path])
        elif os.path.isdir(path):
            _ro_bind(argv, bound, path)
    argv.extend(["--ro-bind-try", "/etc/ld.so.cache", "/etc/ld.so.cache"])


def _bind_interpreter(argv: list[str], bound: list[str], python: str, layout: dict) -> None:
    """The interpreter: its installation (stdlib, libpython, the binary), the chain of symlinks
    from the command's python to the real binary, and the venv's pyvenv.cfg so that the venv's
    site folder (NumPy) is found as outside."""
    venv = os.path.realpath(layout["prefix"]) if layout["prefix"] != layout["base_prefix"] else None
    for path in (layout["base_prefix"], layout["stdlib"], layout["platstdlib"]):
        path = os.path.realpath(path)
        if venv is None or not _under(path, [venv]):
            _ro_bind(argv, bound, path)
    link = os.path.abspath(python)
    for _ in range(16):
        if not os.path.islink(link):
            _ro_bind(argv, bound, link)
            break
        target = os.readlink(link)
        if not _under(link, bound):
            argv.extend(["--symlink", target, link])
        link = os.path.normpath(os.path.join(os.path.dirname(link), target))
    if os.path.realpath(layout["prefix"]) != os.path.realpath(layout["base_prefix"]):
        cfg = os.path.join(layout["prefix"], "pyvenv.cfg")
        argv.extend(["--ro-bind", cfg, cfg])


def _bind_numpy_only(argv: list[str], layout: dict) -> None:
    """Every site folder is emptied (torch, tutor, .pth files, the editable install's path to
    the repository); NumPy alone is put back."""
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


def _bwrap_environment(environment: dict[str, str]) -> list[str]:
    """A clean environment: the grader's (CI tokens, paths) never enters the sandbox, not even
    the zygote's memory that each child is a copy of."""
    argv = ["--chdir", "/", "--clearenv",
            "--setenv", MODE_ENV, MODE_NAMESPACES, "--setenv", "TMPDIR", "/tmp", "--setenv", "HOME", "/tmp"]
    if os.geteuid() == 0:
        argv += ["--setenv", UID_ENV, str(SANDBOX_UID)]
    argv += ["--setenv", NETNS_ENV, "zygote"]        # bwrap --unshare-net: see isolation.py
    argv += ["--setenv", JOBS_ENV, JOBS_FOLDER]       # its own /tmp: see worker/filesystem.py
    for key, value in environment.items():
        argv += ["--setenv", key, value]
    return argv


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
