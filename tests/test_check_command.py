"""`tutor check`, `tutor hint` and `tutor lessons` through the real CLI entry point."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tutor import manifest
from tutor.cli import main

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def private_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("TUTOR_CACHE_DIR", str(tmp_path / "cache"))


@pytest.fixture
def solved(tmp_path):
    workspace = tmp_path / "ws"
    shutil.copytree(ROOT / "solutions", workspace, ignore=shutil.ignore_patterns("__init__.py", "__pycache__"))
    return workspace


def test_check_json_on_a_module(solved, capsys):
    assert main(["check", "optim", "--workspace", str(solved), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [d["exercise"] for d in data] == ["optim.sgd_step", "optim.momentum_step", "optim.minibatches",
                                             "optim.lr_step_decay", "optim.lr_exponential_decay"]
    assert all(d["passed"] and d["score"] == d["max_score"] for d in data)
    assert set(data[0]) >= {"exercise", "score", "max_score", "passed", "message"}


def test_check_creates_a_missing_workspace_and_reports_stubs(tmp_path, capsys):
    workspace = tmp_path / "new"
    assert main(["check", "layers", "--workspace", str(workspace)]) == 0
    out = capsys.readouterr().out
    assert "Created your workspace" in out and (workspace / "layers.py").exists()
    count = len(manifest.select("layers"))
    assert f"0 of {count} exercises solved" in out and "not started yet" in out
    progress = json.loads((workspace / ".tutor" / "progress.json").read_text())
    assert progress["exercises"]["layers.affine_forward"]["status"] == "not_implemented"


def test_check_one_exercise_shows_details(solved, capsys):
    layers = solved / "layers.py"
    layers.write_text(layers.read_text() + "\n\ndef affine_forward(x, w, b):\n    return helper_missing(x), None\n")
    assert main(["check", "layers.affine_forward", "--workspace", str(solved)]) == 0
    out = capsys.readouterr().out
    assert "NameError" in out and 'File "layers.py"' in out and "0 of 1 exercises solved" in out
    assert "tutor hint layers.affine_forward" in out


def test_unknown_selector_lists_the_choices(tmp_path, capsys):
    assert main(["check", "layer", "--workspace", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "no exercise or module called 'layer'" in err and "Did you mean: layers" in err
    assert "layers.affine_forward" in err
    assert not any(tmp_path.iterdir())           # nothing created for a typo


def test_hint_reveals_then_says_all_shown(tmp_path, capsys):
    exercise = manifest.by_id("optim.sgd_step")
    for _ in exercise.hints:
        assert main(["hint", "optim.sgd_step", "--workspace", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert exercise.hints[-1] in out
    main(["hint", "optim.sgd_step", "--workspace", str(tmp_path)])
    assert f"All {len(exercise.hints)} hints" in capsys.readouterr().out
    assert main(["hint", "optim.nope", "--workspace", str(tmp_path)]) == 2


def test_lessons_lists_every_exercise_with_progress(solved, capsys):
    main(["check", "optim", "--workspace", str(solved), "--json"])
    capsys.readouterr()
    assert main(["--workspace", str(solved), "lessons"]) == 0
    out = capsys.readouterr().out
    for exercise in manifest.EXERCISES:
        assert exercise.id in out
    assert "✓" in out


def test_a_file_in_the_way_is_a_clear_error(tmp_path, capsys):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    assert main(["check", "--workspace", str(blocker)]) == 1
    assert "cannot use" in capsys.readouterr().err


def test_check_case_prints_python_that_runs(solved, capsys, monkeypatch):
    assert main(["check", "layers.affine_backward", "--case", "2", "--workspace", str(solved)]) == 0
    script = capsys.readouterr().out
    assert script.startswith("# layers.affine_backward, case 2 of 3")
    monkeypatch.syspath_prepend(str(solved))
    namespace: dict = {}
    exec(script, namespace)
    assert namespace["dx"].shape == namespace["x"].shape


@pytest.mark.parametrize("argv, words", [
    (["check", "layers", "--case", "1"], "--case needs one exercise"),
    (["check", "layers.affine_forward", "--case", "9"], "has cases 1 to 3; there is no case 9"),
])
def test_check_case_refuses_what_it_cannot_print(tmp_path, capsys, argv, words):
    assert main(argv + ["--workspace", str(tmp_path / "ws")]) == 2
    assert words in capsys.readouterr().err


def test_an_empty_exercise_name_is_an_error_not_everything(tmp_path, capsys):
    assert main(["check", "", "--workspace", str(tmp_path / "ws")]) == 2
    err = capsys.readouterr().err
    assert "the exercise name is empty" in err and "Traceback" not in err
    assert not (tmp_path / "ws").exists()


def optim_count() -> int:
    """How many exercises the optim module has: the manifest says, not the test."""
    count = sum(exercise.module == "optim" for exercise in manifest.EXERCISES)
    assert count > 0
    return count


def test_not_started_exercises_are_marked_like_the_app(tmp_path, capsys):
    assert main(["check", "optim", "--workspace", str(tmp_path / "ws")]) == 0
    rows = [line for line in capsys.readouterr().out.splitlines() if "optim." in line]
    assert len(rows) == optim_count() and all("·" in row and "✗" not in row for row in rows)


def read_only(workspace: Path, *argv: str) -> subprocess.CompletedProcess:
    """Run the real CLI with the workspace mounted read-only (bubblewrap), as a learner's
    workspace on a read-only share would be; root cannot write there either."""
    command = ["bwrap", "--dev-bind", "/", "/", "--ro-bind", str(workspace), str(workspace),
               sys.executable, "-m", "tutor", *argv, "--workspace", str(workspace)]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, cwd=ROOT)


@pytest.mark.skipif(shutil.which("bwrap") is None, reason="bubblewrap is not installed")
def test_a_read_only_workspace_shows_the_results_and_says_progress_is_not_saved(solved):
    done = read_only(solved, "check", "optim")
    assert done.returncode == 0, done.stderr
    count = optim_count()
    assert f"{count} of {count} exercises solved" in done.stdout
    assert "Traceback" not in done.stderr
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert lines == [f"tutor: your progress was not saved: {solved} cannot be written "
                     "(Read-only file system)."]
    hint = read_only(solved, "hint", "optim.sgd_step")
    assert hint.returncode == 0 and "Traceback" not in hint.stderr
    assert "hint 1 of" in hint.stdout and "progress was not saved" in hint.stderr
    assert not (solved / ".tutor").exists()
