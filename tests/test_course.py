"""tutor.course: course.toml (one clear line for a bad file) and the hidden-test secret (written
once, mode 0600, never released; the outermost course folder's wins), and what reads them:
export, check() and the hidden tests."""
from __future__ import annotations

import os
import stat

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tutor.course import (CourseError, find_course, find_secret, load_course, read_secret,
                          write_secret)
from tutor.notebook import build, cells
from tutor.nbgrader import export

GOOD = '''
[course]
name = "nn-course"
hints = false
solutions = false
[assignments.01_basics]
exercises = ["layers.affine_forward", "activations.relu_forward"]
points = { "layers.affine_forward" = 2 }
due = "2026-12-01T23:59:00+00:00"
'''


def _course(tmp_path, text):
    (tmp_path / "course.toml").write_text(text)
    return tmp_path


def test_load_course(tmp_path):
    course = load_course(_course(tmp_path, GOOD))
    assert course.configured and course.name == "nn-course" and not course.hints and not course.solutions
    (assignment,) = course.assignments
    assert assignment.exercises == ("layers.affine_forward", "activations.relu_forward")
    assert assignment.due == "2026-12-01T23:59:00+00:00"
    assert [(e.id, e.points) for e in course.exercises()][0] == ("layers.affine_forward", 2)
    assert course.points("activations.relu_forward") is None
    with pytest.raises(CourseError, match="no such course folder"):
        load_course(tmp_path / "nowhere")
    (tmp_path / "empty").mkdir()
    default = load_course(tmp_path / "empty")
    assert not default.configured and default.hints and default.solutions and default.assignments == ()


@pytest.mark.parametrize("text, problem", [
    ("[course\n", "is not valid TOML"),
    ("[course]\nhints = 'yes'\n", "hints must be true or false"),
    ("[grading]\n", "unknown section(s) grading"),
    ("[assignments.a]\nexercises = ['layers.afine_forward']\n", "did you mean layers.affine_forward"),
    ("[assignments.a]\nexercises = []\n", "non-empty list"),
    ("[assignments.a]\nexercises = ['layers.affine_forward']\npoints = { 'layers.relu' = 1 }\n", "does not assign"),
    ("[assignments.a]\nexercises = ['layers.affine_forward']\npoints = { 'layers.affine_forward' = -1 }\n",
     "must be a number above 0"),
    ("[assignments.a]\nexercises = ['layers.affine_forward']\ndue = 'friday'\n", "is not a date"),
    ("[assignments.a]\nexercises = ['layers.affine_forward']\nweight = 2\n", "unknown key(s) weight"),
])
def test_bad_course_files_get_one_clear_line(tmp_path, text, problem):
    with pytest.raises(CourseError) as info:
        load_course(_course(tmp_path, text))
    message = str(info.value)
    assert problem in message and "course.toml" in message and "\n" not in message.strip()


@settings(max_examples=50, deadline=None)
@given(st.text(max_size=200))
def test_any_text_is_a_course_or_a_course_error(tmp_path_factory, text):
    folder = tmp_path_factory.mktemp("c")
    (folder / "course.toml").write_text(text, encoding="utf-8")
    try:
        load_course(folder)
    except CourseError as exc:
        assert str(exc).startswith(str(folder / "course.toml"))


def test_secret_is_written_once_private_and_outermost_wins(tmp_path, monkeypatch):
    monkeypatch.delenv("TUTOR_COURSE", raising=False)
    path = write_secret(tmp_path)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    secret = read_secret(tmp_path)
    assert secret and len(secret) == 32
    write_secret(tmp_path)
    assert read_secret(tmp_path) == secret                      # never replaced
    # a student's own .tutor-secret, copied into autograded/<student>/<assignment>/, is ignored
    inner = tmp_path / "autograded" / "eve" / "01_x"
    inner.mkdir(parents=True)
    (inner / ".tutor-secret").write_text("00" * 32)
    assert find_secret(inner) == secret
    monkeypatch.setenv("TUTOR_COURSE", str(inner))
    assert find_secret(tmp_path) == bytes(32)


def test_find_course_is_the_outermost(tmp_path, monkeypatch):
    monkeypatch.delenv("TUTOR_COURSE", raising=False)
    _course(tmp_path, GOOD)
    inner = tmp_path / "autograded" / "eve"
    inner.mkdir(parents=True)
    (inner / "course.toml").write_text("[course]\nhints = true\n")
    assert find_course(inner).name == "nn-course"


