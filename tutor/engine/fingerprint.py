"""Fingerprints of what decides a grade: stored work is reused only while its inputs are unchanged.

Two stores ask two questions, so there are two keys, the second built on the first:

    reference_fingerprint(package)   the reference cache (tutor.engine.cache): prepared cases, that
        is every case's inputs, the reference's expected values and the upstream gradients.
        Decided by the exercises (EXERCISE_FILES: the manifest, and digits.py, which makes the
        capstone's data), the reference package, the engine's own files except VERDICT_ONLY
        (the code that makes, orders, computes and stores a case), and LIBRARIES' versions.
    grading_fingerprint(package)     the class gradebook (tutor.classroom.gradebook): a verdict on
        a submission. Decided by all of the above, by every engine file (how learner code is run,
        compared and judged: sandbox, pool, worker, judge, verdicts, compare) and by the known
        mistakes outside the engine that name a wrong value (JUDGING_FILES).

VERDICT_ONLY lists the engine files that never touch an expected value, so that a change to how
a submission is run or judged keeps every learner's cache (recomputing it imports PyTorch).
It lists what to leave out, not what to take in, so that its mistakes are harmless: a new engine
file (say, where preparation moves) counts for the cache until it is listed here, and at worst
the cache is recomputed once too often. The gradebook takes every engine file: a regrade costs
minutes, a stale grade is wrong.

Both are computed without importing torch or the files they hash, once per process.
"""
from __future__ import annotations

import hashlib
import importlib.metadata
import importlib.util
from functools import lru_cache
from pathlib import Path

TUTOR = Path(__file__).resolve().parent.parent
ENGINE = TUTOR / "engine"
EXERCISE_FILES = ("manifest.py", "digits.py")            # in tutor/: what the cases are
JUDGING_FILES = ("mistakes.py", "mistake_variants.py")   # in tutor/: the known mistakes a verdict names
LIBRARIES = ("numpy", "torch", "scikit-learn")           # scikit-learn ships the capstone's digits
VERDICT_ONLY = (                                         # in tutor/engine/
    "compare.py", "judge.py", "verdicts.py", "results.py", "reproduce.py",      # judging, reporting
    "explain.py", "grader.py", "shared.py", "threads.py", "properties.py",
    "run.py", "pool.py", "sandbox.py", "bwrap.py", "cgroup.py",                 # running the worker
    "worker/child.py", "worker/answers.py", "worker/capture.py", "worker/filesystem.py",
    "worker/isolation.py", "worker/probe.py", "worker/progress_channel.py", "worker/seccomp.py",
    "worker/syscalls.py", "worker/zygote.py",
)


@lru_cache(maxsize=None)
def reference_fingerprint(reference_package: str) -> str:
    """24 hex digits naming everything the expected values of every case depend on."""
    engine = [path for path in engine_files() if path.relative_to(ENGINE).as_posix() not in VERDICT_ONLY]
    files = tutor_files(EXERCISE_FILES) + tutor_files(engine) + package_files(reference_package)
    return _digest(library_versions(), files)


@lru_cache(maxsize=None)
def grading_fingerprint(reference_package: str) -> str:
    """24 hex digits naming everything a verdict on a submission depends on."""
    files = tutor_files(engine_files()) + tutor_files(JUDGING_FILES)
    return _digest(reference_fingerprint(reference_package), files)


def library_versions() -> str:
    """'numpy 2.1.3, torch 2.13.0, scikit-learn none' for the installed LIBRARIES."""
    versions = []
    for name in LIBRARIES:
        try:
            versions.append(f"{name} {importlib.metadata.version(name)}")
        except importlib.metadata.PackageNotFoundError:
            versions.append(f"{name} none")
    return ", ".join(versions)


def engine_files() -> list[Path]:
    return sorted(path for path in ENGINE.rglob("*.py") if "__pycache__" not in path.parts)


def tutor_files(paths) -> list[tuple[str, Path]]:
    """(name, path) for files of the tutor package, named from it (the same wherever it is installed)."""
    return [(Path(path).relative_to(TUTOR).as_posix(), Path(path)) for path in (TUTOR / p for p in paths)]


def package_files(package: str) -> list[tuple[str, Path]]:
    """(name, path) for the .py files of an importable package, or its one file, found without importing it."""
    spec = importlib.util.find_spec(package)
    if spec is None:
        return []
    folders = [Path(folder) for folder in spec.submodule_search_locations or ()]
    if not folders:
        return [(package, Path(spec.origin))] if spec.origin else []
    return sorted((f"{package}:{path.relative_to(folder).as_posix()}", path)
                  for folder in folders for path in folder.rglob("*.py") if "__pycache__" not in path.parts)


def _digest(start: str, files: list[tuple[str, Path]]) -> str:
    """A hash of START and of each file's name and bytes."""
    digest = hashlib.sha256(start.encode())
    for name, path in files:
        digest.update(f"\0{name}\0".encode())
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()[:24]
