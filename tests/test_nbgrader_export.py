"""The notebooks tutor writes: the nbgrader course's source notebooks and the self-study ones.

Fast tests (no kernel, no grader): structure, nbgrader metadata, and that the answer cells
assemble back into modules that behave exactly like solutions/.
"""
from __future__ import annotations

import importlib
import json
import subprocess
import sys
from pathlib import Path

import nbformat
import numpy as np
import pytest

from tutor.manifest import EXERCISES
from tutor.notebook import build, cells
from tutor.nbgrader import export
from tutor.notebook.sources import function_parts

nbgrader = pytest.importorskip("nbgrader")
from nbgrader.nbgraderformat import MetadataValidator  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def course(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("course")
    export.export_course(root)
    return root


def _notebooks(course: Path) -> list[Path]:
    return sorted((course / "source").glob("*/*.ipynb"))


def test_export_covers_the_syllabus(course):
    assignments = build.assignments()
    paths = _notebooks(course)
    assert [p.parent.name for p in paths] == [a.name for a in assignments]
    assert (course / "nbgrader_config.py").is_file()
    seen: dict[str, int] = {}
    for path in paths:
        nb = nbformat.read(str(path), as_version=4)
        MetadataValidator().validate_nb(nb)          # schema 3, unique grade ids, points on grade cells
        assert nb.cells[0].cell_type == "markdown" and nb.cells[0].source.startswith("# ")
        for cell in nb.cells:
            meta = cell.metadata.get("nbgrader")
            if not meta:
                continue
            assert meta["schema_version"] == 3
            role = cells.cell_role(cell)
            if role and role[0] == "test":
                assert meta["grade"] and meta["locked"] and not meta["solution"]
                assert cell.metadata["editable"] is False and cell.metadata["deletable"] is False
                seen[role[1]] = meta["points"]
                assert "### BEGIN HIDDEN TESTS" in cell.source and "### END HIDDEN TESTS" in cell.source
                assert f'check("{role[1]}"' in cell.source
            elif role and role[0] == "answer":
                assert meta["solution"] and not meta["grade"] and not meta["locked"]
                assert "### BEGIN SOLUTION" in cell.source and "### END SOLUTION" in cell.source
            else:
                assert meta["grade_id"].startswith("setup-") and meta["locked"]
    assert seen == {e.id: e.points for e in EXERCISES}


def test_lessons_group_forward_and_backward(course):
    """Every backward's forward is in the same notebook, so each notebook grades on its own."""
    for assignment in build.assignments():
        ids = {e.id for e in assignment.exercises}
        for exercise in assignment.exercises:
            if exercise.forward:
                assert exercise.forward in ids, (exercise.id, assignment.name)


def _call(fn, kwargs):
    return fn(**{k: (v.copy() if isinstance(v, np.ndarray) else v) for k, v in kwargs.items()})


def _same(a, b):
    if isinstance(a, tuple) or isinstance(b, tuple):
        assert isinstance(a, tuple) and isinstance(b, tuple) and len(a) == len(b)
        for x, y in zip(a, b):
            _same(x, y)
    elif isinstance(a, (np.ndarray, float, int, np.floating, np.integer)):
        np.testing.assert_allclose(np.asarray(a, dtype=float), np.asarray(b, dtype=float), rtol=0, atol=0)


def test_answer_cells_assemble_into_the_solutions(course):
    """Parse each source notebook as `tutor grade` does; the modules behave like solutions/."""
    for path in _notebooks(course):
        nb = nbformat.read(str(path), as_version=4)
        sources, problems = cells.module_sources(nb)
        assert not problems
        for module, text in sources.items():
            namespace: dict = {"__name__": f"assembled_{module}"}
            exec(compile(text, f"<{path.name}:{module}>", "exec"), namespace)   # trusted: our solutions
            solution = importlib.import_module(f"tutor.solutions.{module}")
            for exercise in [e for e in EXERCISES if e.module == module and f"answer-{module}-{e.function}"
                             in {c.metadata.get('nbgrader', {}).get('grade_id') for c in nb.cells}]:
                for case in exercise.cases:
                    kwargs = case.make(np.random.default_rng(0))
                    if exercise.kind == "random" or "rng" in kwargs:
                        kwargs["rng"] = None   # replaced below by one fresh stream per side
                    mine_fn = namespace[exercise.function]
                    ref_fn = getattr(solution, exercise.function)
                    if exercise.forward:
                        fname = exercise.forward.split(".")[1]
                        mine_out, mine_cache = _call(namespace[fname], _stream(kwargs))
                        ref_out, ref_cache = _call(getattr(solution, fname), _stream(kwargs))
                        dout = np.random.default_rng(1).standard_normal(np.shape(ref_out))
                        _same(mine_fn(dout, mine_cache), ref_fn(dout, ref_cache))
                    else:
                        _same(_call(mine_fn, _stream(kwargs)), _call(ref_fn, _stream(kwargs)))


def _stream(kwargs):
    return dict(kwargs, rng=np.random.default_rng(7)) if "rng" in kwargs else kwargs


def test_stub_is_the_exercise_stub():
    """The answer cell's released form is the exercises/ stub: signature, docstring, raise."""
    for exercise in EXERCISES:
        parts = function_parts(exercise)
        stub = importlib.import_module(f"tutor.exercises.{exercise.module}")
        namespace: dict = {"np": np}
        exec(parts.stub, namespace)
        fn = namespace[exercise.function]
        assert fn.__doc__ == getattr(stub, exercise.function).__doc__
        kwargs = exercise.cases[0].make(np.random.default_rng(0)) if exercise.cases else {}
        if exercise.kind == "random":
            kwargs.setdefault("rng", np.random.default_rng(0))
        if not exercise.forward:
            with pytest.raises(NotImplementedError):
                fn(**kwargs)


def test_export_refuses_to_overwrite(tmp_path, capsys):
    from tutor.cli import main

    assert main(["nbgrader", "export", str(tmp_path)]) == 0
    assert "nbgrader generate_assignment" in capsys.readouterr().out
    target = _notebooks(tmp_path)[0]
    target.write_text(target.read_text().replace("How this notebook works", "Teacher's edit"))
    (tmp_path / "nbgrader_config.py").write_text("c = get_config()\n# mine\n")
    assert main(["nbgrader", "export", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert "already exist" in err and "--force" in err and "Nothing was written" in err
    assert "Teacher's edit" in target.read_text()          # nothing written
    assert main(["nbgrader", "export", str(tmp_path), "--force"]) == 0
    assert "Teacher's edit" not in target.read_text()
    assert "# mine" in (tmp_path / "nbgrader_config.py").read_text()   # the teacher's config is kept


def test_definitions_keep_code_and_drop_scratch():
    text = "\n".join([
        "%matplotlib inline",
        "import math",
        "EPS = 1e-8",
        "SCALE = np.sqrt(2.0)",
        "x = np.random.randn(3, 4)",
        "out = affine_forward(x, w, b)",
        "def affine_forward(x, w, b):",
        "    return x @ w + b, (x, w)",
        "print(out)",
    ])
    defs, problem = cells.definitions(text)
    assert problem is None
    assert "def affine_forward" in defs and "import math" in defs and "EPS = 1e-8" in defs
    assert "SCALE = np.sqrt(2.0)" in defs and "randn" not in defs       # np.random.randn: not np.<fn>
    assert "print(out)" not in defs and "out = affine_forward" not in defs
    compile(defs, "<defs>", "exec")
    broken, problem = cells.definitions("def f(:\n    pass")
    assert broken == "" and "SyntaxError" in problem


def test_grade_ids_round_trip():
    for exercise in EXERCISES:
        assert cells.parse_grade_id(cells.answer_id(exercise.id)) == ("answer", exercise.id)
        assert cells.parse_grade_id(cells.test_id(exercise.id)) == ("test", exercise.id)
    assert cells.parse_grade_id("cell-1234") is None
    assert cells.parse_grade_id("answer-layers") is None


def test_selfstudy_notebooks(tmp_path):
    paths = build.write_selfstudy(tmp_path)
    from tutor.lessons import LESSONS

    assert len(paths) == len(LESSONS)
    by_lesson = {p.stem.split("_", 1)[1]: nbformat.read(str(p), as_version=4) for p in paths}
    for lesson in LESSONS:
        nb = by_lesson[lesson.id]
        text = "\n".join(c.source for c in nb.cells)
        for exercise in [e for e in EXERCISES if e.lesson == lesson.id]:
            assert f'check("{exercise.id}", {exercise.function})' in text
            assert "### BEGIN SOLUTION" not in text
    plots = {lid: [c for c in nb.cells if "plot" in c.metadata.get("tags", [])] for lid, nb in by_lesson.items()}
    assert plots["perceptron"] and len(plots["activations"]) == 2 and plots["training"] and plots["momentum"]
    assert len(plots["practice"]) == 2 and len(plots["deeper"]) == 2 and plots["unsupervised"] and plots["losses"]
    with pytest.raises(build.ExportRefused):
        build.write_selfstudy(tmp_path)
    build.write_selfstudy(tmp_path, force=True)


def test_notebooks_cli_refuses_without_force(tmp_path, capsys):
    from tutor.cli import main

    assert main(["notebooks", str(tmp_path)]) == 0
    assert main(["notebooks", str(tmp_path)]) == 1
    assert "--force" in capsys.readouterr().err
    assert main(["notebooks", str(tmp_path), "--force"]) == 0


def test_import_tutor_stays_light():
    code = ("import sys, tutor; assert callable(tutor.__getattr__); "
            "print(json.dumps(sorted(m for m in ('torch', 'nbgrader', 'nbformat', 'IPython') if m in sys.modules)))")
    out = subprocess.run([sys.executable, "-c", "import json; " + code], capture_output=True, text=True, cwd=ROOT)
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout) == []
