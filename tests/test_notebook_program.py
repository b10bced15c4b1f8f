"""tutor.notebook.program: a notebook's code cells as a program that runs them as a kernel does
(in order, one namespace, a failing cell reported and the run going on), each exercise at its
test cell. Run here with run_program on trusted cells; the sandboxed runs are in
test_nbgrader_reader.py, test_nbgrader.py (against real autograde) and test_notebook_check.py."""
from __future__ import annotations

import nbformat
from hypothesis import given, settings
from hypothesis import strategies as st
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from tutor.notebook import build, cells
from tutor.notebook.program import (kernel_program, module_programs, notebook_cells, python_of,
                                    run_program)


def _answer(exercise_id: str, source: str):
    return new_code_cell(source, metadata=build.cell_meta(cells.answer_id(exercise_id), solution=True))


def _test(exercise_id: str):
    return new_code_cell(f'check("{exercise_id}")',
                         metadata=build.cell_meta(cells.test_id(exercise_id), grade=True, locked=True, points=1))


def _notebook(*cell_list):
    return new_notebook(cells=list(cell_list))


def test_each_exercise_sees_the_namespace_at_its_test_cell():
    nb = _notebook(
        new_code_cell("import numpy as np\nfrom tutor import check"),
        new_code_cell("THRESHOLD = float(0)\nSETTINGS = {'scale': 2}"),
        _answer("activations.relu_forward", "if THRESHOLD == 0:\n    def relu_forward(x):\n        return x, x"),
        _test("activations.relu_forward"),
        new_markdown_cell("scratch below"),
        new_code_cell("def relu_forward(x):\n    return 'redefined later', x"),
        _answer("activations.relu_backward", "relu_backward = lambda dout, cache: SETTINGS['scale'] * dout"),
        _test("activations.relu_backward"),
    )
    sources, warnings = module_programs([("01/act.ipynb", nb)])
    assert list(sources) == ["activations"] and warnings == []
    first, notes = run_program(sources["activations"], "activations.relu_forward")
    assert first["relu_forward"](1.0) == (1.0, 1.0) and "relu_backward" not in first and notes == []
    later, _ = run_program(sources["activations"], "activations.relu_backward")
    assert later["relu_forward"](1.0)[0] == "redefined later"
    assert later["relu_backward"](3.0, None) == 6


def test_a_failing_cell_is_reported_and_the_run_goes_on():
    nb = _notebook(
        new_code_cell("import numpy as np\nfrom tutor import check\ncheck.configure(hints=False)"),
        new_code_cell("x = 1\nraise ValueError('boom')\nx = 2"),
        new_code_cell("import matplotlib.pyplot as plt\nplt.plot([1], [2])\nAFTER_PLOT = True"),
        new_code_cell("%%bash\necho not python"),
        new_code_cell("%%time\nTIMED = True"),
        _answer("activations.relu_forward", "def relu_forward(x):\n    return x, x\n!pip install nothing"),
        _test("activations.relu_forward"),
    )
    sources, _ = module_programs([("a.ipynb", nb)])
    namespace, notes = run_program(sources["activations"], "activations.relu_forward")
    assert namespace["x"] == 1 and namespace["TIMED"] and "relu_forward" in namespace
    text = "\n".join(notes)
    assert "a.ipynb, code cell 2 raised ValueError: boom; the run went on" in text
    # a display-only library the sandbox may lack is a stand-in: the rest of its cell runs
    assert namespace["AFTER_PLOT"] is True
    assert "code cell 4: the cell magic %%bash is not Python" in text
    # a second position of the same notebook reports the stand-in again
    sources, _ = module_programs([("a.ipynb", _notebook(*nb.cells, _test("activations.relu_backward")))])
    for exercise in ("activations.relu_forward", "activations.relu_backward"):
        _, notes = run_program(sources["activations"], exercise)
        assert any("matplotlib is not in the sandbox" in n for n in notes) or _has_matplotlib(), notes
    assert "code cell 6: IPython magic or shell command not run in the sandbox (line 3 `!pip install nothing`)" in text


def _has_matplotlib() -> bool:
    import importlib.util

    return importlib.util.find_spec("matplotlib") is not None


