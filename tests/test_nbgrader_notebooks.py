"""Reading nbgrader submitted/ folders into modules (no kernel, no grader): by grade id, robust
to what students do to notebooks. And one `tutor grade` of such a folder (the grader, still no
kernel): the test cells' hidden tests count there as under `nbgrader autograde`."""
from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest

from tutor.classroom.submissions import read_submitted_folder
from tutor.nbgrader.notebooks import read_student
from tutor.classroom.submissions import discover
from tutor.course import write_secret
from tutor.manifest import by_id
from tutor.notebook import build, cells
from tutor.nbgrader import classkit, export

ASSIGNMENT = "03_training"


@pytest.fixture(scope="module")
def release_nb():
    """The release as nbgrader makes it, near enough: solutions replaced by the stub."""
    assignment = next(a for a in build.assignments() if a.name == ASSIGNMENT)
    nb = export.course_notebook(assignment)
    for cell in nb.cells:
        role = cells.cell_role(cell)
        if role and role[0] == "answer":
            cell.source = classkit.blank_answer(by_id(role[1]))
        elif role and role[0] == "test":
            cell.source = cell.source.split("### BEGIN HIDDEN TESTS")[0].rstrip()
    return nb


def _save(root: Path, student: str, nb, name: str = "training.ipynb") -> Path:
    folder = root / student / ASSIGNMENT
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    nbformat.write(nb, str(path))
    return path


def _at(source: str, exercise: str) -> tuple[dict, list[str]]:
    """The notebook's namespace at the test cell of `exercise`, and the notes on its cells
    (run here: trusted, built from our own solutions)."""
    from tutor.notebook.program import run_program

    return run_program(source, exercise)


def test_answers_found_by_grade_id_not_position(tmp_path, release_nb):
    nb = classkit.student_notebook(release_nb, "correct")
    last = nb.cells[-3:]                                      # the last exercise moved first: still found
    nb.cells[2:2] = last
    del nb.cells[-3:]
    nb.cells.insert(0, nbformat.v4.new_code_cell("def _helper(a):\n    return a * 1.0\n\nprint('scratch')"))
    nb.cells.insert(3, nbformat.v4.new_code_cell("scale = float(2)\n%timeit _helper(1.0)"))
    nb.cells.append(nbformat.v4.new_code_cell("out = affine_forward(np.ones((2, 3)), np.ones((3, 4)), 0.0)"))
    _save(tmp_path, "ada", nb)
    student = read_student(tmp_path / "ada", ["backprop", "layers", "optim", "rnn"])
    assert set(student.sources) == {"backprop", "layers", "optim"}
    assert student.meta["nbgrader"] == {ASSIGNMENT: {"training": str(tmp_path / "ada" / ASSIGNMENT / "training.ipynb")}}
    layers, notes = _at(student.sources["layers"], "layers.affine_backward")
    assert "affine_forward" in layers and "affine_backward" in layers and "_helper" in layers
    assert layers["scale"] == 2.0                             # every statement runs, as in a kernel...
    assert any("%timeit" in n and "not run in the sandbox" in n for n in notes), notes   # ...magics are reported
    assert "out" not in layers                                # a cell after the test cell is not yet run


def test_one_broken_cell_does_not_spoil_the_others(tmp_path, release_nb):
    nb = classkit.student_notebook(release_nb, "correct")
    for cell in nb.cells:
        if cells.cell_role(cell) == ("answer", "layers.affine_backward"):
            cell.source = "def affine_backward(dout, cache):\n    return dout @@ cache\n"
    _save(tmp_path, "bo", nb)
    student = read_student(tmp_path / "bo", ["backprop", "layers", "optim"])
    layers, notes = _at(student.sources["layers"], "layers.affine_backward")
    assert "affine_forward" in layers and "affine_backward" not in layers
    assert any("layers.affine_backward" in w and "SyntaxError" in w for w in student.warnings)
    assert any("raised SyntaxError" in n and "the run went on" in n for n in notes), notes


