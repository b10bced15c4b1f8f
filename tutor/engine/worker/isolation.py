"""Child-side confinement, called in the worker right after it forks for one submission.

Standard library only: this file runs inside the sandbox, next to learner code, and must
not import tutor, torch or anything that could hold expected values.

    harden_child(workdir: str, limits: dict) -> None
        Called in the freshly forked child before any learner code is imported. May fork
        again internally (for example to become PID 1 of a new PID namespace) and return
        only in the process that should go on to run the learner's code; every other
        process it makes exits without returning. limits: {"memory_bytes", "cpu_seconds",
        "file_bytes", "processes", "output_bytes"}.
"""
from __future__ import annotations

import os


def harden_child(workdir: str, limits: dict) -> None:
    # First version: own session and working directory only. Hardened by the sandbox work.
    os.setsid()
    os.chdir(workdir)
