"""`from tutor import check` in a real Jupyter kernel and in plain Python, and the self-study
notebooks executed top to bottom (nbclient, on this interpreter through a test kernelspec)."""
from __future__ import annotations

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook

pytest.importorskip("nbclient")
pytest.importorskip("ipykernel")
from nbclient import NotebookClient  # noqa: E402

from tutor.notebook import build  # noqa: E402
from tutor.nbgrader import classkit, export  # noqa: E402
from tutor.notebook.kernel import kernel_env  # noqa: E402


@pytest.fixture(scope="module", autouse=True)
def own_cache(tmp_path_factory, monkeypatch_module):
    """The learner-side reference cache (check() uses it outside nbgrader) in a temp folder."""
    monkeypatch_module.setenv("TUTOR_CACHE_DIR", str(tmp_path_factory.mktemp("tutor-cache")))


@pytest.fixture(scope="module")
def kernel(tmp_path_factory, monkeypatch_module):
    env = kernel_env(tmp_path_factory.mktemp("jupyter"))
    monkeypatch_module.setenv("JUPYTER_PATH", env["JUPYTER_PATH"])
    if "PYTHONPATH" in env:
        monkeypatch_module.setenv("PYTHONPATH", env["PYTHONPATH"])
    return "python3"


@pytest.fixture(scope="module")
def monkeypatch_module():
    mp = pytest.MonkeyPatch()
    yield mp
    mp.undo()


def run(nb, kernel_name, allow_errors=True, cwd=None):
    nb.metadata["kernelspec"] = dict(build.KERNELSPEC)
    NotebookClient(nb, timeout=300, kernel_name=kernel_name, allow_errors=allow_errors,
                   resources={"metadata": {"path": str(cwd)}} if cwd else {}).execute()
    return nb


def kinds(cell):
    return [o.output_type for o in cell.outputs]


@pytest.mark.slow
def test_check_in_a_kernel(kernel, tmp_path):
    from tutor.course import write_secret

    course = tmp_path / "course"
    course.mkdir()
    write_secret(course)
    nb = new_notebook(cells=[
        new_code_cell("import numpy as np\nfrom tutor import check"),
        # a helper in its own cell, used by the answer: it must travel with the source
        new_code_cell("def _matmul(a, b):\n    return a @ b"),
        new_code_cell("SCALE = 1.0\n"
                      "def affine_forward(x, w, b):\n"
                      "    globals()['RAN_IN_THIS_PROCESS'] = True\n"
                      "    return SCALE * _matmul(x, w) + b, (x, w)"),
        new_code_cell("check(affine_forward)"),                                          # 3: passes
        new_code_cell("def affine_backward(dout, cache):\n    x, w = cache\n"
                      "    return dout @ w.T, x.T @ dout, dout.mean(axis=0)"),
        new_code_cell('check("layers.affine_backward", affine_backward)'),               # 5: fails
        new_code_cell('check("layers.affine_forward", hidden=True)'),                     # 6: no secret here
        new_code_cell("print('RAN_IN_THIS_PROCESS' in globals())"),                       # 7
        new_code_cell('r = check(affine_backward, raise_on_failure=False)\n'
                      'print(r.passed, r.result.diagnosis, isinstance(r.result.score, float))'),  # 8
        new_code_cell(f'import os\nos.environ["TUTOR_COURSE"] = {str(course)!r}\n'               # 9: the course's
                      'check("layers.affine_forward", hidden=True)'),
    ])
    run(nb, kernel, cwd=tmp_path)
    passed, failed, refused, hidden = nb.cells[3], nb.cells[5], nb.cells[6], nb.cells[9]
    # a pass is display_data (html + text), never an execute_result nbgrader would read as a score,
    # and nothing on stderr (nbgrader scores a test cell with stderr output 0)
    assert kinds(passed) == ["display_data"], passed.outputs
    assert "text/html" in passed.outputs[0].data and "✓ layers.affine_forward" in passed.outputs[0].data["text/plain"]
    assert kinds(failed) == ["display_data", "error"], failed.outputs
    assert failed.outputs[1].ename == "CheckFailed"
    assert "1/4 of the expected" in failed.outputs[0].data["text/plain"]
    assert "Hint 1" in failed.outputs[0].data["text/html"]
    assert len(failed.outputs[1].traceback) == 1          # the diagnosis, not tutor's stack
    # hidden tests need the course's secret: a student's kernel cannot run them
    assert kinds(refused) == ["error"] and refused.outputs[0].ename == "HiddenTestsUnavailable", refused.outputs
    assert "only when the instructor grades" in refused.outputs[0].traceback[0]
    assert kinds(hidden) == ["display_data"] and "(hidden tests)" in hidden.outputs[0].data["text/plain"]
    # the learner's function ran in the sandbox, not in the kernel
    assert nb.cells[7].outputs[0].text.strip() == "False"
    shown, printed = nb.cells[8].outputs          # shown once, even when kept in a variable
    assert shown.output_type == "display_data" and printed.text.split()[:2] == ["False", "factor"]


