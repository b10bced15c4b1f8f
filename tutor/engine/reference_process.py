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
    python -m tutor.engine.reference_process FOLDER PACKAGE EXERCISE_ID...   the child; the
        registered variants to compute (variants.py) as a JSON list of recipes on its stdin
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tutor.engine import cache, plan, variants

TIMEOUT_SECONDS = 600
# It runs beside the sandboxed workers, on small cases: one thread. torch's OpenMP and NumPy's
# OpenBLAS would otherwise start a thread per core that spin-waits between calls, taking CPU
# from the students' code (about 0.4 s of CPU for a class's first run on 2 cores).
ONE_THREAD = {"OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}


def missing(folder: Path, package: str, exercises) -> list:
    """The manifest entries (and registered variants of them: variants.py) neither prepared in this
    process nor kept in the folder."""
    return [e for e in exercises
            if (name := plan.cache_name(e, keep_variants=True)) and plan.already_prepared(e, package) is None
            and not cache.entry_path(package, name, folder).is_file()]


def prepare_into(folder: Path, package: str, exercises) -> None:
    todo = missing(folder, package, exercises)
    if not todo:
        return
    ids = [e.id for e in todo if plan.is_manifest_entry(e)]
    # A variant's recipe goes through the pipe, never the command line: its argument may be a secret.
    recipes = [{"entry": r.entry_id, "builder": r.builder, "argument": r.argument.hex()}
               for r in (variants.recipe(e) for e in todo if not plan.is_manifest_entry(e)) if r is not None]
    root = str(Path(__file__).resolve().parents[2])     # where `tutor` (and a checkout's reference/) lie
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in (root, os.environ.get("PYTHONPATH")) if p),
               **ONE_THREAD)
    try:
        subprocess.run([sys.executable, "-m", "tutor.engine.reference_process", str(folder), package, *ids],
                       env=env, input=json.dumps(recipes).encode(), stdout=subprocess.DEVNULL,
                       stderr=subprocess.PIPE, timeout=TIMEOUT_SECONDS, check=False)
    except (OSError, subprocess.SubprocessError):
        pass    # the grader computes what is missing itself


def main(argv: list[str], recipes: list[dict]) -> int:
    from tutor import manifest

    folder, package, ids = Path(argv[0]), argv[1], argv[2:]
    exercises = [manifest.by_id(exercise_id) for exercise_id in ids]
    exercises += [variants.build(variants.Recipe(r["entry"], r["builder"], bytes.fromhex(r["argument"])))
                  for r in recipes]
    for exercise in exercises:   # computed and written to the folder as the grader itself would (plan.py)
        plan.prepared_once(exercise, package, folder, keep_variants=True)
    return 0


if __name__ == "__main__":
    sys.stdout.flush()
    # Written and done: skip the interpreter's teardown of torch (about a second).
    os._exit(main(sys.argv[1:], json.loads(sys.stdin.read() or "[]")))