def test_unreadable_and_foreign_notebooks_are_reported(tmp_path, release_nb):
    folder = tmp_path / "cy" / ASSIGNMENT
    folder.mkdir(parents=True)
    (folder / "training.ipynb").write_text("{ not json")
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1 + 1")]), str(folder / "other.ipynb"))
    (tmp_path / "cy" / "scratch").mkdir()
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1 + 1")]),
                   str(tmp_path / "cy" / "scratch" / "mine.ipynb"))
    student = read_student(tmp_path / "cy", ["layers"])
    assert student.sources == {}
    text = " ".join(student.warnings)
    assert "training.ipynb is not a readable notebook" in text
    assert f"did not grade the code in {ASSIGNMENT}/other.ipynb: the assignment's notebook is training.ipynb" in text
    assert "scratch/mine.ipynb has no tutor answer cells" in text


def test_plain_layout_is_left_to_the_plain_reader(tmp_path):
    (tmp_path / "di").mkdir()
    (tmp_path / "di" / "layers.py").write_text("def affine_forward(x, w, b):\n    return x @ w + b, None\n")
    assert read_student(tmp_path / "di", ["layers"]) is None
    assert read_student(tmp_path / "di" / "nothing", ["layers"]) is None


def test_discover_uses_the_nbgrader_reader(tmp_path, release_nb):
    _save(tmp_path, "ada", classkit.student_notebook(release_nb, "correct"))
    _save(tmp_path, "bo", release_nb)
    _save(tmp_path, "cy", classkit.student_notebook(release_nb, "wrong"))
    folder = discover(tmp_path)
    assert set(folder.students) == {"ada", "bo", "cy"}
    assert read_submitted_folder(tmp_path) == folder.sources()
    blank, _ = _at(folder.students["bo"].sources["optim"], "optim.sgd_step")
    with pytest.raises(NotImplementedError):
        blank["sgd_step"](1.0, 1.0, 0.1)
    # a change to one answer changes the student's content hash (so `tutor grade` regrades them)
    modules = folder.modules
    before = folder.students["ada"].content_hash(modules)
    nb = nbformat.read(str(tmp_path / "ada" / ASSIGNMENT / "training.ipynb"), 4)
    for cell in nb.cells:
        if cells.cell_role(cell) == ("answer", "optim.sgd_step"):
            cell.source = cell.source.replace("lr", "lr * 1.0")
    _save(tmp_path, "ada", nb)
    assert discover(tmp_path).students["ada"].content_hash(modules) != before


def test_merge_across_assignments(tmp_path):
    """A module whose exercises span lessons (layers) is one module per student."""
    for assignment in build.assignments():
        if assignment.name not in ("03_training", "07_losses"):
            continue
        nb = classkit.fill(export.course_notebook(assignment),
                           {e.id: classkit.correct_answer(e) for e in assignment.exercises})
        folder = tmp_path / "ada" / assignment.name
        folder.mkdir(parents=True)
        nbformat.write(nb, str(folder / f"{assignment.notebook}.ipynb"))
    student = read_student(tmp_path / "ada", ["layers", "backprop", "optim"])
    for exercise in ("layers.affine_forward", "layers.affine_backward", "layers.mse_loss",
                     "layers.softmax_cross_entropy"):       # each in its own notebook's kernel
        namespace, _ = _at(student.sources["layers"], exercise)
        assert exercise.split(".")[1] in namespace
    assert set(student.meta["nbgrader"]) == {"03_training", "07_losses"}
    json.dumps(student.meta)


def _lookup_table_answer(exercise) -> str:
    """A cheat: `exercise`'s function as a table of the visible cases' answers (the course's solution
    on exactly the inputs the grader makes for them), and zeros for any other input."""
    import inspect

    import numpy as np

    from tutor.engine import Grader
    from tutor.engine.plan import case_inputs, case_seed, solution_function, solution_inputs

    solution = solution_function(exercise.module, exercise.id)
    params = list(inspect.signature(solution).parameters)

    def literal(value) -> str:
        if isinstance(value, np.ndarray):
            return f"np.array({value.tolist()!r}, dtype=np.{value.dtype.name})"
        return repr(value)

    rows = []
    for index, case in enumerate(exercise.cases):
        inputs = case_inputs(exercise, case, case_seed(exercise.id, case.name, index))
        answer = solution(**solution_inputs(inputs))
        rows.append("    ({" + ", ".join(f"{k!r}: {literal(v)}" for k, v in inputs.items()) + "}, "
                    + literal(answer) + "),")
    return "\n".join([
        "import numpy as np", "", "_VISIBLE = [", *rows, "]", "", "",
        f"def {exercise.function}({', '.join(params)}):",
        "    given = dict(locals())",
        "    for inputs, answer in _VISIBLE:",
        "        if all(np.array_equal(np.asarray(given[k]), np.asarray(v)) for k, v in inputs.items()):",
        "            return answer.copy()",
        f"    return np.zeros_like({params[0]})",
    ])


