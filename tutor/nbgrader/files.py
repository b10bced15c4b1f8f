"""What the gradebook sync (tutor/nbgrader/sync.py) reads and writes on disk.

    read_submitted(path, instructor) -> (notebook, None) | (None, why it is refused)
        a student's notebook, never through a link (nor a hard link), never the instructor's
    instructor_files(course, assignment) -> {(st_dev, st_ino)} of its source/ and release/ files
    timestamp(assignment folder) -> datetime | None     timestamp.txt, read as nbgrader reads it
    real_folder(path, top) -> path                      created below `top`, refusing any link
    notebook_text(nb) -> str                            the notebook as nbformat writes it
    copy_other_files(source folder, autograded folder)  the assignment's data files, as autograde
"""
from __future__ import annotations

import os
import shutil
import stat
from pathlib import Path


def timestamp(assignment_dir: Path):
    from nbgrader.utils import parse_utc

    path = assignment_dir / "timestamp.txt"
    try:   # the student's file: never through a link, and a date is short
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(fd, "rb") as f:
            if not stat.S_ISREG(os.fstat(f.fileno()).st_mode):
                return None
            text = f.read(200).decode("utf-8", "replace").strip()
    except OSError:
        return None
    try:
        return parse_utc(text) if text else None
    except ValueError:
        return None


def instructor_files(course: Path, assignment: str) -> set[tuple[int, int]]:
    """(st_dev, st_ino) of every file of the assignment's source/ and release/ folders: a
    submitted notebook that is one of them (however it got there) is never copied."""
    found = set()
    for top in (course / "source" / assignment, course / "release" / assignment):
        if not top.is_dir():
            continue
        for path in top.rglob("*"):
            try:
                st = os.stat(path)
            except OSError:
                continue
            found.add((st.st_dev, st.st_ino))
    return found


def read_submitted(path: Path, instructor: set[tuple[int, int]]):
    """(notebook, None) or (None, why it is refused): read without following any link."""
    import nbformat

    from tutor.nbgrader.notebooks import read_notebook_bytes

    try:
        st = os.lstat(path)
    except OSError as exc:
        return None, f"cannot be read ({exc.strerror})"
    if (st.st_dev, st.st_ino) in instructor:
        return None, "is the instructor's own file, not a submission"
    raw, problem = read_notebook_bytes(path)
    if problem:
        return None, problem
    try:
        return nbformat.reads(raw.decode("utf-8-sig"), as_version=4), None
    except (RecursionError, MemoryError):
        return None, "is nested too deeply to be read"
    except Exception as exc:  # noqa: BLE001 - unreadable: scores 0 like a missing notebook
        return None, f"is not a readable notebook ({type(exc).__name__})"


def real_folder(path: Path, top: Path) -> Path:
    """`path` (inside `top`) created as real folders; a symbolic link anywhere below `top` is
    refused (OSError), so that nothing is ever written through one."""
    current = top
    for part in path.relative_to(top).parts:
        current = current / part
        try:
            st = os.lstat(current)
        except FileNotFoundError:
            current.mkdir()
            continue
        if stat.S_ISLNK(st.st_mode) or not stat.S_ISDIR(st.st_mode):
            raise OSError(f"{current} is a symbolic link or not a folder; nothing is written through it")
    return current


def notebook_text(nb) -> str:
    import nbformat

    text = nbformat.writes(nb)
    return text if text.endswith("\n") else text + "\n"


def copy_other_files(source_dir: Path, out_dir: Path) -> None:
    """nbgrader autograde copies the assignment's other files (data, images) next to the notebooks."""
    if not source_dir.is_dir():
        return
    for path in source_dir.rglob("*"):
        if path.is_file() and path.suffix != ".ipynb" and ".ipynb_checkpoints" not in path.parts:
            dest = out_dir / path.relative_to(source_dir)
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, dest)


__all__ = ["copy_other_files", "instructor_files", "notebook_text", "read_submitted", "real_folder", "timestamp"]
