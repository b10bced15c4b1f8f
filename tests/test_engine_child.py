"""worker/child.py: calling the learner's functions, in this process."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

WORKER = Path(__file__).resolve().parents[1] / "tutor" / "engine" / "worker"
sys.path.insert(0, str(WORKER))
import child  # noqa: E402


def test_signature_problems_are_told_apart_from_type_errors():
    def two(a, b):
        return len(5)
    with pytest.raises(child.SignatureProblem, match=r"two\(a, b\)"):
        child.call_checked(two, "m.two", (1,), {})
    with pytest.raises(TypeError):
        child.call_checked(two, "m.two", (1, 2), {})


def test_learner_traceback_keeps_only_workspace_frames(tmp_path):
    module = tmp_path / "mymod.py"
    module.write_text("def f():\n    return 1 / 0\n")
    sys.path.insert(0, str(tmp_path))
    try:
        import mymod
        c = child.Child({"exercises": []}, str(tmp_path), lambda *a: None)
        try:
            child.call_checked(mymod.f, "mymod.f", (), {})
        except ZeroDivisionError as error:
            text = c.learner_traceback(error)
    finally:
        sys.path.remove(str(tmp_path))
        sys.modules.pop("mymod", None)
    assert 'File "mymod.py", line 2, in f' in text and "ZeroDivisionError" in text
    assert "child.py" not in text and str(tmp_path) not in text


def test_a_notebook_module_gives_the_namespace_at_the_exercise(tmp_path, monkeypatch):
    """A module with __tutor_namespace__ (tutor.notebook.program) is asked for the namespace at
    the exercise's test cell; its notes go with the result. A plain module is read as before."""
    (tmp_path / "nbmod.py").write_text(
        "def __tutor_namespace__(at):\n"
        "    if at == 'nbmod.f':\n"
        "        return {'f': lambda x: x + 1}, ['cell 2 raised ValueError']\n"
        "    return {}, []\n"
        "def f(x):\n    return 'module level'\n")
    (tmp_path / "plain.py").write_text("def g(x):\n    return x\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    sent = []
    worker = child.Child({"exercises": []}, str(tmp_path), lambda header, arrays=(): sent.append(header))
    function, problem = worker.function("nbmod.f", at="nbmod.f")
    assert problem is None and function(1) == 2 and worker.notes == ["cell 2 raised ValueError"]
    missing, problem = worker.function("nbmod.h", at="nbmod.h")
    assert missing is None and "h is not defined when the notebook reaches the test cell of nbmod.h" in problem
    plain, problem = worker.function("plain.g", at="plain.g")
    assert problem is None and plain(3) == 3
    assert worker.function("nbmod.f")[0](0) == "module level"     # no exercise: the module's own
