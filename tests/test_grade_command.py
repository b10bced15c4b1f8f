"""`tutor grade` end to end, as an instructor runs it: a real process on a messy class folder,
then every kind of bad input, each with a clear message and exit status 2 and nothing lost."""
from __future__ import annotations

import csv
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tutor.manifest import EXERCISES

ROOT = Path(__file__).resolve().parents[1]
SOLUTIONS = ROOT / "solutions"
STUBS = ROOT / "exercises"
MODULES = list(dict.fromkeys(e.module for e in EXERCISES))
HEADER = ["student", "exercise", "score", "max_score", "assignment"]   # the assignment: "all" here
TOTAL = sum(e.points for e in EXERCISES)


def tutor_grade(*args, timeout: float = 240) -> subprocess.CompletedProcess:
    # The grader version is pinned: others edit the engine in this checkout while tests run.
    env = dict(os.environ, COLUMNS="200", PYTHONIOENCODING="utf-8", TUTOR_GRADER_VERSION="test-pinned")
    return subprocess.run([sys.executable, "-m", "tutor", "grade", *map(str, args)], capture_output=True,
                          text=True, timeout=timeout, env=env, cwd=ROOT)


def copy_solutions(folder: Path, modules=MODULES) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for module in modules:
        shutil.copy(SOLUTIONS / f"{module}.py", folder / f"{module}.py")


def read_csv(path: Path) -> list[list[str]]:
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.reader(f))


def scores(rows: list[list[str]], student: str) -> dict[str, float]:
    return {r[1]: float(r[2]) for r in rows[1:] if r[0] == student}


def clean_exit(result: subprocess.CompletedProcess) -> str:
    text = result.stdout + result.stderr
    assert "Traceback" not in text, text
    return text


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """One messy class, graded once: (class folder, out folder, the process)."""
    base = tmp_path_factory.mktemp("grade")
    root = base / "class"
    copy_solutions(root / "ada")                                      # everything right
    copy_solutions(root / "bob", ["perceptron"])                      # most files missing
    copy_solutions(root / "cyd")
    (root / "cyd" / "layers.py").write_text("def affine_forward(x, w, b)\n    return x @ w + b\n")
    shutil.copy(STUBS / "optim.py", root / "cyd" / "optim.py")       # still NotImplementedError
    copy_solutions(root / "dee")                                      # one function hangs
    with open(root / "dee" / "perceptron.py", "a") as f:
        f.write("\n\ndef sigmoid_neuron(X, w, b):\n    while True:\n        pass\n")
    copy_solutions(root / "eve")
    (root / "eve" / "layers.py").write_bytes("# caf\xe9\n".encode("latin-1") + (SOLUTIONS / "layers.py").read_bytes())
    copy_solutions(root / "fay" / "fay")                              # one level too deep
    (root / "fay" / "notes.txt").write_text("see fay/")
    (root / "README.txt").write_text("class of 2026")
    (root / ".DS_Store").write_bytes(b"\0\1")
    (root / "ada" / "__pycache__").mkdir()
    (root / "ada" / "__pycache__" / "layers.cpython-311.pyc").write_bytes(b"\0")
    out = base / "out"
    result = tutor_grade(root, "--out", out, "--timeout", "2", "--jobs", "2")
    return root, out, result


