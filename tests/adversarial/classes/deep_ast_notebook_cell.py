"""An answer cell whose expression is nested deeply enough for ast.parse to raise MemoryError or
RecursionError on the trusted side (a notebook is parsed, never run, before grading)."""
import json

STUDENTS = ["deepcell"]


def _cell(grade_id, source):
    return {"cell_type": "code", "execution_count": None, "outputs": [], "source": source,
            "metadata": {"nbgrader": {"grade_id": grade_id, "solution": True, "grade": False,
                                      "locked": False, "schema_version": 3}}}


def plant(root, kit):
    folder = root / "deepcell" / "01_perceptron"
    folder.mkdir(parents=True)
    cells = [_cell("answer-perceptron-step", "x = " + "-" * 100_000 + "1"),
             _cell("answer-perceptron-sigmoid_neuron", "x = " + "1+" * 90_000 + "1"),
             _cell("answer-perceptron-perceptron_predict", "x = " + "(" * 5000 + ")" * 5000)]
    nb = {"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    (folder / "perceptron.ipynb").write_text(json.dumps(nb))


def verify(run):
    assert run.total("deepcell") == 0
    text = run.feedback("deepcell")
    assert "nested too deeply" in text or "too many nested" in text or "SyntaxError" in text, text[:2000]