@pytest.mark.slow
def test_check_grades_what_the_kernel_ran(kernel, tmp_path):
    """check() replays the cells the kernel ran, in the sandbox: a dict of settings, a class, a
    computed constant, a definition under `if`, functools.partial and a lambda all work; a later
    redefinition is what a later check grades; a cell that failed is named in the report."""
    nb = new_notebook(cells=[
        new_code_cell("import numpy as np\nimport functools\nfrom tutor import check"),
        new_code_cell("%matplotlib inline\nimport matplotlib_not_installed_here"),           # 1: fails, goes on
        new_code_cell("SETTINGS = {'floor': float(0)}\nFLOOR = float(SETTINGS['floor'])"),
        new_code_cell("class Clip:\n    cache = {}\n    def __init__(self, floor):\n        self.floor = floor\n"
                      "    def __call__(self, x):\n        return np.maximum(x, self.floor)\n_clip = Clip(FLOOR)"),
        new_code_cell("relu_forward = functools.partial(lambda x, clip: (clip(x), x), clip=_clip)"),
        new_code_cell('check("activations.relu_forward")'),                                    # 5: passes
        new_code_cell("if FLOOR == 0:\n    relu_backward = lambda dout, cache: dout * (cache > FLOOR)"),
        new_code_cell('check("activations.relu_backward", relu_backward)'),                   # 7: passes
        new_code_cell("def relu_forward(x):\n    return 2 * np.maximum(x, 0), x"),             # a scratch redefinition
        new_code_cell('r = check("activations.relu_forward", raise_on_failure=False)\nprint(r.passed)'),  # 9
    ])
    run(nb, kernel, cwd=tmp_path)
    for index in (5, 7):
        assert kinds(nb.cells[index]) == ["display_data"], nb.cells[index].outputs
        text = nb.cells[index].outputs[0].data["text/plain"]
        assert text.startswith("✓"), text
        assert "code cell 2 raised ModuleNotFoundError" in text and "%matplotlib" in text, text
    assert nb.cells[9].outputs[-1].text.strip() == "False"


@pytest.mark.slow
def test_check_in_plain_python(tmp_path):
    import textwrap

    from tutor.notebook.check import CheckFailed, check

    namespace: dict = {"__name__": "__main__"}
    path = tmp_path / "learner.py"
    path.write_text(textwrap.dedent('''
        import numpy as np

        def relu_forward(x):
            return np.maximum(x, 0), x

        def relu_backward(dout, cache):
            return dout * (cache > 0) * 2
    '''))
    exec(compile(path.read_text(), str(path), "exec"), namespace)
    report = check(namespace["relu_forward"])
    assert report.passed and str(report).startswith("✓ activations.relu_forward")
    assert "<div" in report._repr_html_()
    with pytest.raises(CheckFailed) as info:
        check("activations.relu_backward", namespace["relu_backward"])
    assert isinstance(info.value, AssertionError) and "twice the expected" in str(info.value)
    with pytest.raises(ValueError, match="not an exercise"):
        check("layers.afine_forward", namespace["relu_forward"])


@pytest.mark.slow
def test_selfstudy_perceptron_runs_with_plots_and_checks(kernel, tmp_path):
    from tutor.lessons import LESSONS
    from tutor.manifest import by_id

    build.write_selfstudy(tmp_path)
    number = [l.id for l in LESSONS].index("perceptron") + 1
    nb = nbformat.read(str(tmp_path / f"{number:02d}_perceptron.ipynb"), as_version=4)
    stubs = run(nbformat.from_dict(nb), kernel, cwd=tmp_path)
    plots = [c for c in stubs.cells if "plot" in c.metadata.get("tags", [])]
    assert plots and all("image/png" in o.get("data", {}) for c in plots for o in c.outputs
                         if o.output_type == "display_data")
    checks = [c for c in stubs.cells if "check" in c.metadata.get("tags", [])]
    assert checks and all(c.outputs[-1].output_type == "error" and c.outputs[-1].ename == "CheckFailed"
                          and "NotImplementedError" in c.outputs[0].data["text/plain"] for c in checks)
    # the learner fills in every function: the notebook runs top to bottom without an error
    for cell in nb.cells:
        exercise = cell.metadata.get("tutor", {}).get("exercise")
        if exercise and "answer" in cell.metadata.get("tags", []):
            cell.source = classkit.correct_answer(by_id(exercise))
    done = run(nb, kernel, allow_errors=False, cwd=tmp_path)
    assert all(c.outputs[0].output_type == "display_data" and c.outputs[0].data["text/plain"].startswith("✓")
               for c in done.cells if "check" in c.metadata.get("tags", []))


@pytest.mark.slow
def test_selfstudy_activations_plots(kernel, tmp_path):
    nb = build.selfstudy_notebook("activations", "Activations", [])
    run(nb, kernel, allow_errors=False, cwd=tmp_path)
    images = [o for c in nb.cells if "plot" in c.metadata.get("tags", []) for o in c.outputs
              if "image/png" in o.get("data", {})]
    assert len(images) == 2


@pytest.mark.slow
def test_exported_source_notebook_runs_top_to_bottom(kernel, tmp_path):
    """An nbgrader source notebook (solutions and hidden tests) with nbclient: no error, and every
    test cell shows two passing reports (visible, hidden) and nothing on stderr. It runs inside
    the course folder (as `nbgrader validate` does), which holds the hidden tests' secret."""
    from tutor.course import write_secret

    write_secret(tmp_path)
    assignment = build.assignments()[0]
    nb = run(export.course_notebook(assignment), kernel, allow_errors=False, cwd=tmp_path)
    tests = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade")]
    assert len(tests) == len(assignment.exercises)
    for cell in tests:
        assert kinds(cell) == ["display_data", "display_data"], cell.outputs
        assert all(o.data["text/plain"].startswith("✓") for o in cell.outputs)


def test_no_reference_cache_while_nbgrader_grades(monkeypatch):
    """The engine's disk cache is for the learner's own checks: never under nbgrader."""
    from tutor.notebook import check as notebook_check

    monkeypatch.delenv("NBGRADER_EXECUTION", raising=False)
    assert notebook_check.learner_side()
    for value in ("autograde", "validate"):
        monkeypatch.setenv("NBGRADER_EXECUTION", value)
        assert not notebook_check.learner_side()