@pytest.mark.slow
def test_class_is_graded_completely(graded):
    root, out, result = graded
    assert result.returncode == 0, result.stdout + result.stderr
    clean_exit(result)
    rows = read_csv(out / "grades.csv")
    assert rows[0] == HEADER
    students = ["ada", "bob", "cyd", "dee", "eve", "fay"]
    expected = [[s, e.id] for s in students for e in EXERCISES]
    assert [r[:2] for r in rows[1:]] == expected               # every student, every exercise, in order
    assert all(float(r[3]) == e.points for r, e in zip(rows[1:], EXERCISES * len(students)))

    ada = scores(rows, "ada")
    assert sum(ada.values()) == TOTAL, {k: v for k, v in ada.items() if v == 0}
    assert sum(scores(rows, "fay").values()) == TOTAL          # graded from fay/fay/

    bob = scores(rows, "bob")
    assert all(bob[e.id] == e.points for e in EXERCISES if e.module == "perceptron")
    assert all(bob[e.id] == 0 for e in EXERCISES if e.module != "perceptron")

    cyd = scores(rows, "cyd")
    assert all(cyd[e.id] == 0 for e in EXERCISES if e.module in ("layers", "optim"))
    assert all(cyd[e.id] == e.points for e in EXERCISES if e.module not in ("layers", "optim"))

    dee = scores(rows, "dee")
    assert dee["perceptron.sigmoid_neuron"] == 0
    assert sum(dee.values()) == TOTAL - 1 * [e for e in EXERCISES if e.id == "perceptron.sigmoid_neuron"][0].points

    eve = scores(rows, "eve")
    assert all(eve[e.id] == 0 for e in EXERCISES if e.module == "layers")
    assert all(eve[e.id] == e.points for e in EXERCISES if e.module != "layers")


@pytest.mark.slow
def test_gradebook_records_status_and_diagnosis(graded):
    _, out, _ = graded
    con = sqlite3.connect(out / "gradebook.sqlite")
    diag = dict(con.execute("SELECT student || ' ' || exercise, diagnosis FROM results"))
    assert diag["dee perceptron.sigmoid_neuron"] == "timeout"
    assert diag["cyd optim.sgd_step"] == "not_implemented"
    assert diag["bob layers.affine_forward"] == "missing_function"
    assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    (runs, isolation, status), = con.execute("SELECT COUNT(*), isolation, status FROM runs")
    assert runs == 1 and isolation and status == "finished"
    assert con.execute("SELECT COUNT(*) FROM submissions").fetchone()[0] == 6


@pytest.mark.slow
def test_feedback_a_learner_can_read(graded):
    root, out, result = graded
    files = sorted(p.name for p in (out / "feedback").iterdir())
    assert files == ["ada.md", "bob.md", "cyd.md", "dee.md", "eve.md", "fay.md"]
    ada = (out / "feedback" / "ada.md").read_text(encoding="utf-8")
    assert f"Total: {TOTAL} / {TOTAL}" in ada and "✗" not in ada and "Isolation" in ada
    dee = (out / "feedback" / "dee.md").read_text(encoding="utf-8")
    assert "✗ perceptron.sigmoid_neuron" in dee and "timeout" in dee and "✓" in dee
    cyd = (out / "feedback" / "cyd.md").read_text(encoding="utf-8")
    assert "layers.affine_forward" in cyd and "SyntaxError" in cyd
    assert "NotImplementedError" in cyd
    eve = (out / "feedback" / "eve.md").read_text(encoding="utf-8")
    assert "not UTF-8" in eve and "line 1" in eve
    fay = (out / "feedback" / "fay.md").read_text(encoding="utf-8")
    assert "fay/fay/" in fay
    # the instructor saw the stray files named
    for name in ("README.txt", "fay/fay/", "notes.txt", "layers.py is not UTF-8"):
        assert name in result.stderr, name


@pytest.mark.slow
def test_running_again_resumes_and_changes_nothing(graded):
    root, out, _ = graded
    before = (out / "grades.csv").read_text()
    again = tutor_grade(root, "--out", out, "--timeout", "2", "--jobs", "2")
    assert again.returncode == 0, again.stderr
    assert "6 already graded" in again.stderr and "grading 0" in again.stderr
    assert (out / "grades.csv").read_text() == before
    con = sqlite3.connect(out / "gradebook.sqlite")
    assert con.execute("SELECT COUNT(*) FROM results").fetchone()[0] == 6 * len(EXERCISES)
    assert con.execute("SELECT COUNT(*) FROM runs").fetchone()[0] == 2


