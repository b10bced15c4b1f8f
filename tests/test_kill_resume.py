"""kill -9 in the middle of `tutor grade`, then the same command again.

The documented promise (docs/GRADING.md, "Interrupted runs"): every student is written to the
gradebook in one transaction, so a killed run leaves each student either complete or absent.
Running the same command again grades only the students that are absent, and the final
gradebook holds exactly one complete set of rows per student: nothing lost, nothing twice.

How the test catches the run in the middle: 40 students graded one at a time (--jobs 1), each
a little slow (their optim.py sleeps 0.05 s when imported); the test polls the gradebook and
sends SIGKILL as soon as it holds 3 students, long before the 40th.
"""
from __future__ import annotations

import csv
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from tutor.manifest import EXERCISES

ROOT = Path(__file__).resolve().parents[1]
SOLUTIONS = ROOT / "solutions"
STUDENTS = [f"student{i:02d}" for i in range(40)]
MODULES = list(dict.fromkeys(e.module for e in EXERCISES))


def make_class(root: Path) -> None:
    for name in STUDENTS:
        folder = root / name
        folder.mkdir(parents=True)
        for module in MODULES:
            shutil.copy(SOLUTIONS / f"{module}.py", folder / f"{module}.py")
        optim = (SOLUTIONS / "optim.py").read_text()
        (folder / "optim.py").write_text(f"# {name}\nimport time\ntime.sleep(0.05)\n{optim}")


def students_in(db: Path) -> int:
    try:
        con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1)
        try:
            return con.execute("SELECT COUNT(*) FROM submissions").fetchone()[0]
        finally:
            con.close()
    except sqlite3.Error:
        return 0     # not created yet, or the schema is still being written


def processes_with(marker: str) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            if marker.encode() in (entry / "environ").read_bytes():
                found.append(int(entry.name))
        except OSError:
            continue
    return found


@pytest.mark.slow
def test_kill_9_then_resume(tmp_path: Path):
    root, out = tmp_path / "class", tmp_path / "out"
    make_class(root)
    db = out / "gradebook.sqlite"
    marker = f"TUTOR_KILL_RESUME_TEST={uuid.uuid4().hex}"
    # pinned: others may edit the engine in this checkout between the two runs
    env = dict(os.environ, TUTOR_GRADER_VERSION="test-pinned", **dict([marker.split("=")]))
    command = [sys.executable, "-m", "tutor", "grade", str(root), "--out", str(out), "--jobs", "1"]

    # 1. start, and kill -9 once the gradebook holds some students
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, cwd=ROOT)
    deadline = time.monotonic() + 180
    try:
        while proc.poll() is None and time.monotonic() < deadline:
            if students_in(db) >= 3:
                proc.send_signal(signal.SIGKILL)
                break
            time.sleep(0.02)
    finally:
        if proc.poll() is None and time.monotonic() >= deadline:
            proc.kill()
        stdout, stderr = proc.communicate(timeout=60)
    assert proc.returncode == -signal.SIGKILL, (proc.returncode, stdout.decode(), stderr.decode())
    first = students_in(db)
    assert 3 <= first < len(STUDENTS)
    assert not (out / "grades.csv").exists()         # the views are only written at the end

    # the engine's worker processes must not outlive the killed grader for long
    deadline = time.monotonic() + 10
    while processes_with(marker) and time.monotonic() < deadline:
        time.sleep(0.2)
    leftover = processes_with(marker)
    for pid in leftover:                             # ours: started by this test; do not leak them
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    assert not leftover, f"worker processes still running 10 s after the grader was killed: {leftover}"

    # 2. the same command again: resumes
    again = subprocess.run(command, capture_output=True, text=True, env=env, cwd=ROOT, timeout=300)
    assert again.returncode == 0, again.stdout + again.stderr
    assert f"{first} already graded" in again.stderr and f"grading {len(STUDENTS) - first}" in again.stderr

    con = sqlite3.connect(db)
    runs = con.execute("SELECT id, status FROM runs ORDER BY id").fetchall()
    assert [status for _, status in runs] == ["interrupted", "finished"]
    second_run = runs[1][0]
    graded_by_second = {s for (s,) in con.execute("SELECT student FROM submissions WHERE run_id=?", (second_run,))}
    graded_by_first = {s for (s,) in con.execute("SELECT student FROM submissions WHERE run_id=?", (runs[0][0],))}
    assert len(graded_by_first) == first
    assert graded_by_second == set(STUDENTS) - graded_by_first           # only the remaining ones

    # exactly one complete set per student, nobody twice
    per_student = dict(con.execute("SELECT student, COUNT(*) FROM submissions GROUP BY student"))
    assert per_student == {s: 1 for s in STUDENTS}
    rows = dict(con.execute("SELECT student, COUNT(*) FROM results GROUP BY student"))
    assert rows == {s: len(EXERCISES) for s in STUDENTS}
    assert con.execute("SELECT COUNT(*) FROM (SELECT DISTINCT student, exercise FROM results)").fetchone()[0] \
        == len(STUDENTS) * len(EXERCISES)
    assert con.execute("SELECT COUNT(*) FROM results_history").fetchone()[0] == 0

    with open(out / "grades.csv", newline="") as f:
        table = list(csv.reader(f))
    assert table[0] == ["student", "exercise", "score", "max_score", "assignment"]
    assert [r[:2] for r in table[1:]] == [[s, e.id] for s in STUDENTS for e in EXERCISES]
    assert all(float(r[2]) == float(r[3]) for r in table[1:])            # all correct, all counted once
    assert sorted(p.name for p in (out / "feedback").iterdir()) == [f"{s}.md" for s in STUDENTS]