@pytest.mark.slow
def test_tutor_grade_runs_the_hidden_tests(tmp_path, release_nb):
    """An answer that hard-codes the visible cases' results passes them, and fails the test cell's
    hidden tests under `tutor grade` as under `nbgrader autograde`; a correct answer passes both."""
    import csv
    import os
    import sqlite3
    import subprocess
    import sys

    cheat = by_id("optim.sgd_step")
    correct = classkit.student_notebook(release_nb, "correct")
    _save(tmp_path / "submitted", "ada", correct)
    _save(tmp_path / "submitted", "eve", classkit.fill(correct, {cheat.id: _lookup_table_answer(cheat)}))
    write_secret(tmp_path)                                  # the course folder above submitted/
    out = tmp_path / "out"
    env = dict(os.environ, COLUMNS="200", PYTHONIOENCODING="utf-8", TUTOR_GRADER_VERSION="test-pinned")
    done = subprocess.run([sys.executable, "-m", "tutor", "grade", str(tmp_path / "submitted"), "--out", str(out),
                           "--jobs", "2"], capture_output=True, text=True, timeout=240, env=env,
                          cwd=Path(__file__).resolve().parents[1])
    assert done.returncode == 0, done.stdout + done.stderr
    with open(out / "grades.csv", newline="") as f:
        rows = {(r["student"], r["exercise"]): (float(r["score"]), float(r["max_score"])) for r in csv.DictReader(f)}
    assignment = next(a for a in build.assignments() if a.name == ASSIGNMENT)
    for exercise in assignment.exercises:
        assert rows[("ada", exercise.id)] == (exercise.points, exercise.points)
        if exercise.id != cheat.id:
            assert rows[("eve", exercise.id)] == (exercise.points, exercise.points)
    # the visible cases pass, the hidden ones (as many) fail: half the points, and not passed
    assert rows[("eve", cheat.id)] == (cheat.points / 2, cheat.points)
    con = sqlite3.connect(out / "gradebook.sqlite")
    try:
        status, message, details = con.execute("SELECT status, message, details FROM results WHERE student='eve' "
                                               "AND exercise=?", (cheat.id,)).fetchone()
        ada = con.execute("SELECT message, details FROM results WHERE student='ada' AND exercise=?",
                          (cheat.id,)).fetchone()
    finally:
        con.close()
    assert status == "failed" and "hidden tests" in message, message
    details, ada_details = json.loads(details), json.loads(ada[1])
    for case in cheat.cases:
        assert f"✓ {case.name}" in details and any(d.startswith(f"✗ hidden {case.name}") for d in details), details
        assert f"✓ hidden {case.name}" in ada_details, ada_details
    assert "hidden tests" in ada[0]


def test_hidden_results_combine_as_the_test_cell():
    """Passed only when the visible and the hidden checks both pass; points x the share of all cases."""
    from tutor.nbgrader.notebooks import combine_hidden
    from tutor.engine.results import CaseResult, ExerciseResult
    from tutor.notebook.check import hidden_variant

    exercise = by_id("layers.affine_forward")              # 3 cases, 1 point
    hidden = hidden_variant(exercise, b"a course's secret, 16+ bytes")

    def result(cases_passed, message, status="failed", diagnosis="mismatch"):
        cases = [CaseResult(f"case {i}", i < cases_passed) for i in range(3)]
        return ExerciseResult(exercise.id, round(cases_passed / 3, 2), 1.0, cases_passed == 3, message,
                              "passed" if cases_passed == 3 else status, "ok" if cases_passed == 3 else diagnosis,
                              cases=cases)

    both = combine_hidden(exercise, hidden, result(3, "ok"), result(3, "ok"))
    assert both.passed and both.score == 1.0 and "6 cases" in both.message
    cheat = combine_hidden(exercise, hidden, result(3, "ok"), result(0, "wrong here", diagnosis="factor"))
    assert not cheat.passed and cheat.score == 0.5 and cheat.status == "failed" and cheat.diagnosis == "factor"
    assert "hidden tests" in cheat.message and "wrong here" in cheat.message
    visible_wrong = combine_hidden(exercise, hidden, result(2, "wrong there"), result(3, "ok"))
    assert not visible_wrong.passed and visible_wrong.score == 5 / 6
    assert visible_wrong.message == "wrong there"
    blank = combine_hidden(exercise, hidden, result(0, "stub", "not_implemented", "not_implemented"),
                           result(0, "stub", "not_implemented", "not_implemented"))
    assert blank.score == 0 and blank.status == "not_implemented" and blank.message == "stub"
    assert len(cheat.cases) == 6 and sum(c.passed for c in cheat.cases) == 3     # the per-case results travel


