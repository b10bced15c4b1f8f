"""cache.py: prepared exercises survive a trip to disk, and a stale or damaged entry is never used."""
from __future__ import annotations

import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from tutor import manifest
from tutor.engine import cache
from tutor.engine import Grader
from tutor.engine.plan import PreparedExercise, from_cache, is_manifest_entry

ROOT = Path(__file__).resolve().parents[1]
IDS = ["layers.affine_backward", "vanishing.layer_gradient_norms", "layers.dropout_backward",
       "activations.relu_backward", "param_count.conv2d_params"]


@pytest.fixture(autouse=True)
def private_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("TUTOR_CACHE_DIR", str(tmp_path / "cache"))


def same(a, b) -> bool:
    if isinstance(a, np.ndarray):
        return isinstance(b, np.ndarray) and a.dtype == b.dtype and np.array_equal(a, b, equal_nan=True)
    if isinstance(a, (list, tuple)):
        return type(a) is type(b) and len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    return a == b


def test_prepared_exercises_roundtrip():
    grader = Grader([manifest.by_id(i) for i in IDS])
    for prepared in grader.prepare():
        cache.store("tutor.reference", prepared)
        back = cache.load("tutor.reference", prepared.exercise, from_cache)
        assert isinstance(back, PreparedExercise)
        assert (back.style, back.grad_args) == (prepared.style, prepared.grad_args)
        for a, b in zip(prepared.cases, back.cases):
            assert a.case is b.case
            assert same(a.inputs, b.inputs) and same(a.dout, b.dout)
            assert same(a.expected, b.expected) and same(a.alternatives, b.alternatives)


def test_damaged_or_mismatched_entries_are_ignored():
    exercise = manifest.by_id("optim.sgd_step")
    (prepared,) = Grader([exercise]).prepare()
    cache.store("tutor.reference", prepared)
    path = cache.entry_path("tutor.reference", exercise.id)
    path.write_bytes(path.read_bytes()[:-5])
    assert cache.load("tutor.reference", exercise, from_cache) is None
    cache.store("tutor.reference", prepared)
    fewer = replace(exercise, cases=exercise.cases[:1])
    assert cache.load("tutor.reference", fewer, from_cache) is None


def test_only_manifest_entries_are_cached():
    exercise = manifest.by_id("optim.sgd_step")
    assert is_manifest_entry(exercise)
    assert not is_manifest_entry(replace(exercise, points=5))


def test_the_fingerprint_covers_the_reference():
    assert cache.fingerprint("tutor.reference") == cache.fingerprint("tutor.reference")
    assert len(cache.fingerprint("tutor.reference")) == 24


def test_a_cached_check_never_imports_torch(tmp_path):
    workspace = tmp_path / "ws"
    workspace.mkdir()
    (workspace / "optim.py").write_text((ROOT / "solutions" / "optim.py").read_text())
    code = ("import sys; from tutor.engine import check_workspace; "
            f"r = check_workspace({str(workspace)!r}, 'optim'); "
            "print(all(x.passed for x in r), 'torch' in sys.modules)")
    first = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    second = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert first.stdout.split() == ["True", "True"]
    assert second.stdout.split() == ["True", "False"]
