"""Notebooks that are JSON but not notebooks (cells as a dict, source as a number, a string
version, metadata as a list), not JSON at all, or text with null bytes: each is named, the
student scores 0 for it, and nothing else is disturbed."""
import json

STUDENTS = ["typos"]
BAD = {
    "01_a": {"cells": {"0": "x"}, "nbformat": 4},
    "01_b": {"cells": [{"cell_type": "code", "source": 42, "metadata": {}}], "nbformat": 4},
    "01_c": {"cells": [], "nbformat": "four"},
    "01_d": {"cells": [{"cell_type": "code", "source": "x", "metadata": []}], "nbformat": 4},
    "01_e": [1, 2, 3],
}


def plant(root, kit):
    for assignment, data in BAD.items():
        folder = root / "typos" / assignment
        folder.mkdir(parents=True)
        (folder / "nb.ipynb").write_text(json.dumps(data))
    (root / "typos" / "01_f").mkdir()
    (root / "typos" / "01_f" / "nb.ipynb").write_text("this is { not json")
    (root / "typos" / "01_g").mkdir()
    (root / "typos" / "01_g" / "nb.ipynb").write_bytes(b'{"cells": [\x00\x00], "nbformat": 4}')


def verify(run):
    assert run.total("typos") == 0
    text = run.feedback("typos")
    assert text.count("is not a notebook") >= 4 and "not a readable notebook" in text, text[:3000]
