"""Variants of manifest entries (tutor/engine/variants.py), such as a course's hidden tests: a class
grader has them computed in the reference process and keeps them in its own folder, under a name that
does not hold the secret they are made with, so that the grading process never imports torch for
them; the learner-side cache never keeps one, and an exercise that is not the manifest's own is not
registered."""
from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import numpy as np

from tutor import manifest
from tutor.engine import Grader, cache, plan, variants

ROOT = Path(__file__).resolve().parents[1]
HIDDEN = "tutor.notebook.check:hidden_variant"
SECRET = b"a course secret, 0123456789abcdef"
IDS = ("layers.affine_forward", "activations.relu_backward")
PACKAGE = "tutor.reference"

GRADE_IN_A_FRESH_PROCESS = """
import json, sys
from tutor import manifest
from tutor.engine import Grader, variants
entries = [manifest.by_id(i) for i in {ids!r}]
hidden = [variants.make(e, {builder!r}, {secret!r}) for e in entries]
with Grader(entries + hidden, reference_cache={folder!r}) as grader:
    problems = [p.problem for p in grader.prepare()]
print(json.dumps({{"torch": "torch" in sys.modules, "problems": problems}}))
"""


def _grade_in_a_fresh_process(folder: Path) -> dict:
    script = GRADE_IN_A_FRESH_PROCESS.format(ids=IDS, builder=HIDDEN, secret=SECRET, folder=str(folder))
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def _same(a, b) -> bool:
    if isinstance(a, np.ndarray):
        return isinstance(b, np.ndarray) and np.array_equal(a, b, equal_nan=True)
    if isinstance(a, (list, tuple)):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    return a == b


def test_a_class_grader_keeps_the_hidden_tests_it_never_computed_itself(tmp_path):
    answer = _grade_in_a_fresh_process(tmp_path)
    assert answer == {"torch": False, "problems": [None] * 4}   # all computed in the reference process
    kept = sorted(p.name for p in tmp_path.glob("prepared-*/*.bin"))
    assert len(kept) == 4 and sum(".variant-" in name for name in kept) == 2
    assert not any(SECRET.hex() in name or "secret" in name for name in kept)
    for exercise_id in IDS:   # what the folder keeps is what preparing here gives
        hidden = variants.make(manifest.by_id(exercise_id), HIDDEN, SECRET)
        kept_one = cache.load(PACKAGE, hidden, plan.from_cache, tmp_path, variants.recipe(hidden).name)
        here = plan.prepare_exercise(hidden, PACKAGE)
        assert kept_one is not None and len(kept_one.cases) == len(here.cases)
        for a, b in zip(kept_one.cases, here.cases):
            assert _same(a.inputs, b.inputs) and _same(a.expected, b.expected) and _same(a.dout, b.dout)
        visible = plan.prepare_exercise(manifest.by_id(exercise_id), PACKAGE)
        assert not _same(visible.cases[0].inputs, here.cases[0].inputs)   # other inputs: the hidden tests


def test_each_secret_and_only_a_manifest_entry_is_kept_under_a_name_of_its_own():
    entry = manifest.by_id(IDS[0])
    names = {variants.recipe(variants.make(entry, HIDDEN, secret)).name for secret in (SECRET, SECRET, b"another")}
    assert len(names) == 2
    assert variants.recipe(variants.make(replace(entry, points=entry.points + 1), HIDDEN, SECRET)) is None
    assert plan.cache_name(variants.make(entry, HIDDEN, SECRET)) is None   # only a class grader's folder


def test_the_learner_side_cache_never_keeps_a_variant(tmp_path, monkeypatch):
    monkeypatch.setenv("TUTOR_CACHE_DIR", str(tmp_path))
    entry = manifest.by_id(IDS[0])
    with Grader([entry, variants.make(entry, HIDDEN, SECRET)], cache=True) as grader:
        assert all(p.problem is None for p in grader.prepare())
    kept = [p.name for p in tmp_path.rglob("*.bin")]
    assert kept == [f"{IDS[0]}.bin"]
