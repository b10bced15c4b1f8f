"""Hostile class folders: every attack in tests/adversarial/classes/ against the real `tutor grade`.

Each attack file plants one or more student folders (or links, or odd files) in a shared class
folder that also holds an honest student, and says what must hold afterwards (`verify`). All the
attacks are graded in one run of the real command, as an instructor runs it, and then again (a
rerun must write everything again too). Asserted for every attack, besides its own `verify`:
  - the run finishes with exit status 0 and no traceback, grades.csv is written and the honest
    student has full marks and a feedback file, on the first run and on the rerun;
  - every student folder the attack planted that is graded has a row for every exercise.

Two attacks on the output folder are tests of their own below: a link planted at
OUT/feedback/<student>.md (it is replaced, never written through) and a link planted at
OUT/feedback (refused before anything runs); and --jobs 1000 (clamped, with a message; the
number of processes stays small).
"""
from __future__ import annotations

import csv
import importlib.util
import os
import shutil
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from tutor.manifest import EXERCISES

pytestmark = [pytest.mark.slow, pytest.mark.timeout(900)]   # one shared class run, graded twice
ROOT = Path(__file__).resolve().parents[1]
SOLUTIONS = ROOT / "solutions"
ATTACKS_DIR = ROOT / "tests" / "adversarial" / "classes"
MODULES = list(dict.fromkeys(e.module for e in EXERCISES))
POSSIBLE = sum(e.points for e in EXERCISES)
HONEST = "aaa-honest"


