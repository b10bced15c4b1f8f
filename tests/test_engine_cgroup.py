"""tutor/engine/cgroup.py: a memory and process limit around each worker, so around each
submission, where the machine gives a cgroup; and an honest level where it does not."""
from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tutor.engine import Grader, cgroup, sandbox
from tutor.manifest import EXERCISES

REPO = Path(__file__).resolve().parent.parent
MODULES = sorted({e.module for e in EXERCISES})
needs_cgroup = pytest.mark.skipif(cgroup.unavailable() is not None or sandbox.plan().tier == "none",
                                  reason=f"no cgroup here: {cgroup.unavailable()}")


def honest() -> dict[str, str]:
    return {m: (REPO / "solutions" / f"{m}.py").read_text() for m in MODULES}


def test_the_level_says_when_memory_is_bounded_per_process_only():
    code = "from tutor.engine import sandbox; print(sandbox.isolation_level())"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                          env=dict(os.environ, TUTOR_SANDBOX_CGROUP="0"))
    level = done.stdout.strip()
    assert level.startswith("reduced:"), level
    assert "memory bounded per process only, not per submission" in level
    assert "TUTOR_SANDBOX_CGROUP=0" in level      # and why


def test_the_level_with_a_cgroup():
    level = sandbox.isolation_level()
    if cgroup.unavailable() is None:
        assert "bounded per submission across all its processes" in level
    else:
        assert "memory bounded per process only" in level and cgroup.unavailable() in level


# Eight processes of 150 MB each, at once: each is far under RLIMIT_AS (512 MB), together they
# are more than twice the submission's memory. Bounded: 1.2 GB if the defence failed.
HOG = """
def affine_forward(x, w, b):
    import os, time, numpy as np
    pids = []
    for _ in range(8):
        pid = os.fork()
        if pid == 0:
            try:
                held = np.ones(150 << 17)
                time.sleep(1)
                os._exit(0)
            except MemoryError:
                os._exit(3)
        pids.append(pid)
    held = sum(os.waitstatus_to_exitcode(os.waitpid(p, 0)[1]) == 0 for p in pids)
    return (x @ w + b if held == 8 else x @ w + b + 1), (x, w)
"""


@needs_cgroup
def test_memory_is_bounded_across_all_of_a_submissions_processes():
    sources = honest()
    sources["layers"] += "\n\n" + textwrap.dedent(HOG)
    with Grader(timeout=20, jobs=1, limits={"memory_bytes": 512 << 20, "processes": 32}) as grader:
        result = {r.exercise: r for r in grader.grade(sources)}["layers.affine_forward"]
        assert result.score == 0, result.message
        # the worker survives its child's OOM and grades the next student fully
        assert all(r.passed for r in grader.grade(honest()))


@needs_cgroup
def test_no_cgroup_is_left_behind():
    layout = cgroup.layout()
    parents = set(layout[1].values())
    before = {p for parent in parents for p in os.listdir(parent) if p.startswith(f"tutor-{os.getpid()}-")}
    with Grader(timeout=5, jobs=2) as grader:
        grader.grade(honest())
    after = {p for parent in parents for p in os.listdir(parent) if p.startswith(f"tutor-{os.getpid()}-")}
    assert after <= before
