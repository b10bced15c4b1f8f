"""The two fingerprints: the reference cache's (what decides the expected values) and the
gradebook's (what decides a verdict), computed on a copy of the tutor package that each test
edits, so that the keys are seen to follow exactly the files they name."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tutor.engine import cache
from tutor.engine.fingerprint import (ENGINE, EXERCISE_FILES, JUDGING_FILES, TUTOR, VERDICT_ONLY,
                                      grading_fingerprint, library_versions, reference_fingerprint)

PRINT_KEYS = ("from tutor.engine.fingerprint import grading_fingerprint, reference_fingerprint; "
              "print(reference_fingerprint('course_reference'), grading_fingerprint('course_reference'))")


@pytest.fixture(scope="module")
def pristine(tmp_path_factory) -> Path:
    """A copy of the tutor package next to a small reference package of its own."""
    root = tmp_path_factory.mktemp("pristine")
    shutil.copytree(TUTOR, root / "tutor", ignore=shutil.ignore_patterns("__pycache__"))
    (root / "course_reference").mkdir()
    (root / "course_reference" / "__init__.py").write_text("def relu(x):\n    return x.clamp(min=0)\n")
    return root


@pytest.fixture
def copy(pristine, tmp_path) -> Path:
    root = tmp_path / "copy"
    shutil.copytree(pristine, root)
    return root


def keys(root: Path) -> tuple[str, str]:
    """(reference key, grading key) as a fresh process computes them from the files under ROOT."""
    env = dict(os.environ, PYTHONPATH=str(root))
    out = subprocess.run([sys.executable, "-c", PRINT_KEYS], cwd=root, env=env, capture_output=True,
                         text=True, check=True).stdout.split()
    return out[0], out[1]


def append(path: Path, line: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + line, encoding="utf-8")


@pytest.fixture(scope="module")
def before(pristine) -> tuple[str, str]:
    return keys(pristine)


def test_keys_are_24_hex_digits_the_same_each_time():
    for key in (reference_fingerprint("tutor.reference"), grading_fingerprint("tutor.reference")):
        assert len(key) == 24 and int(key, 16) >= 0
    assert reference_fingerprint("tutor.reference") != grading_fingerprint("tutor.reference")


def test_the_cache_is_keyed_by_the_reference_fingerprint():
    assert cache.fingerprint("tutor.reference") == reference_fingerprint("tutor.reference")


def test_every_named_file_exists():
    assert all((TUTOR / name).is_file() for name in EXERCISE_FILES + JUDGING_FILES)
    assert all((ENGINE / name).is_file() for name in VERDICT_ONLY)


def test_library_versions_name_numpy_torch_and_scikit_learn():
    import numpy as np

    versions = library_versions()
    assert f"numpy {np.__version__}" in versions
    assert "torch " in versions and "scikit-learn " in versions


def test_an_unchanged_copy_has_the_same_keys(pristine, before):
    assert keys(pristine) == before


@pytest.mark.parametrize("changed", ["manifest.py", "digits.py", "engine/reference.py", "engine/worker/protocol.py"])
def test_what_decides_an_expected_value_changes_both_keys(copy, before, changed):
    append(copy / "tutor" / changed, "\n# changed\n")
    reference, grading = keys(copy)
    assert reference != before[0] and grading != before[1]


def test_a_new_engine_file_counts_for_both_keys(copy, before):
    (copy / "tutor" / "engine" / "new_step.py").write_text("STEPS = 1\n")   # a file the engine did not have
    reference, grading = keys(copy)
    assert reference != before[0] and grading != before[1]


def test_the_reference_package_changes_both_keys(copy, before):
    append(copy / "course_reference" / "__init__.py", "\ndef sigmoid(x):\n    return x.sigmoid()\n")
    reference, grading = keys(copy)
    assert reference != before[0] and grading != before[1]


@pytest.mark.parametrize("changed", ["engine/judge.py", "engine/worker/child.py", "mistakes.py"])
def test_what_only_decides_a_verdict_changes_the_grading_key_alone(copy, before, changed):
    append(copy / "tutor" / changed, "\n# changed\n")
    reference, grading = keys(copy)
    assert reference == before[0] and grading != before[1]


def test_code_outside_grading_changes_neither_key(copy, before):
    append(copy / "tutor" / "classroom" / "reports.py", "\n# changed\n")
    assert keys(copy) == before
