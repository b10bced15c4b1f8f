"""The exported course with the real nbgrader, as nbgrader's own tests drive it.

One temporary course for the module: `tutor nbgrader export`, then `generate_assignment` for
every assignment (nbgrader's Python API). Then, with kernels (the venv's Python, through a
kernelspec made for the test):

- `nbgrader validate` passes on every source notebook (solutions run top to bottom and pass
  every test cell, hidden tests included) and `validate --invert` fails every release;
- one assignment end to end: a correct, a blank, a wrong and a tampered (wrong answers, test
  cells replaced) student; `nbgrader autograde`, scores read back through
  nbgrader.api.Gradebook, `generate_feedback` and `export`; and `tutor grade` on the same
  submitted/ folder with --nbgrader-db into a copy of the course gives the same verdicts,
  writes the gradebook so that `generate_feedback` and `export` work there too.
"""
from __future__ import annotations

import csv
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import numpy as np
import pytest

nbgrader = pytest.importorskip("nbgrader")
from nbgrader.api import Gradebook  # noqa: E402

from tutor.manifest import EXERCISES, by_id  # noqa: E402
from tutor.notebook import build, cells  # noqa: E402
from tutor.nbgrader import classkit, export  # noqa: E402
from tutor.notebook.kernel import kernel_env  # noqa: E402

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[1]
ASSIGNMENT = "03_training"        # three modules (backprop, layers, optim), forwards and backwards
KINDS = {"ada": "correct", "bo": "blank", "cy": "wrong", "di": "tampered"}


def _url(path: Path) -> str:
    return f"sqlite:///{path}"


