"""A memory and process limit for each worker, so for each submission (parent side).

A worker (a zygote) runs one submission's child at a time, so a control group around the
worker bounds what one submission can hold across all its processes and every kind of
memory the kernel charges to a cgroup (anonymous memory, tmpfs and memfd pages, SysV
shared memory, pipe buffers), which RLIMIT_AS, per process and for mappings only, does not.

    Cgroup.create() -> Cgroup | None     None where the machine gives none (see unavailable())
    cgroup.adopt(pid)                   move a process and every descendant into it
    cgroup.limit(memory_bytes, processes)   before each job: the zygote's own use + memory_bytes
    cgroup.remove()
    unavailable() -> str | None         why there is none, in words, or None

Two layouts: cgroup v2 where this process's own cgroup delegates the memory and pids
controllers to its children (cgroup.subtree_control lists both: systemd's Delegate=yes, a
container runtime that delegates), or cgroup v1's memory and pids hierarchies where they
are writable (a grader running as root in a v1 or hybrid container). Elsewhere (an
unprivileged grader on a host that delegates nothing) there is no cgroup, and the
isolation level says memory is bounded per process only.

The child makes itself the first choice of the OOM killer (isolation.py writes 1000 to its
oom_score_adj), so a submission that reaches its limit is killed, not its zygote.
"""
from __future__ import annotations

import itertools
import os
import threading
import time
from pathlib import Path

ROOT = Path("/sys/fs/cgroup")
OFF_ENV = "TUTOR_SANDBOX_CGROUP"       # "0": use none (debugging, measuring what it costs)
# bubblewrap's two processes and the zygote, and A and C of each child (isolation.py).
OVERHEAD_PROCESSES = 8
_names = itertools.count()
_sweeps = itertools.count()
_lock = threading.Lock()
_layout_cache: list = []


def _own_paths() -> dict[str, str]:
    """{controller or "" (v2): this process's cgroup path} from /proc/self/cgroup."""
    paths = {}
    try:
        for line in Path("/proc/self/cgroup").read_text().splitlines():
            _, controllers, path = line.split(":", 2)
            for controller in controllers.split(",") if controllers else [""]:
                paths[controller] = path
    except (OSError, ValueError):
        pass
    return paths


def _writable_dir(path: Path) -> bool:
    return path.is_dir() and os.access(path, os.W_OK)


def _layout() -> tuple[str, dict[str, Path]] | str:
    """("v2" | "v1", {"memory": dir, "pids": dir}) where this process may make cgroups, or why not."""
    if os.environ.get(OFF_ENV, "").strip() == "0":
        return f"turned off by {OFF_ENV}=0"
    paths = _own_paths()
    if "" in paths and (ROOT / "cgroup.controllers").exists():
        own = ROOT / paths[""].lstrip("/")
        try:
            delegated = (own / "cgroup.subtree_control").read_text().split()
        except OSError:
            delegated = []
        if {"memory", "pids"} <= set(delegated) and _writable_dir(own):
            return "v2", {"memory": own, "pids": own}
        return ("cgroup v2 does not delegate the memory and pids controllers to this process's cgroup "
                f"({own}: {' '.join(delegated) or 'none'})")
    dirs = {}
    for controller in ("memory", "pids"):
        base = ROOT / controller
        if controller not in paths or not base.is_dir():
            return f"no cgroup {controller} controller is mounted"
        own = base / paths[controller].lstrip("/")
        if not _writable_dir(own):
            return f"the {controller} cgroup {own} is not writable by this user"
        dirs[controller] = own
    return "v1", dirs


def _can_make_one(found) -> str | None:
    """Make and remove one cgroup now, so that the level never promises one the kernel refuses."""
    if isinstance(found, str):
        return found
    for parent in set(found[1].values()):
        probe = parent / f"tutor-probe-{os.getpid()}"
        try:
            probe.mkdir()
            probe.rmdir()
        except OSError as error:
            return f"cannot make a cgroup under {parent} ({error.strerror})"
    return None