@pytest.mark.slow
def test_a_changed_submission_is_regraded(tmp_path):
    root = tmp_path / "class"
    copy_solutions(root / "ada", ["optim"])
    copy_solutions(root / "bob", ["optim"])
    out = tmp_path / "out"
    assert tutor_grade(root, "--out", out, "--jobs", "1").returncode == 0
    shutil.copy(STUBS / "optim.py", root / "bob" / "optim.py")       # bob hands in a different file
    again = tutor_grade(root, "--out", out, "--jobs", "1")
    assert again.returncode == 0 and "1 changed" in again.stderr and "grading 1" in again.stderr
    rows = read_csv(out / "grades.csv")
    assert scores(rows, "bob")["optim.sgd_step"] == 0 and scores(rows, "ada")["optim.sgd_step"] > 0
    con = sqlite3.connect(out / "gradebook.sqlite")
    assert con.execute("SELECT COUNT(DISTINCT content_hash) FROM results WHERE student='bob'").fetchone()[0] == 2
    assert con.execute("SELECT COUNT(*) FROM results_history").fetchone()[0] == 0


def test_regrade_forces_all_and_keeps_what_it_replaces(tmp_path):
    # students without modules: no engine needed, the bookkeeping is the same
    for name in ("ada", "bob"):
        (tmp_path / "class" / name).mkdir(parents=True)
    out = tmp_path / "out"
    assert tutor_grade(tmp_path / "class", "--out", out).returncode == 0
    assert "grading 0" in tutor_grade(tmp_path / "class", "--out", out).stderr
    forced = tutor_grade(tmp_path / "class", "--out", out, "--regrade")
    assert forced.returncode == 0 and "grading 2 (--regrade)" in forced.stderr
    con = sqlite3.connect(out / "gradebook.sqlite")
    assert con.execute("SELECT COUNT(*) FROM results").fetchone()[0] == 2 * len(EXERCISES)
    assert con.execute("SELECT COUNT(*) FROM results_history").fetchone()[0] == 2 * len(EXERCISES)
    assert [r[0] for r in con.execute("SELECT regrade FROM runs ORDER BY id")] == [0, 0, 1]


# ---- bad input: exit status 2, a message that says what to do, no traceback, nothing lost ----

def refused(result: subprocess.CompletedProcess, *phrases: str) -> None:
    text = clean_exit(result)
    assert result.returncode == 2, text
    for phrase in phrases:
        assert phrase in text, (phrase, text)


def test_missing_submissions_folder(tmp_path):
    refused(tutor_grade(tmp_path / "nope", "--out", tmp_path / "out"), "no such folder", "one sub-folder per student")
    assert not (tmp_path / "out").exists()


def test_a_file_where_the_folder_belongs(tmp_path):
    (tmp_path / "class.zip").write_bytes(b"PK")
    refused(tutor_grade(tmp_path / "class.zip", "--out", tmp_path / "out"), "is a file, not a folder")
    (tmp_path / "class" / "zed").mkdir(parents=True)
    (tmp_path / "out").write_text("")
    refused(tutor_grade(tmp_path / "class", "--out", tmp_path / "out"), "is a file")


def test_one_students_folder_given_as_the_class(tmp_path):
    copy_solutions(tmp_path / "alice", ["optim"])
    refused(tutor_grade(tmp_path / "alice", "--out", tmp_path / "out"), "one student's folder")


def test_empty_class(tmp_path):
    (tmp_path / "class").mkdir()
    (tmp_path / "class" / ".DS_Store").write_bytes(b"\0")
    refused(tutor_grade(tmp_path / "class", "--out", tmp_path / "out"), "no student folders")


def test_bad_options(tmp_path):
    (tmp_path / "class" / "alice").mkdir(parents=True)
    refused(tutor_grade(tmp_path / "class", "--out", tmp_path / "out", "--jobs", "0"), "--jobs")
    refused(tutor_grade(tmp_path / "class", "--out", tmp_path / "out", "--timeout", "-1"), "--timeout")


def test_nbgrader_db_without_the_integration(tmp_path, monkeypatch, capsys):
    """When tutor/nbgrader/sync.py is absent, --nbgrader-db says so before grading."""
    from tutor.cli import main

    monkeypatch.setitem(sys.modules, "tutor.nbgrader.sync", None)   # as if the file were absent
    (tmp_path / "class" / "alice").mkdir(parents=True)
    status = main(["grade", str(tmp_path / "class"), "--out", str(tmp_path / "out"),
                   "--nbgrader-db", str(tmp_path / "gradebook.db")])
    err = capsys.readouterr().err
    assert status == 2 and "--nbgrader-db" in err and "nbgrader/sync.py" in err, err
    assert not (tmp_path / "out").exists()


