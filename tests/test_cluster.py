"""`tutor grade --cluster`: a real `dask scheduler` and real `dask worker` processes on 127.0.0.1.

One scheduler and three workers (one thread each, no dashboard) serve the whole module, plus a
fourth worker whose sandbox is forced below `full`, which must refuse work. The class is small
(14 students) and every process is killed at the end, whatever happens. The test that kills a
worker in the middle of a run comes after every other test that uses these workers.
"""
from __future__ import annotations

import csv
import json
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytest.importorskip("distributed", reason='the cluster extra is not installed: pip install ".[cluster]"')

from tutor.classroom.cluster_worker import grade_batch  # noqa: E402
from tutor.classroom.cluster import DaskExecutor  # noqa: E402
from tutor.classroom.pipeline import Finished, GradeOptions, Notice, StudentDone, grade_class  # noqa: E402
from tutor.manifest import EXERCISES  # noqa: E402

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
SOLUTIONS = ROOT / "solutions"
MODULES = list(dict.fromkeys(e.module for e in EXERCISES))
DASK = Path(sys.executable).with_name("dask")
ENV = dict(os.environ, TUTOR_GRADER_VERSION="test-pinned", COLUMNS="200", PYTHONIOENCODING="utf-8",
           PYTHONPATH=os.pathsep.join([str(ROOT), str(ROOT / "tests")]))