def layout():
    with _lock:
        if not _layout_cache:
            found = _layout()
            problem = _can_make_one(found)
            _layout_cache.append(found if problem is None else problem)
        return _layout_cache[0]


def unavailable() -> str | None:
    found = layout()
    return found if isinstance(found, str) else None


class Cgroup:
    def __init__(self, version: str, dirs: dict[str, Path]):
        self.version = version
        self.dirs = dirs
        self.limits: tuple[int, int] | None = None

    @classmethod
    def create(cls) -> "Cgroup | None":
        found = layout()
        if isinstance(found, str):
            return None
        version, parents = found
        if next(_sweeps) == 0:
            _remove_stale(parents.values())
        name = f"tutor-{os.getpid()}-{next(_names)}"
        dirs = {controller: parent / name for controller, parent in parents.items()}
        try:
            for path in set(dirs.values()):
                path.mkdir()
        except OSError:
            return None
        return cls(version, dirs)

    def _write(self, controller: str, name: str, value) -> None:
        (self.dirs[controller] / name).write_text(f"{value}\n")

    def adopt(self, pid: int) -> None:
        """Move pid and all its descendants (bwrap, its init, the zygote) into this cgroup.

        A parent is moved before its children are looked for: a child forked after that is
        born inside, one forked before is found by the next look."""
        moved: set[int] = set()
        pending = [pid]
        while pending:
            for member in pending:
                moved.add(member)
                for controller in sorted(self.dirs):
                    try:
                        self._write(controller, "cgroup.procs", member)
                    except OSError:
                        pass   # it exited meanwhile
            pending = [child for child in _descendants(pid) if child not in moved]

    def usage(self) -> int:
        name = "memory.current" if self.version == "v2" else "memory.usage_in_bytes"
        try:
            return int((self.dirs["memory"] / name).read_text())
        except (OSError, ValueError):
            return 0

    def limit(self, memory_bytes: int, processes: int) -> None:
        """What the next job may add to what the idle worker holds now (set once per worker
        and per change of limits: the kernel's files are not written for every job)."""
        if self.limits == (memory_bytes, processes):
            return
        self.limits = (memory_bytes, processes)
        memory = self.usage() + int(memory_bytes)
        if self.version == "v2":
            self._write("memory", "memory.max", memory)
            self._write("memory", "memory.swap.max", 0) if (self.dirs["memory"] / "memory.swap.max").exists() else None
        else:
            self._write("memory", "memory.limit_in_bytes", memory)
        self._write("pids", "pids.max", int(processes) + OVERHEAD_PROCESSES)

    def remove(self) -> None:
        for path in set(self.dirs.values()):
            for _ in range(20):     # the processes it held may take a moment to be gone
                try:
                    path.rmdir()
                    break
                except FileNotFoundError:
                    break
                except OSError:
                    time.sleep(0.05)


def _remove_stale(parents) -> None:
    """The cgroups of graders that were killed before they could remove theirs (empty by now:
    their workers ended with them)."""
    for parent in set(parents):
        try:
            names = [n for n in os.listdir(parent) if n.startswith("tutor-")]
        except OSError:
            continue
        for name in names:
            owner = name.split("-")[1]
            if owner.isdigit() and not os.path.exists(f"/proc/{owner}"):
                try:
                    (parent / name).rmdir()
                except OSError:
                    pass


def _descendants(pid: int) -> list[int]:
    found, queue = [], [pid]
    while queue:
        parent = queue.pop()
        try:
            tasks = os.listdir(f"/proc/{parent}/task")
        except OSError:
            continue
        for task in tasks:
            try:
                children = Path(f"/proc/{parent}/task/{task}/children").read_text().split()
            except OSError:
                continue
            for child in map(int, children):
                found.append(child)
                queue.append(child)
    return found