def test_syntax_errors_are_warnings_and_runtime_notes():
    nb = _notebook(_answer("activations.relu_forward", "def relu_forward(x):\n    return x @@ x"),
                   _test("activations.relu_forward"))
    sources, warnings = module_programs([("a.ipynb", nb)])
    assert len(warnings) == 1 and "activations.relu_forward does not compile (SyntaxError on line 2" in warnings[0]
    namespace, notes = run_program(sources["activations"], "activations.relu_forward")
    assert "relu_forward" not in namespace and "raised SyntaxError" in notes[0]


def test_exercise_without_test_cell_is_graded_after_the_last_cell():
    nb = _notebook(_answer("activations.relu_forward", "def relu_forward(x):\n    return x, x"),
                   new_code_cell("LATE = 1"))
    sources, _ = module_programs([("a.ipynb", nb)])
    namespace, _ = run_program(sources["activations"], "activations.relu_forward")
    assert namespace["LATE"] == 1
    assert run_program(sources["activations"], "layers.affine_forward") == (None, [])


def test_each_notebook_is_its_own_kernel():
    one = _notebook(new_code_cell("SHARED = 'one'"), _answer("layers.affine_forward", "def affine_forward(x, w, b):\n    return SHARED, None"),
                    _test("layers.affine_forward"))
    two = _notebook(_answer("layers.mse_loss", "def mse_loss(pred, y):\n    return globals().get('SHARED', 'none')"),
                    _test("layers.mse_loss"))
    sources, _ = module_programs([("one.ipynb", one), ("two.ipynb", two)])
    assert run_program(sources["layers"], "layers.affine_forward")[0]["affine_forward"](0, 0, 0)[0] == "one"
    assert run_program(sources["layers"], "layers.mse_loss")[0]["mse_loss"](0, 0) == "none"


def test_test_cells_are_not_run():
    _, at, _ = notebook_cells(_notebook(new_code_cell("a = 1"), _test("layers.affine_forward"), new_code_cell("b = 2")))
    assert at == {"layers.affine_forward": 1}


def test_kernel_program_replays_cells_and_aliases():
    sources = kernel_program(["import functools\nfrom tutor import check", "def _f(x, k):\n    return x * k, x",
                              "mine = functools.partial(_f, k=1.0)", "check(mine)"],
                             "activations.relu_forward", alias="relu_forward = mine")
    namespace, notes = run_program(sources["activations"], "activations.relu_forward")
    assert namespace["relu_forward"](2.0) == (2.0, 2.0) and notes == []


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(alphabet="%!ab =\n#'\"()", max_size=30), max_size=6))
def test_python_of_keeps_line_numbers(lines):
    source = "\n".join(lines)
    python, note = python_of(source)
    if not source.lstrip().startswith("%%"):
        assert len(python.split("\n")) == max(len(source.splitlines()), 1)
        assert (note is None) == (python == "\n".join(source.splitlines()))


def test_program_is_data_not_code():
    """A cell's text cannot break out of the program: it is a string literal there."""
    evil = '"""\nimport os\nos.environ["PWNED"] = "1"\n"""\'\'\'\n'
    sources, _ = module_programs([("a.ipynb", _notebook(_answer("layers.affine_forward", evil)))])
    import os

    module: dict = {"__name__": "x", "__file__": "/nonexistent/x.py"}
    exec(compile(sources["layers"], "<program>", "exec"), module)   # importing runs no cell
    assert "PWNED" not in os.environ
    nbformat.validate(_notebook(_answer("layers.affine_forward", evil)))


def test_a_program_over_the_graders_limit_is_a_warning():
    big = "DATA = " + repr("x" * (1 << 20))
    nb = _notebook(new_code_cell(big), _answer("layers.affine_forward", "def affine_forward(x, w, b):\n    return x, x"))
    _, warnings = module_programs([("a.ipynb", nb)])
    assert any("over the grader's 1 MB limit" in w and "layers" in w for w in warnings), warnings


def test_run_program_leaves_this_process_as_it_was():
    import sys

    import tutor

    finders = list(sys.meta_path)
    nb = _notebook(new_code_cell("from tutor import check"), _answer("layers.affine_forward", "x = 1"),
                   _test("layers.affine_forward"))
    sources, _ = module_programs([("a.ipynb", nb)])
    namespace, notes = run_program(sources["layers"], "layers.affine_forward")
    assert namespace["check"]("anything") is None and notes == []    # the stand-in, in the program
    assert sys.modules["tutor"] is tutor and sys.meta_path == finders
