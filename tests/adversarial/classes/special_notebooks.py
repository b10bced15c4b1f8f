"""Submitted notebooks that are not ordinary files: a FIFO (reading it would block the class), a
25 MB sparse file (over the notebook size limit), a symbolic link to a file outside the class.
Each is refused by name; the run never blocks and nothing is read through the link."""
import os

STUDENTS = ["nbodd"]


def plant(root, kit):
    for assignment in ("01_fifo", "01_huge", "01_link"):
        (root / "nbodd" / assignment).mkdir(parents=True)
    os.mkfifo(root / "nbodd" / "01_fifo" / "nb.ipynb")
    with open(root / "nbodd" / "01_huge" / "nb.ipynb", "wb") as f:
        f.truncate(25_000_000)
    (kit.outside / "secret.ipynb").write_text('{"cells": [], "nbformat": 4, "secret": "instructor only"}')
    os.symlink(kit.outside / "secret.ipynb", root / "nbodd" / "01_link" / "nb.ipynb")


def verify(run):
    assert run.total("nbodd") == 0
    text = run.feedback("nbodd")
    assert "01_fifo/nb.ipynb is not a regular file" in text
    assert "01_huge/nb.ipynb is 25 MB" in text
    assert "01_link/nb.ipynb is a symbolic link" in text and "instructor only" not in text
