"""Reading nbgrader submitted/ folders into modules (no kernel, no grader): by grade id, robust
to what students do to notebooks."""
from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest

from tutor.classroom.nbgrader_notebooks import read_student, read_submitted_folder
from tutor.classroom.submissions import discover
from tutor.manifest import by_id
from tutor.notebook import build, cells, classkit

ASSIGNMENT = "03_training"


@pytest.fixture(scope="module")
def release_nb():
    """The release as nbgrader makes it, near enough: solutions replaced by the stub."""
    assignment = next(a for a in build.assignments() if a.name == ASSIGNMENT)
    nb = build.course_notebook(assignment)
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


def _run(source: str) -> dict:
    namespace: dict = {}
    exec(compile(source, "<module>", "exec"), namespace)   # trusted: built from our own solutions
    return namespace


def test_answers_found_by_grade_id_not_position(tmp_path, release_nb):
    nb = classkit.student_notebook(release_nb, "correct")
    nb.cells.reverse()                                        # moved around: still found
    nb.cells.insert(0, nbformat.v4.new_code_cell("def _helper(a):\n    return a * 1.0\n\nprint('scratch')"))
    nb.cells.append(nbformat.v4.new_code_cell("%timeit affine_forward(x, w, b)\nout = affine_forward(np.ones((2, 3)), np.ones((3, 4)), 0.0)"))
    _save(tmp_path, "ada", nb)
    student = read_student(tmp_path / "ada", ["backprop", "layers", "optim", "rnn"])
    assert set(student.sources) == {"backprop", "layers", "optim"}
    assert student.meta["nbgrader"] == {ASSIGNMENT: {"training": str(tmp_path / "ada" / ASSIGNMENT / "training.ipynb")}}
    layers = _run(student.sources["layers"])
    assert "affine_forward" in layers and "affine_backward" in layers and "_helper" in layers
    assert "out" not in layers                               # scratch statements are dropped


def test_one_broken_cell_does_not_spoil_the_others(tmp_path, release_nb):
    nb = classkit.student_notebook(release_nb, "correct")
    for cell in nb.cells:
        if cells.cell_role(cell) == ("answer", "layers.affine_backward"):
            cell.source = "def affine_backward(dout, cache):\n    return dout @@ cache\n"
    _save(tmp_path, "bo", nb)
    student = read_student(tmp_path / "bo", ["backprop", "layers", "optim"])
    layers = _run(student.sources["layers"])
    assert "affine_forward" in layers and "affine_backward" not in layers
    assert any("layers.affine_backward" in w and "SyntaxError" in w for w in student.warnings)


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
    blank = _run(folder.students["bo"].sources["optim"])
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
        nb = classkit.fill(build.course_notebook(assignment),
                           {e.id: classkit.correct_answer(e) for e in assignment.exercises})
        folder = tmp_path / "ada" / assignment.name
        folder.mkdir(parents=True)
        nbformat.write(nb, str(folder / f"{assignment.notebook}.ipynb"))
    student = read_student(tmp_path / "ada", ["layers", "backprop", "optim"])
    layers = _run(student.sources["layers"])
    assert {"affine_forward", "affine_backward", "mse_loss", "softmax_cross_entropy"} <= set(layers)
    assert set(student.meta["nbgrader"]) == {"03_training", "07_losses"}
    json.dumps(student.meta)
