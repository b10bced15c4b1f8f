"""tutor.files: the one atomic write, and the one source-size limit of `tutor check` and `tutor grade`."""
from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from tutor.classroom.submissions import read_source
from tutor.engine.run import clean_sources, read_sources
from tutor.files import MAX_SOURCE_BYTES, SOURCE_LIMIT, atomic_write


def names(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def test_text_is_written_as_utf8_with_its_newlines_as_given(tmp_path):
    atomic_write(tmp_path / "notes.md", "café\r\nline\n")
    assert (tmp_path / "notes.md").read_bytes() == "café\r\nline\n".encode("utf-8")


def test_bytes_replace_an_existing_file_and_leave_nothing_else(tmp_path):
    (tmp_path / "entry.bin").write_bytes(b"old")
    atomic_write(tmp_path / "entry.bin", b"\x00\xffnew")
    assert (tmp_path / "entry.bin").read_bytes() == b"\x00\xffnew"
    assert names(tmp_path) == ["entry.bin"]


def test_the_new_file_has_the_usual_permissions(tmp_path):
    old = os.umask(0o022)
    try:
        atomic_write(tmp_path / "grades.csv", "student\n")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "grades.csv").stat().st_mode) == 0o644


def test_a_link_at_the_target_is_replaced_not_followed(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    victim = outside / "victim.txt"
    victim.write_text("keep")
    folder = tmp_path / "out"
    folder.mkdir()
    os.symlink(victim, folder / "report.md")
    atomic_write(folder / "report.md", "report")
    assert victim.read_text() == "keep"
    assert not (folder / "report.md").is_symlink() and (folder / "report.md").read_text() == "report"


def test_a_failed_write_keeps_the_old_file_and_removes_the_temporary_one(tmp_path):
    (tmp_path / "progress.json").write_text("{}")
    with pytest.raises(TypeError):
        atomic_write(tmp_path / "progress.json", 12345)
    assert (tmp_path / "progress.json").read_text() == "{}"
    assert names(tmp_path) == ["progress.json"]


def test_a_failed_rename_removes_the_temporary_file(tmp_path):
    (tmp_path / "feedback").mkdir()
    with pytest.raises(IsADirectoryError):
        atomic_write(tmp_path / "feedback", "text")
    assert names(tmp_path) == ["feedback"]


def test_a_missing_folder_is_an_error_not_a_new_folder(tmp_path):
    with pytest.raises(FileNotFoundError):
        atomic_write(tmp_path / "absent" / "grades.csv", "x")
    assert names(tmp_path) == []


def test_the_limit_is_one_mebibyte_and_says_so():
    assert MAX_SOURCE_BYTES == 1 << 20
    assert SOURCE_LIMIT == "1 MB (1,048,576 bytes)"


@pytest.mark.parametrize("size, accepted", [(MAX_SOURCE_BYTES, True), (MAX_SOURCE_BYTES + 1, False)])
def test_tutor_check_and_tutor_grade_share_the_limit(tmp_path, size, accepted):
    source = "#" * (size - 1) + "\n"
    (tmp_path / "layers.py").write_text(source, encoding="utf-8")
    checked = read_sources(tmp_path)                       # tutor check
    graded, problem = read_source(tmp_path / "layers.py")   # tutor grade, then the engine's own filter
    if graded is not None:
        graded = clean_sources({"layers": graded}).get("layers")
    assert ("layers" in checked) is accepted
    assert (graded == source) is accepted
    if accepted:
        assert problem is None
    else:
        assert graded is None and f"the limit of {SOURCE_LIMIT}" in problem and f"{size:,} bytes" in problem