def nbgrader_cli(args, course: Path, env: dict, check: bool = True) -> subprocess.CompletedProcess:
    done = subprocess.run([sys.executable, "-m", "nbgrader", *args], cwd=course, env=env,
                          capture_output=True, text=True, timeout=900)
    if check and done.returncode != 0:
        raise AssertionError(f"nbgrader {' '.join(args)} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    return done


@pytest.fixture(scope="module")
def env(tmp_path_factory) -> dict:
    return kernel_env(tmp_path_factory.mktemp("jupyter"))


@pytest.fixture(scope="module")
def course(tmp_path_factory) -> Path:
    from nbgrader.apps import NbGraderAPI
    from traitlets.config import Config

    root = tmp_path_factory.mktemp("course")
    export.export_course(root)
    config = Config()
    config.CourseDirectory.root = str(root)
    config.CourseDirectory.course_id = "tutor"
    api = NbGraderAPI(config=config)
    for assignment in build.assignments():
        result = api.generate_assignment(assignment.name)
        assert result["success"], result.get("log") or result.get("error")
    return root


def test_generate_assignment_for_every_assignment(course):
    assignments = build.assignments()
    with Gradebook(_url(course / "gradebook.db")) as gb:
        for assignment in assignments:
            release = course / "release" / assignment.name / f"{assignment.notebook}.ipynb"
            nb = nbformat.read(str(release), as_version=4)
            text = "\n".join(c.source for c in nb.cells)
            assert "BEGIN SOLUTION" not in text and "HIDDEN TESTS" not in text and "hidden=True" not in text
            for cell in nb.cells:
                role = cells.cell_role(cell)
                if role and role[0] == "answer":
                    assert cell.source.rstrip().endswith("raise NotImplementedError()")
            db_notebook = gb.find_notebook(assignment.notebook, assignment.name)
            points = {c.name: c.max_score for c in db_notebook.grade_cells}
            assert points == {cells.test_id(e.id): float(e.points) for e in assignment.exercises}
            # the released answer cells assemble into modules whose functions are all stubs
            sources, problems = cells.module_sources(nb)
            assert not problems
            for module, source in sources.items():
                namespace: dict = {}
                exec(compile(source, module, "exec"), namespace)    # trusted: our own stubs
                for exercise in assignment.exercises:
                    if exercise.module == module and not exercise.forward:
                        kwargs = exercise.cases[0].make(np.random.default_rng(0))
                        if exercise.kind == "random":
                            kwargs.setdefault("rng", np.random.default_rng(0))
                        with pytest.raises(NotImplementedError):
                            namespace[exercise.function](**kwargs)


@pytest.mark.timeout(1200)
def test_validate_source_passes_and_release_fails(course, env):
    """Every solution notebook passes all its tests; every released notebook fails all of them.
    The two runs go one after the other: kernels started side by side by two processes can
    pick the same free port (jupyter_client chooses ports before the kernel binds them)."""
    sources = sorted(str(p.relative_to(course)) for p in (course / "source").glob("*/*.ipynb"))
    releases = sorted(str(p.relative_to(course)) for p in (course / "release").glob("*/*.ipynb"))
    assert len(sources) == len(releases) == len(build.assignments())
    outs = [subprocess.run([sys.executable, "-m", "nbgrader", "validate", *args], cwd=course, env=env,
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=550).stdout
            for args in (sources, ["--invert", *releases])]
    assert outs[0].count("Success! Your notebook passes all the tests.") == len(sources), outs[0][-4000:]
    assert outs[1].count("Success! The notebook does not pass any tests.") == len(releases), outs[1][-4000:]


def _write_class(course: Path) -> dict[str, str]:
    release = course / "release" / ASSIGNMENT
    notebooks = sorted(release.glob("*.ipynb"))
    for student, kind in KINDS.items():
        folder = course / "submitted" / student / ASSIGNMENT
        folder.mkdir(parents=True, exist_ok=True)
        for path in notebooks:
            nb = nbformat.read(str(path), as_version=4)
            nbformat.write(classkit.student_notebook(nb, kind), str(folder / path.name))
        (folder / "timestamp.txt").write_text("2026-11-20 12:00:00.000000 UTC")
    return KINDS


def _assignment() -> build.Assignment:
    return next(a for a in build.assignments() if a.name == ASSIGNMENT)


def _scores(db: Path) -> dict[tuple[str, str], tuple[float, float]]:
    out = {}
    with Gradebook(_url(db)) as gb:
        for student in KINDS:
            notebook = gb.find_submission_notebook(_assignment().notebook, ASSIGNMENT, student)
            assert not notebook.needs_manual_grade
            for grade in notebook.grades:
                out[(student, grade.name)] = (grade.score, grade.max_score)
    return out


def test_read_submitted_folder(course, tmp_path):
    from tutor.classroom.submissions import read_submitted_folder

    shutil.copytree(course / "release", tmp_path / "release")
    _write_class(tmp_path)
    sources = read_submitted_folder(tmp_path / "submitted")
    assert set(sources) == set(KINDS)
    assignment = _assignment()
    modules = {e.module for e in assignment.exercises}
    for student in KINDS:
        assert set(sources[student]) == modules
    from tutor.notebook.program import run_program

    namespace, _ = run_program(sources["ada"]["layers"], "layers.affine_forward")   # trusted: the solutions
    x, w, b = np.ones((2, 3)), np.ones((3, 4)), np.zeros(4)
    assert np.array_equal(namespace["affine_forward"](x, w, b)[0], np.full((2, 4), 3.0))
    assert "_right_affine_forward" in sources["di"]["layers"]   # the tampered student's own code


@pytest.mark.timeout(1200)
def test_autograde_and_tutor_grade_agree(course, env, tmp_path):
    # two copies of the course after generate_assignment: one for nbgrader, one for tutor
    nbg, tut = tmp_path / "nbgrader-course", tmp_path / "tutor-course"
    for target in (nbg, tut):
        shutil.copytree(course, target, ignore=shutil.ignore_patterns("submitted", "autograded", "feedback"))
        _write_class(target)
    out = tmp_path / "tutor-out"
    # side by side: nbgrader autograde runs a kernel per student, tutor grade runs none
    autograde = subprocess.Popen([sys.executable, "-m", "nbgrader", "autograde", ASSIGNMENT], cwd=nbg, env=env,
                                 stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    tutor = subprocess.run([sys.executable, "-m", "tutor", "grade", str(tut / "submitted"), "--out", str(out),
                            "--nbgrader-db", str(tut / "gradebook.db"), "--jobs", "2"],
                           cwd=ROOT, env=env, capture_output=True, text=True, timeout=900)
    log = autograde.communicate(timeout=1100)[0]
    assert autograde.returncode == 0, log[-4000:]
    assert tutor.returncode == 0, tutor.stdout + tutor.stderr
    assert "4 submission(s) written" in tutor.stdout

    assignment = _assignment()
    ids = [cells.test_id(e.id) for e in assignment.exercises]
    nbgrader_scores = _scores(nbg / "gradebook.db")
    tutor_scores = _scores(tut / "gradebook.db")
    for student, kind in KINDS.items():
        for grade_id, exercise in zip(ids, assignment.exercises):
            score, max_score = nbgrader_scores[(student, grade_id)]
            assert max_score == exercise.points
            assert score == (exercise.points if kind == "correct" else 0), (student, kind, grade_id, score)
            # the same verdict from tutor (tutor's score is the share of cases passed)
            t_score, t_max = tutor_scores[(student, grade_id)]
            assert t_max == max_score and (t_score == t_max) == (score == max_score), (student, grade_id)

    # tutor's own grades.csv says the same
    with open(out / "grades.csv", newline="") as f:
        rows = {(r["student"], r["exercise"]): r for r in csv.DictReader(f)}
    for student, kind in KINDS.items():
        for exercise in assignment.exercises:
            row = rows[(student, exercise.id)]
            assert (float(row["score"]) == float(row["max_score"])) == (kind == "correct")

    # the tampered student's autograded notebooks have the real test cells back, in both
    for course_copy in (nbg, tut):
        nb = nbformat.read(str(course_copy / "autograded" / "di" / ASSIGNMENT / f"{assignment.notebook}.ipynb"), 4)
        tests = [c for c in nb.cells if (cells.cell_role(c) or ("",))[0] == "test"]
        assert len(tests) == len(assignment.exercises)
        assert all("check(" in c.source and "print(" not in c.source for c in tests)
    # tutor's autograded notebook shows the diagnosis where the test cell's output goes
    nb = nbformat.read(str(tut / "autograded" / "cy" / ASSIGNMENT / f"{assignment.notebook}.ipynb"), 4)
    shown = "\n".join(o.get("data", {}).get("text/plain", "") for c in nb.cells for o in c.get("outputs", []))
    assert "twice the expected" in shown

    for course_copy in (nbg, tut):
        nbgrader_cli(["generate_feedback", ASSIGNMENT], course_copy, env)
        nbgrader_cli(["export"], course_copy, env)
        for student in KINDS:
            assert (course_copy / "feedback" / student / ASSIGNMENT / f"{assignment.notebook}.html").is_file()
        with open(course_copy / "grades.csv", newline="") as f:
            exported = {(r["student_id"], r["assignment"]): float(r["score"]) for r in csv.DictReader(f)}
        assert exported[("ada", ASSIGNMENT)] == assignment.points
        assert exported[("bo", ASSIGNMENT)] == exported[("di", ASSIGNMENT)] == 0
    feedback = (tut / "feedback" / "cy" / ASSIGNMENT / f"{assignment.notebook}.html").read_text()
    assert "twice the expected" in feedback


LATE_ASSIGNMENT = "01_perceptron"
LATE_CONFIG = ("\nc.LateSubmissionPlugin.penalty_method = 'zero'\n"
               "c.CourseDirectory.autograded_directory = 'autograded-term1'\n")
SUBMITTED_AT = {"ontime": "2026-11-19 12:00:00.000000 UTC", "late": "2026-11-20 12:00:00.000000 UTC",
                "partly": "2026-11-21 08:30:00.000000 UTC"}


def _late_class(course: Path) -> None:
    """Due 2026-11-20 00:00 UTC with nbgrader's 'zero' policy: a correct student on time, a correct
    one 12 h late, a half-right one late; autograded/ renamed in the course's config."""
    with open(course / "nbgrader_config.py", "a") as f:
        f.write(LATE_CONFIG)
    with Gradebook(_url(course / "gradebook.db")) as gb:
        gb.update_or_create_assignment(LATE_ASSIGNMENT, duedate="2026-11-20 00:00:00 UTC")
    release = sorted((course / "release" / LATE_ASSIGNMENT).glob("*.ipynb"))
    for student, when in SUBMITTED_AT.items():
        folder = course / "submitted" / student / LATE_ASSIGNMENT
        folder.mkdir(parents=True, exist_ok=True)
        kind = "half" if student == "partly" else "correct"
        for path in release:
            nb = nbformat.read(str(path), as_version=4)
            nbformat.write(classkit.student_notebook(nb, kind), str(folder / path.name))
        (folder / "timestamp.txt").write_text(when)


def _late_scores(db: Path, notebook: str) -> dict[str, tuple]:
    with Gradebook(_url(db)) as gb:
        out = {}
        for student in SUBMITTED_AT:
            submission = gb.find_submission(LATE_ASSIGNMENT, student)
            nb = gb.find_submission_notebook(notebook, LATE_ASSIGNMENT, student)
            final = submission.score - (submission.late_submission_penalty or 0)   # what nbgrader export reports
            out[student] = (submission.total_seconds_late, nb.late_submission_penalty, nb.score, final)
    return out


@pytest.mark.timeout(1200)
def test_a_late_submission_is_charged_as_autograde_charges_it(course, env, tmp_path):
    nbg, tut = tmp_path / "nbgrader-course", tmp_path / "tutor-course"
    for target in (nbg, tut):
        shutil.copytree(course, target, ignore=shutil.ignore_patterns("submitted", "autograded", "feedback"))
        _late_class(target)
    nbgrader_cli(["autograde", LATE_ASSIGNMENT], nbg, env)
    out = tmp_path / "tutor-out"
    tutor = subprocess.run([sys.executable, "-m", "tutor", "grade", str(tut / "submitted"), "--out", str(out),
                            "--nbgrader-db", str(tut / "gradebook.db"), "--jobs", "2"],
                           cwd=ROOT, env=env, capture_output=True, text=True, timeout=900)
    assert tutor.returncode == 0, tutor.stdout + tutor.stderr
    notebook = next(a for a in build.assignments() if a.name == LATE_ASSIGNMENT).notebook
    expected, got = _late_scores(nbg / "gradebook.db", notebook), _late_scores(tut / "gradebook.db", notebook)
    assert expected["ontime"][:2] == (0, None) and expected["late"][0] == 12 * 3600
    assert expected["late"][1] == expected["late"][2] > 0 and expected["late"][3] == 0    # 'zero': penalty = score
    for student in SUBMITTED_AT:   # the same lateness, the same rule: penalty = the notebook's own score
        late, penalty, score, final = got[student]
        e_late, e_penalty, e_score, e_final = expected[student]
        assert late == e_late, (student, got, expected)
        if student == "ontime":
            assert penalty is None and final == e_final == score == e_score > 0, (got, expected)
        else:
            assert penalty == score and e_penalty == e_score and final == e_final == 0, (student, got, expected)
    # autograded/ follows the course's configuration, in both
    for course_copy in (nbg, tut):
        assert (course_copy / "autograded-term1" / "late" / LATE_ASSIGNMENT / f"{notebook}.ipynb").is_file()
        assert not (course_copy / "autograded").exists()
    # tutor's own outputs say the same, with nbgrader's policy named
    with open(out / "totals.csv", newline="") as f:
        totals = {r["student"]: r for r in csv.DictReader(f)}
    assert totals["late"]["status"] == "late" and float(totals["late"]["final"]) == 0
    assert totals["ontime"]["status"] == "graded" and float(totals["ontime"]["final"]) == float(totals["ontime"]["max_score"])
    feedback = (out / "feedback" / "late.md").read_text(encoding="utf-8")
    assert "12 h late" in feedback and "a late submission scores 0 (nbgrader_config.py" in feedback


def test_sync_check_refuses_what_is_not_a_gradebook(tmp_path, course):
    from tutor.nbgrader import sync as nbgrader_sync

    assert "no such file" in nbgrader_sync.check(tmp_path / "missing.db")
    (tmp_path / "junk.db").write_text("not sqlite")
    assert "not an nbgrader gradebook" in nbgrader_sync.check(tmp_path / "junk.db")
    with Gradebook(_url(tmp_path / "empty.db")):
        pass
    assert "no assignments" in nbgrader_sync.check(tmp_path / "empty.db")
    assert nbgrader_sync.check(course / "gradebook.db") is None


# --- notebooks in unusual but correct styles: tutor grade gives autograde's verdicts ------------

STYLES = {"ed": "unusual but correct", "fay": "plots and scratch", "gus": "broken in places"}


def _stream(text: str):
    return nbformat.v4.new_output("stream", name="stdout", text=text)


def _styled(release_nb, style: str):
    """A student notebook from the release: every answer right, written unusually."""
    nb = classkit.student_notebook(release_nb, "correct")
    code = nbformat.v4.new_code_cell
    new = []
    for cell in nb.cells:
        role = cells.cell_role(cell)
        if role and role[0] == "answer" and style == "ed":
            # a computed constant, the definition under `if`, an output from an earlier run
            cell.source = "if THRESHOLD == 0:\n" + "\n".join("    " + l for l in cell.source.splitlines())
            cell.outputs = [_stream("an output from the student's own run\n")]
        if role == ("answer", "optim.sgd_step") and style == "ed":
            # a helper in its own cell, a class as a cache, functools.partial
            new.append(code("class _Rates:\n    cache = {}\n    @classmethod\n    def get(cls, lr):\n"
                            "        return cls.cache.setdefault(lr, float(lr))"))
            new.append(code("def _update(w, dw, lr, sign):\n    return w + sign * _Rates.get(lr) * dw"))
            cell.source = "import functools\nsgd_step = functools.partial(_update, sign=-1.0)"
        if role == ("answer", "layers.affine_backward") and style == "gus":
            cell.source = "import scipy_is_not_installed_anywhere\n" + cell.source     # the cell fails
        if role == ("test", "layers.affine_forward") and style == "gus":
            # a wrong redefinition *before* the test cell: that is what the test cell sees
            new.append(code("def affine_forward(x, w, b):\n    return 2 * (x.reshape(len(x), -1) @ w + b), (x, w, b)"))
        new.append(cell)
        if cells.cell_role(cell) == ("answer", "backprop.two_layer_forward") and style == "fay":
            new.append(code("import matplotlib.pyplot as plt\nxs = np.linspace(-3, 3, 7)\n"
                            "plt.plot(xs, np.tanh(xs))\nplt.close('all')\nPLOTTED = True"))
        if role and role[0] == "test" and style == "gus" and role[1] == "optim.sgd_step":
            new.append(code("raise ValueError('a scratch cell that fails; the run goes on')"))
    if style == "ed":
        new.insert(1, code("THRESHOLD = float(0)\nprint(THRESHOLD)", outputs=[_stream("0.0\n")]))
    if style in ("ed", "fay"):
        # scratch at the end: redefinitions after every test cell change no grade
        new.append(code("def affine_forward(x, w, b):\n    raise RuntimeError('scratch')\n"
                        "sgd_step = lambda w, dw, lr: w"))
    if style == "fay":
        new.insert(2, code("%matplotlib inline\n!echo shell lines do not run in the sandbox"))
    nb.cells = new
    return nb


@pytest.mark.timeout(1200)
def test_unusual_styles_get_autogrades_verdicts(course, env, tmp_path):
    """Real `nbgrader autograde` and `tutor grade` on notebooks in unusual styles: the same verdict
    on every test cell, and tutor's feedback names the cells that failed or were not run."""
    nbg, tut = tmp_path / "nbgrader-course", tmp_path / "tutor-course"
    release = nbformat.read(str(course / "release" / ASSIGNMENT / f"{_assignment().notebook}.ipynb"), 4)
    for target in (nbg, tut):
        shutil.copytree(course, target, ignore=shutil.ignore_patterns("submitted", "autograded", "feedback"))
        for student, style in STYLES.items():
            folder = target / "submitted" / student / ASSIGNMENT
            folder.mkdir(parents=True)
            nbformat.write(_styled(release, student), str(folder / f"{_assignment().notebook}.ipynb"))
            (folder / "timestamp.txt").write_text("2026-11-20 12:00:00.000000 UTC")
    nbgrader_cli(["autograde", ASSIGNMENT], nbg, env)
    out = tmp_path / "tutor-out"
    done = subprocess.run([sys.executable, "-m", "tutor", "grade", str(tut / "submitted"), "--out", str(out),
                           "--jobs", "2"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stdout + done.stderr

    with Gradebook(_url(nbg / "gradebook.db")) as gb:
        autograde = {(s, g.name): g.score == g.max_score for s in STYLES
                     for g in gb.find_submission_notebook(_assignment().notebook, ASSIGNMENT, s).grades}
    with open(out / "grades.csv", newline="") as f:
        tutor = {(r["student"], cells.test_id(r["exercise"])): float(r["score"]) == float(r["max_score"])
                 for r in csv.DictReader(f) if r["score"]}
    assert autograde == {key: tutor[key] for key in autograde}
    # the styles are right where they should be, and the broken student fails where it is broken
    assert all(autograde[(s, g)] for s in ("ed", "fay") for (_, g) in [k for k in autograde if k[0] == s])
    failing = {g for (s, g), ok in autograde.items() if s == "gus" and not ok}
    assert failing == {cells.test_id("layers.affine_forward"), cells.test_id("layers.affine_backward")}

    import json
    import sqlite3

    con = sqlite3.connect(out / "gradebook.sqlite")
    try:
        details = {(s, e): [m] + json.loads(d)
                   for s, e, m, d in con.execute("SELECT student, exercise, message, details FROM results")}
    finally:
        con.close()
    fay = " ".join(details[("fay", "optim.sgd_step")])
    assert "%matplotlib inline" in fay and "matplotlib is not in the sandbox" in fay, fay
    gus = " ".join(details[("gus", "layers.affine_backward")])
    assert "raised ModuleNotFoundError" in gus and "scipy_is_not_installed_anywhere" in gus, gus
    assert "is not defined when the notebook reaches the test cell" in gus, gus
