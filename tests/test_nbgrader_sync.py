"""The nbgrader gradebook sync (tutor/nbgrader/sync.py) against students who try to get
the instructor's files copied to them: a submitted notebook that is a symbolic link or a hard link
to the course's source notebook (the solutions), an assignment folder and a student folder that
are links to source/, and a planted link inside autograded/. The real `tutor grade --nbgrader-db`
runs on a real course (`tutor nbgrader export` + nbgrader's generate_assignment); nothing of the
instructor's may land in autograded/, each refusal is named, and the honest student is synced."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

nbgrader = pytest.importorskip("nbgrader")

from tutor.nbgrader import classkit, export  # noqa: E402

pytestmark = [pytest.mark.slow, pytest.mark.timeout(900)]   # a real course, generated once
ROOT = Path(__file__).resolve().parents[1]
ASSIGNMENT = "01_perceptron"


@pytest.fixture(scope="module")
def course(tmp_path_factory) -> Path:
    from nbgrader.apps import NbGraderAPI
    from traitlets.config import Config

    root = tmp_path_factory.mktemp("course")
    export.export_course(root)
    config = Config()
    config.CourseDirectory.root = str(root)
    config.CourseDirectory.course_id = "tutor"
    result = NbGraderAPI(config=config).generate_assignment(ASSIGNMENT)
    assert result["success"], result.get("log") or result.get("error")
    return root


def _notebook_name(course: Path) -> str:
    return sorted((course / "release" / ASSIGNMENT).glob("*.ipynb"))[0].name


def _solution_marker(course: Path) -> str:
    """A line of the source notebook's solutions that the released notebook does not hold."""
    source = (course / "source" / ASSIGNMENT / _notebook_name(course)).read_text()
    release = (course / "release" / ASSIGNMENT / _notebook_name(course)).read_text()
    for cell in nbformat.reads(source, as_version=4).cells:
        for line in cell.source.splitlines():
            if len(line.strip()) > 20 and line.strip() not in release and "BEGIN SOLUTION" not in line:
                return line.strip()
    raise AssertionError("the source notebook has no solution line the release lacks")


@pytest.fixture(scope="module")
def synced(course, tmp_path_factory):
    name = _notebook_name(course)
    source_nb = course / "source" / ASSIGNMENT / name
    submitted = course / "submitted"
    honest = submitted / "ada" / ASSIGNMENT
    honest.mkdir(parents=True)
    nb = nbformat.read(str(course / "release" / ASSIGNMENT / name), as_version=4)
    nbformat.write(classkit.student_notebook(nb, "correct"), str(honest / name))
    for student in ("symmallory", "hardhal"):
        (submitted / student / ASSIGNMENT).mkdir(parents=True)
    os.symlink(source_nb, submitted / "symmallory" / ASSIGNMENT / name)        # a link to the solutions
    os.link(source_nb, submitted / "hardhal" / ASSIGNMENT / name)              # the same file, hard-linked
    (submitted / "dirdora").mkdir()
    os.symlink(course / "source" / ASSIGNMENT, submitted / "dirdora" / ASSIGNMENT)  # a linked assignment
    os.symlink(course / "source", submitted / "linkleo")                       # a linked student folder
    (submitted / "mixmo" / ASSIGNMENT).mkdir(parents=True)                      # a real and a linked assignment
    nbformat.write(classkit.student_notebook(nb, "blank"), str(submitted / "mixmo" / ASSIGNMENT / name))
    os.symlink(course / "source" / ASSIGNMENT, submitted / "mixmo" / "02_linked")
    # a link planted in autograded/ (where the sync writes) must not be written through
    victim = tmp_path_factory.mktemp("victim") / "kept.txt"
    victim.write_text("the instructor's file\n")
    (course / "autograded" / "eve").mkdir(parents=True)
    os.symlink(victim.parent, course / "autograded" / "eve" / ASSIGNMENT)
    (submitted / "eve" / ASSIGNMENT).mkdir(parents=True)
    nbformat.write(classkit.student_notebook(nb, "correct"), str(submitted / "eve" / ASSIGNMENT / name))
    out = tmp_path_factory.mktemp("out")
    done = subprocess.run([sys.executable, "-m", "tutor", "grade", str(submitted), "--out", str(out),
                           "--nbgrader-db", str(course / "gradebook.db"), "--jobs", "2"],
                          cwd=ROOT, capture_output=True, text=True, timeout=900,
                          env=dict(os.environ, TUTOR_GRADER_VERSION="test-pinned", COLUMNS="300"))
    return course, out, done, victim


def test_no_instructor_file_reaches_autograded_or_feedback(synced):
    course, out, done, victim = synced
    assert "Traceback" not in done.stdout + done.stderr, done.stderr
    assert (out / "grades.csv").is_file()
    marker = _solution_marker(course)
    for top in (course / "autograded", out):
        for path in top.rglob("*"):
            if path.is_file() and not path.is_symlink() and path.suffix in (".ipynb", ".md", ".csv"):
                assert marker not in path.read_text(errors="replace"), path
    assert not (course / "autograded" / "symmallory" / ASSIGNMENT / _notebook_name(course)).exists()
    assert not (course / "autograded" / "hardhal" / ASSIGNMENT / _notebook_name(course)).exists()
    assert victim.read_text() == "the instructor's file\n" and sorted(os.listdir(victim.parent)) == ["kept.txt"]


def test_each_refusal_is_named(synced):
    course, out, done, _ = synced
    text = done.stdout + done.stderr
    assert "linkleo" in text and "symbolic link" in text                   # the linked student folder
    assert "symmallory" in text and "hardhal" in text and "hard link" in text
    assert "refused" in done.stdout                                          # the sync's summary names them
    assert "eve/" in done.stdout                                             # the planted link: that one is skipped
    assert "mixmo: ignored 02_linked/: a symbolic link" in done.stderr
    assert "dirdora: ignored 01_perceptron: a symbolic link" in done.stderr


def test_honest_student_is_synced(synced):
    course, out, done, _ = synced
    assert (course / "autograded" / "ada" / ASSIGNMENT / _notebook_name(course)).is_file()
    assert "submission(s) written" in done.stdout
