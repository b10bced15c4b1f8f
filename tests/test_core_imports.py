"""Import boundaries, each checked in a fresh interpreter:

- the core (engine, manifest, lessons, playground, CLI, reference, workspace) never imports
  Textual, so the grader, the notebooks and the class tools work without a terminal UI;
- the terminal app never imports torch at import time: torch loads in a background worker
  after the first frame.
"""
from __future__ import annotations

import json
import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def submodules(package: str) -> list[str]:
    module = __import__(package, fromlist=["_"])
    names = [package]
    for info in pkgutil.walk_packages(module.__path__, prefix=f"{package}."):
        names.append(info.name)
    return names


def imported_after(modules: list[str]) -> set[str]:
    code = ("import importlib, json, sys\n"
            f"for name in {modules!r}:\n"
            "    importlib.import_module(name)\n"
            "print(json.dumps(sorted(sys.modules)))\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    return set(json.loads(done.stdout.splitlines()[-1]))


CORE = ["tutor", "tutor.engine", "tutor.manifest", "tutor.lessons", "tutor.cli", "tutor.paths",
        "tutor.workspace", "tutor.worked_examples"]


@pytest.mark.parametrize("group", ["core", "playground", "reference"])
def test_core_does_not_import_textual(group):
    modules = {
        "core": CORE,
        "playground": submodules("tutor.playground"),
        "reference": submodules("tutor.reference"),
    }[group]
    loaded = imported_after(modules)
    assert set(modules) <= loaded
    assert not {m for m in loaded if m == "textual" or m.startswith("textual.")}, group


def test_the_app_does_not_import_torch():
    modules = ["tutor.commands.app"] + submodules("tutor.app")
    loaded = imported_after(modules)
    assert "tutor.app.app" in loaded and "tutor.app.widgets.backprop" in loaded
    assert "torch" not in loaded
    assert not {m for m in loaded if m.startswith("tutor.reference") or m.startswith("tutor.engine.")}