def test_hostile_notebooks_cost_only_their_exercises(tmp_path, release_nb):
    """Nested too deeply for json.loads or for ast.parse, wrong types, links: a warning each, no
    exception, and the student's good notebook in another assignment is still read."""
    import os

    good = _save(tmp_path, "mal", release_nb)
    bad = {"01_deep": "[" * 200_000 + "]" * 200_000,
           "01_types": json.dumps({"cells": [{"cell_type": "code", "source": 7, "metadata": {}}], "nbformat": 4}),
           "01_version": json.dumps({"cells": [], "nbformat": "4"})}
    for assignment, text in bad.items():
        (tmp_path / "mal" / assignment).mkdir()
        (tmp_path / "mal" / assignment / "nb.ipynb").write_text(text)
    deep = nbformat.read(str(good), as_version=4)
    for cell in deep.cells:
        if (cells.cell_role(cell) or ("",))[0] == "answer":
            cell.source = "x = " + "-" * 100_000 + "1"
            break
    (tmp_path / "mal" / "01_ast").mkdir()
    nbformat.write(deep, str(tmp_path / "mal" / "01_ast" / "training.ipynb"))
    (tmp_path / "mal" / "01_links").mkdir()
    os.symlink(good, tmp_path / "mal" / "01_links" / "sym.ipynb")
    outside = tmp_path / "instructor.ipynb"
    outside.write_bytes(good.read_bytes())
    os.link(outside, tmp_path / "mal" / "01_links" / "hard.ipynb")
    student = read_student(tmp_path / "mal", ["backprop", "layers", "optim"])
    text = "\n".join(student.warnings)
    assert "01_deep/nb.ipynb is nested too deeply" in text
    assert "01_types/nb.ipynb is not a notebook" in text and "01_version/nb.ipynb is not a notebook" in text
    # 01_ast's code is compiled in the sandbox now (every cell runs there, as in a kernel): its
    # failure is that cell's, named in the feedback (tests/adversarial/classes/deep_ast_notebook_cell.py)
    assert "sym.ipynb is a symbolic link" in text and "hard.ipynb is a hard link" in text
    assert set(student.sources) == {"backprop", "layers", "optim"}   # the good notebook is still read


@pytest.mark.slow
def test_without_a_course_secret_the_feedback_says_hidden_tests_did_not_run(tmp_path, release_nb, monkeypatch):
    from tutor.nbgrader.notebooks import HiddenTestsGrader

    monkeypatch.delenv("TUTOR_COURSE", raising=False)
    _save(tmp_path / "submitted", "ada", classkit.student_notebook(release_nb, "correct"))
    student = read_student(tmp_path / "submitted" / "ada", ["optim"])
    with HiddenTestsGrader(exercises=[by_id("optim.sgd_step")], course=tmp_path / "submitted") as grader:
        (result,) = grader.grade(student.sources)
    assert result.passed and any("hidden tests not run: no course secret" in d for d in result.details)


def test_course_points_apply_and_a_bad_course_file_is_one_line(tmp_path, capsys, monkeypatch):
    from tutor.nbgrader.notebooks import with_course_points

    monkeypatch.delenv("TUTOR_COURSE", raising=False)
    (tmp_path / "submitted").mkdir()
    (tmp_path / "course.toml").write_text('[assignments.a]\nexercises = ["optim.sgd_step"]\n'
                                          'points = { "optim.sgd_step" = 4 }\n')
    chosen = with_course_points([by_id("optim.sgd_step"), by_id("layers.affine_forward")], tmp_path / "submitted")
    assert [e.points for e in chosen] == [4, by_id("layers.affine_forward").points]
    (tmp_path / "course.toml").write_text("[course\n")
    assert with_course_points([by_id("optim.sgd_step")], tmp_path / "submitted")[0] is by_id("optim.sgd_step")
    err = capsys.readouterr().err
    assert "is not valid TOML" in err and "manifest's points" in err and len(err.strip().splitlines()) == 1
