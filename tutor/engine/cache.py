"""A learner-side cache of prepared exercises, so that `tutor check` need not import torch.

Preparing an exercise (its cases' inputs, the reference's answers, the upstream gradients)
is a pure function of the manifest, the reference, the engine's preparing code and the library
versions, so it is kept on disk under a fingerprint of exactly those (tutor.engine.fingerprint):
change any of them and the old entries are simply never read again. Stored in the protocol's
frame format (JSON + raw float64/int64 bytes, no pickle) under $TUTOR_CACHE_DIR or ~/.cache/tutor.

Only `tutor check` and check_workspace use it (Grader(cache=True)): the class grader never
does, so a learner editing their own cache can only fool their own self-check. The class
grader keeps the same entries in its own output folder instead (Grader(reference_cache=OUT/...)),
which only the instructor writes and the sandbox never shows to learner code, so that a
resumed or repeated `tutor grade` need not import torch at all.
"""
from __future__ import annotations

import os
from pathlib import Path

import numpy as np

from tutor.engine.fingerprint import reference_fingerprint
from tutor.engine.worker.protocol import FrameReader, decode_value, encode_value, pack, unpack_arrays
from tutor.files import atomic_write


def cache_dir() -> Path:
    explicit = os.environ.get("TUTOR_CACHE_DIR")
    if explicit:
        return Path(explicit).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "tutor"


def fingerprint(reference_package: str) -> str:
    """The key of every entry: tutor.engine.fingerprint.reference_fingerprint (what decides the
    expected values; a change to how submissions are run or judged keeps the entries)."""
    return reference_fingerprint(reference_package)


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
        atomic_write(path, pack(header, arrays))
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