class DaskProcesses:
    """A scheduler and workers, each in its own process group, all killed by close()."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.processes: list[subprocess.Popen] = []
        self.workers: list[subprocess.Popen] = []
        scheduler_file = folder / "scheduler.json"
        self._start([str(DASK), "scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
                     "--scheduler-file", str(scheduler_file)], "scheduler")
        deadline = time.monotonic() + 60
        while not scheduler_file.exists() or not scheduler_file.read_text().strip():
            assert time.monotonic() < deadline, self.logs()
            time.sleep(0.2)
        time.sleep(0.2)
        self.address = json.loads(scheduler_file.read_text())["address"]

    def _start(self, argv: list[str], name: str, env: dict | None = None) -> subprocess.Popen:
        log = open(self.folder / f"{name}-{len(self.processes)}.log", "wb")
        process = subprocess.Popen(argv, stdout=log, stderr=subprocess.STDOUT, env=env or ENV, cwd=ROOT,
                                   start_new_session=True)
        self.processes.append(process)
        return process

    def add_worker(self, **env) -> subprocess.Popen:
        worker = self._start([str(DASK), "worker", self.address, "--nthreads", "1", "--no-dashboard",
                              "--host", "127.0.0.1", "--no-nanny"], "worker", dict(ENV, **env))
        self.workers.append(worker)
        return worker

    def wait_for_workers(self, n: int) -> None:
        from distributed import Client

        with Client(self.address, timeout=30) as client:
            client.wait_for_workers(n, timeout=90)

    def kill(self, process: subprocess.Popen) -> None:
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        process.wait(timeout=30)

    def logs(self) -> str:
        return "\n".join(p.read_text(errors="replace")[-2000:] for p in sorted(self.folder.glob("*.log")))

    def close(self) -> None:
        for process in reversed(self.processes):
            self.kill(process)


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    processes = DaskProcesses(tmp_path_factory.mktemp("dask"))
    try:
        for _ in range(3):
            processes.add_worker()
        processes.add_worker(TUTOR_SANDBOX="none")       # below `full`: must refuse
        processes.wait_for_workers(4)
        yield processes
    finally:
        processes.close()


def make_class(root: Path, n: int = 14, *, slow: float = 0.0) -> list[str]:
    """Correct students, and a few that are not: a broken module, a missing file, a wrong answer."""
    names = [f"student{i:02d}" for i in range(n)]
    for name in names:
        folder = root / name
        folder.mkdir(parents=True)
        for module in MODULES:
            shutil.copy(SOLUTIONS / f"{module}.py", folder / f"{module}.py")
        optim = (SOLUTIONS / "optim.py").read_text()
        (folder / "optim.py").write_text(f"# {name}\nimport time\ntime.sleep({slow})\n{optim}")
    (root / names[1] / "layers.py").write_text("def affine_forward(:\n")
    (root / names[2] / "rnn.py").unlink()
    activations = root / names[3] / "activations.py"
    activations.write_text(activations.read_text().replace("np.maximum(x, 0), x", "np.maximum(x, 0.1), x"))
    return names


def tutor_grade(*args, timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "tutor", "grade", *map(str, args)], capture_output=True, text=True,
                          timeout=timeout, env=ENV, cwd=ROOT)


def gradebook_rows(out: Path) -> list[tuple]:
    """The results, without what differs between any two runs (when, how long, which run)."""
    con = sqlite3.connect(out / "gradebook.sqlite")
    try:
        return sorted(con.execute("SELECT student, exercise, content_hash, grader_version, score, max_score, "
                                  "status, diagnosis, message, details FROM results"))
    finally:
        con.close()


def feedback(out: Path) -> dict[str, str]:
    """Feedback files, without their "Graded <time>" line."""
    return {p.name: re.sub(r"Graded \S+ by", "Graded <time> by", p.read_text())
            for p in sorted((out / "feedback").iterdir())}


def views(out: Path) -> dict[str, object]:
    """Every view `tutor grade` writes from the gradebook: grades.csv, totals.csv, the feedback files
    and the similarity report."""
    from tutor.classroom.similarity import FILENAME as SIMILARITY

    return {"grades.csv": (out / "grades.csv").read_bytes(), "totals.csv": (out / "totals.csv").read_bytes(),
            SIMILARITY: (out / SIMILARITY).read_bytes(), "feedback": feedback(out)}


def count(out: Path, sql: str) -> int:
    con = sqlite3.connect(out / "gradebook.sqlite")
    try:
        return con.execute(sql).fetchone()[0]
    finally:
        con.close()


@pytest.fixture(scope="module")
def local_run(tmp_path_factory):
    """The class graded by the local executor: what every cluster run must reproduce."""
    folder = tmp_path_factory.mktemp("local")
    names = make_class(folder / "class")
    result = tutor_grade(folder / "class", "--out", folder / "out", "--jobs", "1")
    assert result.returncode == 0, result.stderr
    return folder, names


def test_the_cluster_grades_exactly_like_the_local_executor(cluster, local_run, tmp_path):
    folder, names = local_run
    out = tmp_path / "out"
    result = tutor_grade(folder / "class", "--out", out, "--cluster", cluster.address)
    assert result.returncode == 0, result.stderr + cluster.logs()
    assert (out / "grades.csv").read_bytes() == (folder / "out" / "grades.csv").read_bytes()
    assert feedback(out) == feedback(folder / "out")
    assert views(out) == views(folder / "out")
    assert gradebook_rows(out) == gradebook_rows(folder / "out")
    assert count(out, "SELECT COUNT(*) FROM submissions") == len(names)
    assert count(out, "SELECT COUNT(*) FROM results_history") == 0
    # the worker below `full` said why it refused, and did no work
    assert "refuses to grade" in result.stderr and "full isolation" in result.stderr, result.stderr
    assert "Isolation: full" in result.stdout


def test_dask_workers_never_import_torch(cluster, local_run, tmp_path):
    from distributed import Client

    folder, _ = local_run
    assert tutor_grade(folder / "class", "--out", tmp_path / "out", "--cluster", cluster.address).returncode == 0
    with Client(cluster.address, timeout=30) as client:
        imported = client.run(lambda: "torch" in __import__("sys").modules)
    assert imported and not any(imported.values()), imported


def test_a_resumed_run_grades_only_the_missing_students(cluster, local_run, tmp_path):
    """kill -9 of the coordinator, then the same command: only the students not yet recorded."""
    folder, names = local_run
    slow = tmp_path / "class"
    make_class(slow, slow=0.4)
    out = tmp_path / "out"
    process = subprocess.Popen([sys.executable, "-m", "tutor", "grade", str(slow), "--out", str(out), "--cluster",
                                cluster.address], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=ENV,
                               cwd=ROOT, start_new_session=True)
    try:
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline and process.poll() is None:
            if (out / "gradebook.sqlite").exists() and count_safely(out) >= 1:
                break
            time.sleep(0.05)
        saved_before_kill = count_safely(out)
        process.send_signal(signal.SIGKILL)
    finally:
        process.kill()
        process.wait()
    assert 1 <= saved_before_kill < len(names), "the run finished before it could be killed"
    saved = count(out, "SELECT COUNT(*) FROM submissions")
    again = tutor_grade(slow, "--out", out, "--cluster", cluster.address)
    assert again.returncode == 0, again.stderr
    assert f"grading {len(names) - saved}" in again.stderr, again.stderr
    assert count(out, "SELECT COUNT(*) FROM submissions") == len(names)
    assert count(out, "SELECT COUNT(*) FROM results_history") == 0
    assert [r[0] for r in sqlite3.connect(out / "gradebook.sqlite").execute("SELECT status FROM runs")] \
        == ["interrupted", "finished"]


def count_safely(out: Path) -> int:
    try:
        con = sqlite3.connect(f"file:{out / 'gradebook.sqlite'}?mode=ro", uri=True, timeout=1)
        try:
            return con.execute("SELECT COUNT(*) FROM submissions").fetchone()[0]
        finally:
            con.close()
    except sqlite3.Error:
        return 0


def flaky_grade_batch(plugin, digest, plan, timeout, batch):
    """The real task, except that any batch holding student05 fails (as if its worker kept breaking)."""
    if any(name == "student05" for name, _ in batch):
        raise RuntimeError("student05's batch broke the worker")
    return grade_batch(plugin, digest, plan, timeout, batch)


class FlakyExecutor(DaskExecutor):
    task = staticmethod(flaky_grade_batch)


def test_a_batch_that_keeps_failing_is_split_down_to_the_one_student(cluster, local_run, tmp_path, monkeypatch):
    monkeypatch.setenv("TUTOR_GRADER_VERSION", "test-pinned")
    folder, names = local_run
    options = GradeOptions(submissions=folder / "class", out=tmp_path / "out", cluster=cluster.address)
    events = list(grade_class(options, executor_factory=FlakyExecutor))
    assert events[-1] == Finished(1)
    failed = [e.student for e in events if isinstance(e, StudentDone) and not e.ok]
    assert failed == ["student05"]
    graded = {e.student for e in events if isinstance(e, StudentDone) and e.ok}
    assert graded == set(names) - {"student05"}
    errors = [e.text for e in events if isinstance(e, Notice) and e.level == "error"]
    assert any("student05 could not be graded" in t and "broke the worker" in t for t in errors), errors
    rows = list(csv.reader((tmp_path / "out" / "grades.csv").open()))
    assert rows[0][:4] == ["student", "exercise", "score", "max_score"]   # then grades.csv's assignment column
    assert all(row[2] == "" for row in rows[1:] if row[0] == "student05")
    assert gradebook_rows(tmp_path / "out") == [r for r in gradebook_rows(folder / "out") if r[0] != "student05"]


def test_a_worker_with_another_manifest_refuses(cluster, local_run, tmp_path):
    """A fifth worker runs a copy of tutor whose manifest differs: the instructor is told, and it grades nothing."""
    other = tmp_path / "other-tutor"
    shutil.copytree(ROOT / "tutor", other / "tutor", ignore=shutil.ignore_patterns("__pycache__"))
    with (other / "tutor" / "manifest.py").open("a") as f:
        f.write("\n# an edited manifest\n")
    cluster.add_worker(PYTHONPATH=str(other))
    cluster.wait_for_workers(5)
    folder, names = local_run
    result = tutor_grade(folder / "class", "--out", tmp_path / "out", "--cluster", cluster.address)
    assert result.returncode == 0, result.stderr
    refusals = [line for line in result.stderr.splitlines() if "refuses to grade" in line]
    assert any("it has manifest" in line and "where the coordinator has" in line for line in refusals), refusals
    assert gradebook_rows(tmp_path / "out") == gradebook_rows(folder / "out")


def test_a_worker_killed_mid_run_loses_nothing(cluster, local_run, tmp_path):
    """Runs last: one of the three grading workers is killed while the class is being graded."""
    folder, names = local_run
    slow = tmp_path / "class"
    make_class(slow, n=24, slow=0.3)
    reference = tmp_path / "local"
    assert tutor_grade(slow, "--out", reference, "--jobs", "1").returncode == 0
    out = tmp_path / "out"
    process = subprocess.Popen([sys.executable, "-m", "tutor", "grade", str(slow), "--out", str(out), "--cluster",
                                cluster.address], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=ENV,
                               cwd=ROOT, start_new_session=True)
    try:
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline and process.poll() is None and count_safely(out) < 2:
            time.sleep(0.05)
        killed_mid_run = process.poll() is None and count_safely(out) < 24
        cluster.kill(cluster.workers[0])
        stdout, stderr = process.communicate(timeout=300)
    finally:
        process.kill()
        process.wait()
    assert killed_mid_run, "the run finished before a worker could be killed"
    assert process.returncode == 0, stderr + cluster.logs()
    assert (out / "grades.csv").read_bytes() == (reference / "grades.csv").read_bytes()
    assert feedback(out) == feedback(reference)
    assert views(out) == views(reference)
    assert gradebook_rows(out) == gradebook_rows(reference)
    assert count(out, "SELECT COUNT(*) FROM submissions") == 24
    assert count(out, "SELECT COUNT(*) FROM results_history") == 0


def test_executor_dask_starts_a_local_cluster(local_run, tmp_path):
    """--executor dask without an address: a local cluster of --jobs workers, for trying it on one machine."""
    folder, names = local_run
    small = tmp_path / "class"
    small.mkdir()
    for name in names[:4]:
        shutil.copytree(folder / "class" / name, small / name)
    reference = tmp_path / "local"
    assert tutor_grade(small, "--out", reference, "--jobs", "1").returncode == 0
    result = tutor_grade(small, "--out", tmp_path / "out", "--executor", "dask", "--jobs", "1")
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "out" / "grades.csv").read_bytes() == (reference / "grades.csv").read_bytes()
    assert views(tmp_path / "out") == views(reference)
    assert gradebook_rows(tmp_path / "out") == gradebook_rows(reference)


def test_an_unreachable_scheduler_is_refused_with_what_to_check(tmp_path):
    (tmp_path / "class" / "ada").mkdir(parents=True)
    (tmp_path / "class" / "ada" / "layers.py").write_text("x = 1\n")
    result = tutor_grade(tmp_path / "class", "--out", tmp_path / "out", "--cluster", "tcp://127.0.0.1:9")
    assert result.returncode == 2, result.stderr
    assert "cannot reach the Dask scheduler at tcp://127.0.0.1:9" in result.stderr
    assert "Traceback" not in result.stderr