def make_gradebook_of(tmp_path: Path, name: str) -> Path:
    """An output folder holding a finished run of class `name` (one student with no files: no engine)."""
    (tmp_path / name / "nobody").mkdir(parents=True)
    out = tmp_path / "out"
    result = tutor_grade(tmp_path / name, "--out", out)
    assert result.returncode == 0, result.stderr
    return out


def test_output_folder_of_another_class(tmp_path):
    out = make_gradebook_of(tmp_path, "class-a")
    before = (out / "gradebook.sqlite").read_bytes()
    (tmp_path / "class-b" / "zed").mkdir(parents=True)
    refused(tutor_grade(tmp_path / "class-b", "--out", out), "another class folder", "class-a", "--force")
    assert (out / "gradebook.sqlite").read_bytes() == before
    forced = tutor_grade(tmp_path / "class-b", "--out", out, "--force")
    assert forced.returncode == 0, forced.stderr
    con = sqlite3.connect(out / "gradebook.sqlite")
    assert {r[0] for r in con.execute("SELECT DISTINCT student FROM results")} == {"nobody", "zed"}
    assert [r[0] for r in read_csv(out / "grades.csv")[1:2]] == ["zed"]


@pytest.mark.parametrize("content", [b"not a database", b"SQLite format 3\x00" + b"\x07" * 4096],
                         ids=["not-sqlite", "damaged-sqlite"])
def test_corrupt_or_foreign_gradebook(tmp_path, content):
    (tmp_path / "class" / "zed").mkdir(parents=True)
    out = tmp_path / "out"
    out.mkdir()
    (out / "gradebook.sqlite").write_bytes(content)
    refused(tutor_grade(tmp_path / "class", "--out", out), "gradebook.sqlite", "--force")
    assert (out / "gradebook.sqlite").read_bytes() == content
    forced = tutor_grade(tmp_path / "class", "--out", out, "--force")
    assert forced.returncode == 0, forced.stderr
    aside = list(out.glob("gradebook.sqlite.set-aside-*"))
    assert len(aside) == 1 and aside[0].read_bytes() == content


def test_output_of_a_run_whose_gradebook_is_gone(tmp_path):
    (tmp_path / "class" / "zed").mkdir(parents=True)
    out = tmp_path / "out"
    out.mkdir()
    (out / "grades.csv").write_text("student,exercise,score,max_score\nold,perceptron.step,1,1\n")
    refused(tutor_grade(tmp_path / "class", "--out", out), "grades.csv", "--force")
    assert "old," in (out / "grades.csv").read_text()
    forced = tutor_grade(tmp_path / "class", "--out", out, "--force")
    assert forced.returncode == 0, forced.stderr
    kept = list(out.glob("previous-*/grades.csv"))
    assert len(kept) == 1 and "old," in kept[0].read_text()


@pytest.mark.slow
def test_a_regrade_takes_the_reference_from_out_without_torch(tmp_path):
    """The reference answers are kept in OUT/reference-cache/: a later run (resume, --regrade) reads
    them there and never imports torch (here torch cannot even be imported)."""
    root = tmp_path / "class"
    copy_solutions(root / "ada")
    copy_solutions(root / "bob")
    (root / "bob" / "optim.py").write_text("import sys\nsys.stdout.buffer.write(b'\\x1b[2J\\x07')\n"
                                           + (SOLUTIONS / "optim.py").read_text())
    out = tmp_path / "out"
    first = tutor_grade(root, "--out", out, "--jobs", "2")
    assert first.returncode == 0, first.stderr
    assert list((out / "reference-cache").glob("prepared-*/*.bin"))
    before = read_csv(out / "grades.csv")
    no_torch = tmp_path / "no-torch"
    (no_torch / "torch").mkdir(parents=True)
    (no_torch / "torch" / "__init__.py").write_text("raise ImportError('torch is not to be imported')\n")
    env = dict(os.environ, COLUMNS="200", PYTHONIOENCODING="utf-8", TUTOR_GRADER_VERSION="test-pinned",
               PYTHONPATH=str(no_torch))
    again = subprocess.run([sys.executable, "-m", "tutor", "grade", str(root), "--out", str(out), "--regrade",
                            "--jobs", "2"], capture_output=True, text=True, timeout=240, env=env, cwd=ROOT)
    assert again.returncode == 0, again.stderr
    assert read_csv(out / "grades.csv") == before
    assert sum(scores(before, "ada").values()) == TOTAL == sum(scores(before, "bob").values())
    con = sqlite3.connect(out / "gradebook.sqlite")
    texts = " ".join(m + d for m, d in con.execute("SELECT message, details FROM results"))
    assert "\x1b" not in texts and "\x07" not in texts


