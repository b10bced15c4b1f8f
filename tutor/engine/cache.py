"""A learner-side cache of prepared exercises, so that `tutor check` need not import torch.

Preparing an exercise (its cases' inputs, the reference's answers, the upstream gradients)
is a pure function of the manifest, the reference and the library versions, so it is kept
on disk under a fingerprint of exactly those: change any of them and the old entries are
simply never read again. Stored in the protocol's frame format (JSON + raw float64/int64
bytes, no pickle) under $TUTOR_CACHE_DIR or ~/.cache/tutor.

Only `tutor check` and check_workspace use it (Grader(cache=True)): the class grader never
does, so a learner editing their own cache can only fool their own self-check. The class
grader keeps the same entries in its own output folder instead (Grader(reference_cache=OUT/...)),
which only the instructor writes and the sandbox never shows to learner code, so that a
resumed or repeated `tutor grade` need not import torch at all.
"""
from __future__ import annotations

import hashlib
import importlib.metadata
import importlib.util
import os
import tempfile
from functools import lru_cache
from pathlib import Path

import numpy as np

from tutor.engine.worker.protocol import FrameReader, decode_value, encode_value, pack, unpack_arrays

CACHE_VERSION = 2
ENGINE_FILES = ("plan.py", "reference.py", "cache.py", "calling.py",   # calling.py orders the inputs
                "worker/ragged.py", "worker/constants.py")


def cache_dir() -> Path:
    explicit = os.environ.get("TUTOR_CACHE_DIR")
    if explicit:
        return Path(explicit).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "tutor"


@lru_cache(maxsize=None)
def fingerprint(reference_package: str) -> str:
    """A hash of everything a prepared exercise depends on (without importing torch)."""
    digest = hashlib.sha256(f"v{CACHE_VERSION} numpy {np.__version__}".encode())
    try:
        digest.update(f" torch {importlib.metadata.version('torch')}".encode())
    except importlib.metadata.PackageNotFoundError:
        digest.update(b" no torch")
    try:    # scikit-learn ships the digits of the capstone's cases
        digest.update(f" scikit-learn {importlib.metadata.version('scikit-learn')}".encode())
    except importlib.metadata.PackageNotFoundError:
        digest.update(b" no scikit-learn")
    here = Path(__file__).resolve().parent
    # digits.py makes the capstone's training split (case inputs), so it counts like the manifest.
    files = [here.parent / "manifest.py", here.parent / "digits.py"] + [here / name for name in ENGINE_FILES]
    spec = importlib.util.find_spec(reference_package)
    for folder in (spec.submodule_search_locations or []) if spec else []:
        files += sorted(Path(folder).rglob("*.py"))
    for path in files:
        digest.update(str(path.name).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:24]


def entry_path(reference_package: str, exercise_id: str, folder: Path | None = None) -> Path:
    folder = cache_dir() if folder is None else Path(folder)
    return folder / f"prepared-{fingerprint(reference_package)}" / f"{exercise_id}.bin"


def store(reference_package: str, prepared, folder: Path | None = None, name: str | None = None) -> None:
    """Write one prepared exercise (as `name`, default its id); failures are ignored (the cache is
    only a shortcut)."""
    arrays: list[np.ndarray] = []
    cases = []
    for case in prepared.cases:
        cases.append({
            "inputs": encode_value(case.inputs, arrays),
            "dout": encode_value(case.dout, arrays) if case.dout is not None else None,
            "expected": encode_value(list(case.expected), arrays) if case.expected is not None else None,
            "alternatives": encode_value([list(a) for a in case.alternatives], arrays),
            "forward_out": encode_value(case.forward_out, arrays) if case.forward_out is not None else None,
            "seed_matters": bool(case.seed_matters),
        })
    header = {"id": prepared.exercise.id, "style": prepared.style, "grad_args": prepared.grad_args, "cases": cases}
    path = entry_path(reference_package, name or prepared.exercise.id, folder)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        with os.fdopen(handle, "wb") as f:
            f.write(pack(header, arrays))
        os.replace(temporary, path)
    except OSError:
        pass


def load(reference_package: str, exercise, make_prepared, folder: Path | None = None, name: str | None = None):
    """The prepared exercise from disk, or None (missing, stale or unreadable).

    `folder`: where the entries live (default cache_dir(); the class grader passes its own OUT);
    `name`: the entry's name there (default the exercise's id; a variant's: variants.py).
    """
    path = entry_path(reference_package, name or exercise.id, folder)
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return None
    try:
        header, payload = FrameReader(fd).read()
        arrays = [a.copy() for a in unpack_arrays(header, payload)]   # writable, owned
        if header.get("id") != exercise.id or len(header["cases"]) != len(exercise.cases):
            return None
        cases = []
        for case, stored in zip(exercise.cases, header["cases"]):
            expected = decode_value(stored["expected"], arrays) if stored["expected"] is not None else None
            cases.append(dict(
                case=case,
                inputs=decode_value(stored["inputs"], arrays),
                dout=decode_value(stored["dout"], arrays) if stored["dout"] is not None else None,
                expected=expected,
                alternatives=decode_value(stored["alternatives"], arrays),
                forward_out=decode_value(stored["forward_out"], arrays) if stored["forward_out"] is not None else None,
                seed_matters=stored["seed_matters"] is True,
            ))
        return make_prepared(exercise, cases, header["style"], list(header["grad_args"]))
    except Exception:  # noqa: BLE001 - a damaged entry is recomputed, never trusted half-way
        return None
    finally:
        os.close(fd)