def load_attacks():
    attacks = []
    for path in sorted(ATTACKS_DIR.glob("*.py")):
        spec = importlib.util.spec_from_file_location(f"class_attack_{path.stem}", path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        assert module.__doc__ and callable(module.plant) and callable(module.verify), path.name
        attacks.append(module)
    return attacks


ATTACKS = load_attacks()


@dataclass
class Kit:
    solutions_dir: Path
    outside: Path        # a folder outside the class folder (the instructor's files, say)

    def solutions(self, folder: Path, modules=MODULES) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        for module in modules:
            shutil.copy(SOLUTIONS / f"{module}.py", folder / f"{module}.py")


@dataclass
class Run:
    out: Path
    returncode: int
    stdout: str
    stderr: str
    possible: float = POSSIBLE

    @property
    def raw_rows(self) -> list[list[str]]:
        with open(self.out / "grades.csv", newline="", encoding="utf-8") as f:
            return list(csv.reader(f))

    def _csv_name(self, student: str) -> str:
        from tutor.safe_text import csv_cell

        return csv_cell(student)

    def scores(self, student: str) -> dict[str, float]:
        name = self._csv_name(student)
        found = {r[1]: float(r[2]) for r in self.raw_rows[1:] if r[0] == name and r[2] != ""}
        assert len(found) == len(EXERCISES), (student, len(found))
        return found

    def total(self, student: str) -> float:
        return sum(self.scores(student).values())

    def module_score(self, student: str, module: str) -> float:
        return sum(v for k, v in self.scores(student).items() if k.split(".")[0] == module)

    @staticmethod
    def module_points(module: str) -> float:
        return sum(e.points for e in EXERCISES if e.module == module)

    def feedback_file(self, student: str) -> Path:
        index = self.out / "feedback-index.csv"
        if index.exists():
            with open(index, newline="", encoding="utf-8") as f:
                for row in list(csv.reader(f))[1:]:
                    if row[0] == self._csv_name(student):
                        return self.out / "feedback" / row[1]
        return self.out / "feedback" / f"{student}.md"

    def feedback(self, student: str) -> str:
        return self.feedback_file(student).read_text(encoding="utf-8")


def tutor_grade(*args, timeout: float = 600) -> subprocess.CompletedProcess:
    env = dict(os.environ, COLUMNS="300", PYTHONIOENCODING="utf-8", TUTOR_GRADER_VERSION="test-pinned")
    return subprocess.run([sys.executable, "-m", "tutor", "grade", *map(str, args)], capture_output=True,
                          text=True, timeout=timeout, env=env, cwd=ROOT)


def _grade(root: Path, out: Path, *extra) -> Run:
    done = tutor_grade(root, "--out", out, "--timeout", "3", "--jobs", "2", *extra)
    return Run(out, done.returncode, done.stdout, done.stderr)


@pytest.fixture(scope="module")
def class_runs(tmp_path_factory):
    base = tmp_path_factory.mktemp("hostile")
    root, outside = base / "class", base / "outside"
    root.mkdir()
    outside.mkdir()
    kit = Kit(SOLUTIONS, outside)
    kit.solutions(root / HONEST)
    for attack in ATTACKS:
        attack.plant(root, kit)
    first = _grade(root, base / "out")
    second = _grade(root, base / "out")          # a rerun writes everything again
    return first, second


def _assert_class_written(run: Run) -> None:
    text = run.stdout + run.stderr
    assert run.returncode == 0, text[-6000:]
    assert "Traceback" not in text, text[-6000:]
    assert run.total(HONEST) == POSSIBLE
    assert "Total:" in run.feedback(HONEST)


def test_the_class_is_always_written(class_runs):
    for run in class_runs:
        _assert_class_written(run)
    assert "already graded" in class_runs[1].stderr


@pytest.mark.parametrize("attack", ATTACKS, ids=[a.__name__.removeprefix("class_attack_") for a in ATTACKS])
def test_attack(class_runs, attack):
    for run in class_runs:
        for student in attack.STUDENTS:
            assert len(run.scores(student)) == len(EXERCISES)
        attack.verify(run)


def test_enough_class_attacks():
    assert len(ATTACKS) >= 10


# --- the output folder ------------------------------------------------------------------------

def test_a_link_planted_in_feedback_is_replaced_not_written_through(tmp_path):
    root, out = tmp_path / "class", tmp_path / "out"
    Kit(SOLUTIONS, tmp_path).solutions(root / "ada", ["perceptron"])
    assert _grade(root, out).returncode == 0
    victim = tmp_path / "victim.txt"
    victim.write_text("the instructor's notes\n")
    target = out / "feedback" / "ada.md"
    target.unlink()
    os.symlink(victim, target)
    again = _grade(root, out, "--regrade")
    assert again.returncode == 0, again.stderr
    assert victim.read_text() == "the instructor's notes\n"
    assert not target.is_symlink() and "Feedback for ada" in target.read_text()


def test_a_link_at_the_feedback_folder_is_refused(tmp_path):
    root, out = tmp_path / "class", tmp_path / "out"
    Kit(SOLUTIONS, tmp_path).solutions(root / "ada", ["perceptron"])
    assert _grade(root, out).returncode == 0
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    shutil.rmtree(out / "feedback")
    os.symlink(elsewhere, out / "feedback")
    again = _grade(root, out, "--regrade")
    assert again.returncode == 2 and "symbolic link" in again.stderr and "Traceback" not in again.stderr
    assert list(elsewhere.iterdir()) == []


# --- resources --------------------------------------------------------------------------------

def _descendants(pid: int) -> set[int]:
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                ppid = int(f.read().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        children.setdefault(ppid, []).append(int(entry))
    found, todo = set(), [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            if child not in found:
                found.add(child)
                todo.append(child)
    return found


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc to count processes")
def test_jobs_1000_is_clamped_and_starts_few_processes(tmp_path):
    from tutor.classroom.resources import cores

    root, out = tmp_path / "class", tmp_path / "out"
    kit = Kit(SOLUTIONS, tmp_path)
    for i in range(6):
        kit.solutions(root / f"s{i}", ["perceptron", "layers"])
    env = dict(os.environ, TUTOR_GRADER_VERSION="test-pinned", COLUMNS="300")
    proc = subprocess.Popen([sys.executable, "-m", "tutor", "grade", str(root), "--out", str(out), "--jobs", "1000"],
                            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    most = 0
    stop = threading.Event()

    def watch():
        nonlocal most
        while not stop.is_set():
            most = max(most, len(_descendants(proc.pid)))
            time.sleep(0.05)

    watcher = threading.Thread(target=watch)
    watcher.start()
    try:
        stdout, stderr = proc.communicate(timeout=600)
    finally:
        stop.set()
        watcher.join()
    assert proc.returncode == 0, stderr
    assert "--jobs 1000 is more than this machine can hold" in stderr
    # each worker is a handful of processes (zygote, sandbox, child); 1000 workers would be thousands
    assert 0 < most <= 8 * 2 * cores() + 8, most
    import sqlite3

    jobs = sqlite3.connect(out / "gradebook.sqlite").execute("SELECT jobs FROM runs").fetchone()[0]
    assert jobs <= 2 * cores()
