"""`tutor solution EXERCISE` through the real CLI entry point."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tutor.cli import main

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def private_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("TUTOR_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("TUTOR_SOLUTIONS", raising=False)


def test_after_solving_the_solution_is_printed(tmp_path, capsys):
    workspace = tmp_path / "ws"
    assert main(["check", "resnet", "--workspace", str(workspace)]) == 0
    shutil.copy(ROOT / "solutions" / "resnet.py", workspace / "resnet.py")
    assert main(["solution", "resnet.residual_backward", "--workspace", str(workspace)]) == 1
    assert "0 of 3 shown" in capsys.readouterr().err
    assert main(["check", "resnet", "--workspace", str(workspace)]) == 0
    capsys.readouterr()
    assert main(["solution", "resnet.residual_backward", "--workspace", str(workspace)]) == 0
    out = capsys.readouterr().out
    assert "def residual_backward(dout, cache):" in out and "yours is in" in out


def test_before_solving_every_hint_then_yes(tmp_path, capsys, monkeypatch):
    workspace = tmp_path / "ws"
    for _ in range(3):
        assert main(["hint", "optim.lr_step_decay", "--workspace", str(workspace)]) == 0
    monkeypatch.setattr("sys.stdin", open("/dev/null"))       # not a terminal: no prompt, no
    assert main(["solution", "optim.lr_step_decay", "--workspace", str(workspace)]) == 1
    assert "--yes" in capsys.readouterr().err
    assert main(["solution", "optim.lr_step_decay", "--workspace", str(workspace), "--yes"]) == 0
    assert "epoch // every" in capsys.readouterr().out


def test_a_prompt_on_a_terminal(tmp_path, capsys, monkeypatch):
    workspace = tmp_path / "ws"
    for _ in range(3):
        main(["hint", "train.predict", "--workspace", str(workspace)])
    monkeypatch.setattr("sys.stdin.isatty", lambda: True, raising=False)
    monkeypatch.setattr("builtins.input", lambda question: "y")
    assert main(["solution", "train.predict", "--workspace", str(workspace)]) == 0
    assert "argmax(axis=1)" in capsys.readouterr().out


def test_a_course_can_turn_solutions_off_and_unknown_ids_are_named(tmp_path, capsys, monkeypatch):
    workspace = tmp_path / "ws"
    monkeypatch.setenv("TUTOR_SOLUTIONS", "off")
    assert main(["solution", "train.predict", "--workspace", str(workspace), "--yes"]) == 1
    assert "does not show its solutions" in capsys.readouterr().err
    assert main(["solution", "train.nope", "--workspace", str(workspace)]) == 2
    assert "train.nope" in capsys.readouterr().err
