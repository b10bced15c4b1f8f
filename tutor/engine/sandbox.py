"""How the worker process that runs learner code is started and confined (parent side).

Interface used by the engine's worker pool:

    worker_command(python: str, worker_script: Path) -> list[str]
        argv that starts the worker (the zygote) confined: wrapped in namespaces where the
        machine allows it, plain `python -I` otherwise.
    isolation_level() -> str
        what that confinement guarantees on this machine, in words, for reports and the
        gradebook ("full: ..." or "reduced: ..."); never silently weaker.

The child-side half is tutor/engine/worker/isolation.py.
"""
from __future__ import annotations

from pathlib import Path


def worker_command(python: str, worker_script: Path) -> list[str]:
    # First version: a clean interpreter only. Hardened by the sandbox work.
    return [python, "-I", str(worker_script)]


def isolation_level() -> str:
    return "reduced: separate process only (no namespaces yet)"
