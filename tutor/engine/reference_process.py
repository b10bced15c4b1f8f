"""The reference answers of a class, computed in a process of their own.

A class grader keeps the prepared exercises in its own folder (OUT/reference-cache, cache.py).
When some are missing, they are computed here, in a child Python process that imports torch,
prepares them (plan.py), writes them to the folder and ends; the grading process then reads
them back like a resumed run does. So torch never enters the grading process: its import
would hold the interpreter lock for a second or two while the students' code is already
running (every worker waits on the lock to hand its results over), and its teardown at exit
costs about as much again.

    prepare_into(folder, package, exercises)   missing entries computed in a child process;
        on any failure nothing is lost: the grader prepares what is still missing itself
    python -m tutor.engine.reference_process FOLDER PACKAGE EXERCISE_ID...   the child
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tutor.engine import cache, plan

TIMEOUT_SECONDS = 600


def missing(folder: Path, package: str, exercises) -> list[str]:
    """The manifest entries neither prepared in this process nor kept in the folder."""
    return [e.id for e in exercises
            if plan.is_manifest_entry(e) and plan.already_prepared(e, package) is None
            and not cache.entry_path(package, e.id, folder).is_file()]


def prepare_into(folder: Path, package: str, exercises) -> None:
    ids = missing(folder, package, exercises)
    if not ids:
        return
    root = str(Path(__file__).resolve().parents[2])     # where `tutor` (and a checkout's reference/) lie
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in (root, os.environ.get("PYTHONPATH")) if p))
    try:
        subprocess.run([sys.executable, "-m", "tutor.engine.reference_process", str(folder), package, *ids],
                       env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                       timeout=TIMEOUT_SECONDS, check=False)
    except (OSError, subprocess.SubprocessError):
        pass    # the grader computes what is missing itself


def main(argv: list[str]) -> int:
    from tutor import manifest

    folder, package, ids = Path(argv[0]), argv[1], argv[2:]
    for exercise_id in ids:
        exercise = manifest.by_id(exercise_id)
        prepared = plan.prepare_exercise(exercise, package)
        if prepared.problem is None:
            cache.store(package, prepared, folder)
    return 0


if __name__ == "__main__":
    sys.stdout.flush()
    # Written and done: skip the interpreter's teardown of torch (about a second).
    os._exit(main(sys.argv[1:]))
