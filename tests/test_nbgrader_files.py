"""What the gradebook sync reads and writes on disk (tutor/nbgrader/files.py): a student's
notebook is read, never through a link, a hard link or as the instructor's own file; autograded/ gets
real folders only; timestamp.txt is read as nbgrader reads it, never through a link; the assignment's
other files are copied as autograde copies them. (tests/test_nbgrader_sync.py drives the same through
`tutor grade --nbgrader-db` on a real course.)"""
from __future__ import annotations

import os
from datetime import datetime

import pytest

nbformat = pytest.importorskip("nbformat")
pytest.importorskip("nbgrader")

from tutor.nbgrader.files import (copy_other_files, instructor_files, notebook_text,  # noqa: E402
                                            read_submitted, real_folder, timestamp)


@pytest.fixture()
def course(tmp_path):
    source = tmp_path / "source" / "a1"
    source.mkdir(parents=True)
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("answer = 42")]), source / "nb.ipynb")
    (source / "data").mkdir()
    (source / "data" / "points.csv").write_text("1,2\n")
    return tmp_path


def test_a_notebook_is_read_but_never_through_a_link_or_as_the_instructors_file(course, tmp_path):
    instructor = instructor_files(course, "a1")
    mine = tmp_path / "ada.ipynb"
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x = 1")]), mine)
    nb, problem = read_submitted(mine, instructor)
    assert problem is None and nb.cells[0].source == "x = 1"
    (tmp_path / "link.ipynb").symlink_to(course / "source" / "a1" / "nb.ipynb")
    os.link(course / "source" / "a1" / "nb.ipynb", tmp_path / "hard-to-the-source.ipynb")
    os.link(mine, tmp_path / "hard.ipynb")
    (tmp_path / "junk.ipynb").write_text("{not json")
    names = ("link.ipynb", "hard-to-the-source.ipynb", "hard.ipynb", "junk.ipynb")
    refused = {name: read_submitted(tmp_path / name, instructor) for name in names}
    assert all(nb is None and problem for nb, problem in refused.values())
    assert "symbolic link" in refused["link.ipynb"][1] and "hard link" in refused["hard.ipynb"][1]
    assert refused["hard-to-the-source.ipynb"][1] == "is the instructor's own file, not a submission"
    assert read_submitted(course / "source" / "a1" / "nb.ipynb", instructor) == \
        (None, "is the instructor's own file, not a submission")


def test_autograded_gets_real_folders_and_nothing_through_a_link(tmp_path):
    top = tmp_path / "autograded"
    top.mkdir()
    assert real_folder(top / "ada" / "a1", top).is_dir()
    (top / "bob").symlink_to(tmp_path)
    with pytest.raises(OSError, match="symbolic link"):
        real_folder(top / "bob" / "a1", top)


def test_timestamp_is_read_as_nbgrader_reads_it_never_through_a_link(tmp_path):
    (tmp_path / "a1").mkdir()
    (tmp_path / "a1" / "timestamp.txt").write_text("2026-11-20 12:00:00.000000 UTC\n")
    assert timestamp(tmp_path / "a1") == datetime(2026, 11, 20, 12, 0)
    (tmp_path / "a2").mkdir()
    (tmp_path / "a2" / "timestamp.txt").symlink_to(tmp_path / "a1" / "timestamp.txt")
    assert timestamp(tmp_path / "a2") is None and timestamp(tmp_path / "missing") is None


def test_other_files_are_copied_and_a_notebook_written_as_nbformat_writes_it(course, tmp_path):
    out = tmp_path / "autograded" / "ada" / "a1"
    out.mkdir(parents=True)
    copy_other_files(course / "source" / "a1", out)
    assert (out / "data" / "points.csv").read_text() == "1,2\n" and not (out / "nb.ipynb").exists()
    nb = nbformat.read(course / "source" / "a1" / "nb.ipynb", as_version=4)
    text = notebook_text(nb)
    assert text.endswith("\n") and nbformat.reads(text, as_version=4) == nb
