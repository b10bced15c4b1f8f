"""How many students `tutor grade` may grade at once on this machine.

    clamp_jobs(requested, cores=None, available=None) -> (jobs, message or None)

Each job is a sandboxed worker (a zygote with NumPy loaded and, while a student runs, a child):
a few processes and, with NumPy and a learner's arrays, a few hundred MB. More jobs than twice the
cores only queue for the CPU, and more than the memory can hold make the machine swap or the
kernel kill workers, so --jobs is clamped to

    min(requested, 2 x cores, available memory / WORKER_BUDGET_BYTES), at least 1

and the message says which bound applied, with the figures.
"""
from __future__ import annotations

import os
from pathlib import Path

WORKER_BUDGET_BYTES = 384 << 20     # one worker with NumPy and a learner's arrays, with headroom
JOBS_PER_CORE = 2


def cores() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))   # the cores this process may use
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def _read(path: str) -> str | None:
    try:
        return Path(path).read_text().strip()
    except (OSError, ValueError):
        return None


def available_memory() -> int | None:
    """Bytes this process could still use: MemAvailable, lowered by a cgroup v2 memory limit
    when there is one (a container); None when neither can be read."""
    found = []
    meminfo = _read("/proc/meminfo") or ""
    for line in meminfo.splitlines():
        if line.startswith("MemAvailable:"):
            found.append(int(line.split()[1]) * 1024)
    limit, current = _read("/sys/fs/cgroup/memory.max"), _read("/sys/fs/cgroup/memory.current")
    if limit and limit.isdigit() and current and current.isdigit():
        found.append(max(0, int(limit) - int(current)))
    if not found:
        try:
            found.append(os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE"))
        except (ValueError, OSError, AttributeError):
            return None
    return min(found)


def clamp_jobs(requested: int, cores_: int | None = None, available: int | None = -1) -> tuple[int, str | None]:
    """(jobs to use, a message when fewer than requested). `cores_`/`available` default to this
    machine's; available=None means unknown memory (then only the cores bound)."""
    n_cores = cores() if cores_ is None else max(1, int(cores_))
    memory = available_memory() if available == -1 else available
    bounds = [(JOBS_PER_CORE * n_cores, f"{JOBS_PER_CORE} per core on {n_cores} core(s)")]
    if memory is not None:
        bounds.append((max(1, memory // WORKER_BUDGET_BYTES),
                       f"{memory / 2**30:.1f} GiB of memory available at {WORKER_BUDGET_BYTES >> 20} MiB per worker"))
    limit, why = min(bounds, key=lambda b: b[0])
    if requested <= limit:
        return requested, None
    return limit, (f"--jobs {requested} is more than this machine can hold: grading {limit} students at once "
                   f"({why}).")
