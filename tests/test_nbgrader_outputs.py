"""The outputs of a tutor test cell in autograded/ (tutor/nbgrader/outputs.py): valid nbformat
outputs, the verdict as nbgrader reads it (an error for 0, the exact score for partial credit, nothing
more for full marks or no grade) and the student's text escaped in the HTML."""
from __future__ import annotations

import pytest

nbformat = pytest.importorskip("nbformat")

from nbgrader.utils import determine_grade  # noqa: E402

from tutor.nbgrader.outputs import graded_cell_outputs  # noqa: E402

RESULT = {"message": "wrong shape", "details": ["<script>alert(1)</script> & more"]}


def _cell(outputs, points: float):
    return nbformat.v4.new_code_cell("check(x)", outputs=outputs, metadata={
        "nbgrader": {"grade": True, "solution": False, "grade_id": "test-layers-affine_forward", "points": points,
                     "schema_version": 3}})


@pytest.mark.parametrize("score, kinds, graded", [
    (2.0, ["display_data"], 2.0),
    (0.0, ["display_data", "error"], 0.0),
    (2 / 3, ["display_data", "execute_result"], 2 / 3),
    (None, ["display_data"], 2.0),   # no verdict: the sync marks the cell for manual grading itself
])
def test_outputs_are_valid_and_read_by_nbgrader_as_the_score(score, kinds, graded):
    outputs = graded_cell_outputs("layers.affine_forward", score, 2.0, RESULT)
    assert [o.output_type for o in outputs] == kinds
    for output in outputs:
        nbformat.v4.nbbase.validate(output, output.output_type)   # the check nbformat.v4.new_output makes
    cell = _cell(outputs, 2.0)
    nbformat.validate(nbformat.v4.new_notebook(cells=[cell]))
    assert determine_grade(cell)[0] == graded


def test_the_students_text_is_escaped_in_html_and_kept_in_text():
    shown = graded_cell_outputs("layers.affine_forward", 0.0, 2.0, RESULT)[0].data
    assert "<script>" not in shown["text/html"] and "&lt;script&gt;" in shown["text/html"]
    assert "<script>alert(1)</script> & more" in shown["text/plain"] and "0/2" in shown["text/plain"]