def test_the_class_grader_runs_code_before_the_reference_is_ready():
    """Grader.run needs no reference: the plan's inputs and upstream gradients come from NumPy (the
    trusted solutions give the forward's shape); the final plan is the same, so nothing runs twice."""
    from tutor.engine import Grader
    from tutor.engine.run import read_sources

    sources = read_sources(SOLUTIONS)
    with Grader(jobs=1) as grader:
        grader.start(prepare=False)   # as start(), without the thread that would race this test
        early = grader.plan_key
        assert not grader.reference_ready
        run = grader.run(sources)
        assert not grader.reference_ready and run.plan_key == early
        results = grader.judge_run(run)
        assert grader.reference_ready and grader.plan_key == early     # the same plan: nothing ran twice
        assert all(r.passed for r in results), [r.message for r in results if not r.passed]


@pytest.mark.slow
def test_a_student_the_engine_cannot_grade_costs_only_that_student(tmp_path, monkeypatch, capsys):
    """The engine itself fails on one student, every time: the class is still written, that student
    gets a "not graded yet" feedback naming the reason and blank scores, exit status 1 (retry)."""
    import tutor.engine
    from tutor.cli import main

    real = tutor.engine.Grader

    class BreaksOnZed(real):
        def run(self, sources):
            if "BREAK-THE-ENGINE" in sources.get("perceptron", ""):
                raise OSError("the worker vanished")
            return super().run(sources)

    monkeypatch.setattr(tutor.engine, "Grader", BreaksOnZed)
    monkeypatch.setenv("TUTOR_GRADER_VERSION", "test-pinned")
    root, out = tmp_path / "class", tmp_path / "out"
    copy_solutions(root / "ada", ["perceptron"])
    copy_solutions(root / "zed", ["perceptron"])
    with open(root / "zed" / "perceptron.py", "a") as f:
        f.write("\n# BREAK-THE-ENGINE\n")
    for attempt in range(2):
        status = main(["grade", str(root), "--out", str(out), "--jobs", "1", "--timeout", "3"])
        err = capsys.readouterr().err
        assert status == 1 and "zed could not be graded" in err and "Traceback" not in err, err
        rows = read_csv(out / "grades.csv")
        assert sum(scores(rows, "ada").values()) == sum(e.points for e in EXERCISES if e.module == "perceptron")
        assert all(r[2] == "" for r in rows[1:] if r[0] == "zed")
        zed = (out / "feedback" / "zed.md").read_text(encoding="utf-8")
        assert "Not graded yet" in zed and "the worker vanished" in zed
        assert "Total:" in (out / "feedback" / "ada.md").read_text(encoding="utf-8")