def test_export_reads_the_settings_and_writes_the_secret(tmp_path):
    _course(tmp_path, GOOD)
    result = export.export_course(tmp_path)
    assert [a.name for a in result.assignments] == ["01_basics"]
    assert read_secret(tmp_path) is not None
    assert not any(p.name == ".tutor-secret" for p in (tmp_path / "source").rglob("*"))
    import nbformat

    nb = nbformat.read(str(result.written[0]), as_version=4)
    tests = {cells.cell_role(c)[1]: c.metadata["nbgrader"]["points"] for c in nb.cells
             if (cells.cell_role(c) or ("",))[0] == "test"}
    assert tests == {"layers.affine_forward": 2, "activations.relu_forward": 1}
    text = "\n".join(c.source for c in nb.cells)
    assert "check.configure(hints=False, solutions=False)" in text and "<summary>Hint" not in text


def test_export_writes_default_settings_and_refuses_a_bad_file(tmp_path):
    export.export_course(tmp_path / "a")
    assert load_course(tmp_path / "a").configured            # the defaults, written for the instructor
    assert len(load_course(tmp_path / "a").assignments) == len(build.assignments())
    _course(tmp_path, "[course\n")
    with pytest.raises(build.ExportRefused, match="is not valid TOML"):
        export.export_course(tmp_path)
    assert not (tmp_path / "source").exists()


def test_hidden_tests_need_the_secret_and_depend_on_it(tmp_path, monkeypatch):
    import numpy as np

    from tutor.manifest import by_id
    from tutor.notebook import check as notebook_check

    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("TUTOR_COURSE", raising=False)
    exercise = by_id("layers.affine_forward")
    with pytest.raises(notebook_check.HiddenTestsUnavailable, match="only when the instructor grades"):
        notebook_check.check("layers.affine_forward", lambda x, w, b: (x, None), hidden=True)

    def inputs(secret):
        case = notebook_check.hidden_variant(exercise, secret).cases[0]
        return case.make(np.random.default_rng(0))["x"]

    assert np.array_equal(inputs(b"s" * 32), inputs(b"s" * 32))
    assert not np.array_equal(inputs(b"s" * 32), inputs(b"t" * 32))
    visible = exercise.cases[0].make(np.random.default_rng(0))["x"]
    assert not np.array_equal(inputs(b"s" * 32), visible)


def test_check_offers_what_the_course_says(tmp_path, monkeypatch):
    from tutor.notebook import check as notebook_check

    monkeypatch.delenv("TUTOR_COURSE", raising=False)
    monkeypatch.setattr(notebook_check, "_offered", {})
    monkeypatch.chdir(_course(tmp_path, GOOD))
    assert notebook_check.offered() == (False, False)
    notebook_check.configure(hints=True)
    assert notebook_check.offered() == (True, False)


def test_tutor_check_with_a_course(tmp_path, capsys, monkeypatch):
    """`tutor check --course DIR`: the course's exercises with its points, no hint line when
    hints are off; a bad course file or an exercise it does not assign: one line, exit 2."""
    import json
    import shutil
    from pathlib import Path

    from tutor.cli import main

    monkeypatch.setenv("TUTOR_CACHE_DIR", str(tmp_path / "cache"))
    workspace = tmp_path / "ws"
    root = Path(__file__).resolve().parents[1]
    shutil.copytree(root / "solutions", workspace, ignore=shutil.ignore_patterns("__init__.py", "__pycache__"))
    (tmp_path / "course").mkdir()
    course = _course(tmp_path / "course", GOOD)
    assert main(["check", "--course", str(course), "--workspace", str(workspace), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [(d["exercise"], d["max_score"]) for d in data] == [("layers.affine_forward", 2.0),
                                                              ("activations.relu_forward", 1.0)]
    (workspace / "activations.py").write_text("import numpy as np\n\ndef relu_forward(x):\n    return 2 * x, x\n")
    assert main(["check", "activations", "--course", str(course), "--workspace", str(workspace)]) == 0
    out = capsys.readouterr().out
    assert "0 of 1 exercises solved" in out and "tutor hint" not in out
    assert main(["check", "optim", "--course", str(course), "--workspace", str(workspace)]) == 2
    assert "assigns none of optim" in capsys.readouterr().err
    (course / "course.toml").write_text("[course\n")
    assert main(["check", "--course", str(course), "--workspace", str(workspace)]) == 2
    err = capsys.readouterr().err
    assert "is not valid TOML" in err and len(err.strip().splitlines()) == 1