@pytest.mark.slow
def test_a_term_assignment_late_work_roster_similarity_and_export(tmp_path):
    """A plain class folder with course settings: only the exercises handed out, per-assignment
    totals, a late student charged by the course's policy and told so, the roster reconciled,
    the similarity report, then `tutor export`."""
    course = tmp_path / "course"
    root = course / "class"
    copy_solutions(root / "ada", ["perceptron"])
    copy_solutions(root / "bob", ["perceptron"])
    (root / "bob" / "timestamp.txt").write_text("2026-12-02 02:30:00.000000 UTC")    # 2.5 hours late
    (root / "cyd").mkdir(parents=True)
    (course / "course.toml").write_text(
        '[assignments.01_perceptron]\nexercises = ["perceptron"]\ndue = "2026-12-02T00:00:00+00:00"\n'
        '[late]\npolicy = "per_hour"\nper_hour = 0.5\n')
    (course / "roster.csv").write_text("id,name,email,lms_id\nada,Ada L,ada@x.edu,1\nbob,Bob B,bob@x.edu,2\n"
                                       "dan,Dan D,dan@x.edu,4\n")
    out = tmp_path / "out"
    result = tutor_grade(root, "--out", out, "--jobs", "2")
    text = clean_exit(result)
    assert result.returncode == 0, text
    perceptron = [e for e in EXERCISES if e.module == "perceptron"]
    possible = sum(e.points for e in perceptron)
    rows = read_csv(out / "grades.csv")
    assert {r[1] for r in rows[1:]} == {e.id for e in perceptron} and {r[4] for r in rows[1:]} == {"01_perceptron"}
    with open(out / "totals.csv", newline="") as f:
        totals = {r["student"]: r for r in csv.DictReader(f)}
    assert float(totals["ada"]["final"]) == possible and totals["ada"]["status"] == "graded"
    assert float(totals["bob"]["penalty"]) == 1.5 and float(totals["bob"]["final"]) == possible - 1.5
    assert totals["dan"]["status"] == "missing" and float(totals["cyd"]["final"]) == 0
    bob = (out / "feedback" / "bob.md").read_text(encoding="utf-8")
    assert "2 h 30 min late" in bob and "0.5 point(s) off for every hour" in bob
    assert "activations" not in bob and "layers" not in bob
    average = (2 * possible - 1.5) / 3
    assert f"01_perceptron: class average {average:.2f} / {possible} points over 3 students (1 late)." in text
    assert "(cyd)" in text and "not on the roster" in text and "(dan)" in text and "handed nothing in" in text
    assert "1 pair(s) of near-identical submissions" in text
    assert "| ada | bob | 100% |" in (out / "similarity.md").read_text(encoding="utf-8")

    exported = subprocess.run([sys.executable, "-m", "tutor", "export", str(out)], capture_output=True, text=True,
                              cwd=ROOT, timeout=120)
    assert exported.returncode == 0, exported.stderr
    canvas = read_csv(out / "export" / "canvas.csv")
    assert canvas[0][5:] == ["01_perceptron"] and canvas[1][5:] == [str(possible)]
    assert [r[2] for r in canvas[2:]] == ["ada", "bob", "dan", "cyd"] and canvas[4][5] == "0"

    # a student leaves: their feedback is moved aside, not left stale
    shutil.rmtree(root / "cyd")
    again = tutor_grade(root, "--out", out, "--jobs", "2")
    assert again.returncode == 0, again.stderr
    assert not (out / "feedback" / "cyd.md").exists() and (out / "feedback" / ".departed" / "cyd.md").is_file()


@pytest.mark.parametrize("where", ["class", "class/grades", "class/ada/out"])
def test_an_output_folder_inside_the_class_is_refused(tmp_path, where):
    (tmp_path / "class" / "ada").mkdir(parents=True)
    refused(tutor_grade(tmp_path / "class", "--out", tmp_path / where), "--out", "class folder")
    assert sorted(p.name for p in (tmp_path / "class").iterdir()) == ["ada"]


@pytest.mark.parametrize("option, phrase", [
    (["--exercises", "perceptron,nothing"], "'nothing' is neither"),
    (["--due", "tomorrow-ish"], "--due"),
    (["--assignment", "01_perceptron"], "not an assignment of course.toml"),
    (["--roster", "missing.csv"], "no such file"),
])
def test_bad_term_options(tmp_path, option, phrase):
    (tmp_path / "class" / "ada").mkdir(parents=True)
    refused(tutor_grade(tmp_path / "class", "--out", tmp_path / "out", *option), phrase)
    assert not (tmp_path / "out").exists()

