#!/usr/bin/env python3
"""How fast does `tutor grade --cluster` go, against the local executor, on this machine?

    python benchmarks/bench_cluster.py [--students 24] [--max-workers 3] [--ceiling-students 600]

1. Makes a synthetic class (bench_grade_class.make_class: solutions with planted mistakes) and
   grades it once locally, which leaves the reference answers in OUT/reference-cache; every later
   run starts from a copy of that cache, so no run pays for torch and all pay the same.
2. The local executor, `tutor grade --jobs K`, and a real Dask cluster (`dask scheduler` and K
   `dask worker --nthreads 1` processes on 127.0.0.1), `tutor grade --cluster ADDRESS`, for
   K = 1 .. --max-workers, in the same run: students/s as the command reports it ("Graded N
   student(s) in T s": from the first batch submitted to the last one recorded, the reference
   shipping included, the cluster's start-up not), and the ratio cluster / local for each K.
   Every cluster run's grades.csv is checked to be byte-identical to the local one.
3. The coordinator's ceiling: the same cluster (one worker) with a task that grades nothing and
   returns a fixed result per exercise at once, over --ceiling-students students: what the
   coordinator itself can send, receive and record per second, whatever the workers' speed.

Every figure is relative to a baseline measured in the same run; nothing is asserted.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_grade_class import make_class  # noqa: E402

DASK = Path(sys.executable).with_name("dask")
ENV = dict(os.environ, TUTOR_GRADER_VERSION="bench-pinned", PYTHONPATH=str(ROOT))
GRADED = re.compile(r"Graded (\d+) student\(s\) in ([\d.]+) s")


class Cluster:
    """A scheduler and workers on 127.0.0.1; close() kills them all."""

    def __init__(self, folder: Path):
        self.folder, self.workers, self.processes = folder, [], []
        scheduler_file = folder / "scheduler.json"
        self._start([str(DASK), "scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
                     "--scheduler-file", str(scheduler_file)])
        while not scheduler_file.exists() or not scheduler_file.read_text().strip():
            time.sleep(0.2)
        time.sleep(0.2)
        self.address = json.loads(scheduler_file.read_text())["address"]

    def _start(self, argv):
        process = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=ENV, cwd=ROOT,
                                   start_new_session=True)
        self.processes.append(process)
        return process

    def resize(self, n: int) -> None:
        from distributed import Client

        while len(self.workers) < n:
            self.workers.append(self._start([str(DASK), "worker", self.address, "--nthreads", "1", "--no-dashboard",
                                             "--host", "127.0.0.1", "--no-nanny"]))
        while len(self.workers) > n:
            self._kill(self.workers.pop())
        with Client(self.address, timeout=30) as client:
            client.wait_for_workers(n, timeout=120)
            while len(client.scheduler_info(n_workers=-1)["workers"]) > n:
                time.sleep(0.2)

    @staticmethod
    def _kill(process) -> None:
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        process.wait()

    def close(self) -> None:
        for process in reversed(self.processes):
            self._kill(process)


def grade(root: Path, out: Path, cache: Path, *args: str) -> float:
    """students/s of one `tutor grade` into a fresh OUT that holds the reference cache already."""
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    shutil.copytree(cache, out / "reference-cache")
    result = subprocess.run([sys.executable, "-m", "tutor", "grade", str(root), "--out", str(out), *args],
                            capture_output=True, text=True, env=ENV, cwd=ROOT, timeout=1800)
    found = GRADED.search(result.stdout)
    if result.returncode != 0 or not found:
        raise SystemExit(f"tutor grade {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return int(found.group(1)) / float(found.group(2))


def no_work_batch(plugin, digest, plan, timeout, batch):
    """A task that grades nothing: every exercise passed, at once (defined in __main__: sent by value)."""
    from distributed import get_worker

    from tutor.manifest import EXERCISES

    rows = [{"exercise": e.id, "score": float(e.points), "max_score": float(e.points), "passed": True,
             "message": "ok", "status": "passed", "diagnosis": "ok", "details": [], "seconds": 0.0}
            for e in EXERCISES]
    return {"worker": get_worker().address, "graded": {name: rows for name, _ in batch}, "failed": {}}


def ceiling(address: str, folder: Path, students: int) -> float:
    """Students/s the coordinator records when the workers take no time at all."""
    os.environ["TUTOR_GRADER_VERSION"] = "bench-pinned"
    from tutor.classroom.cluster import DaskExecutor
    from tutor.classroom.pipeline import GradeOptions, Started, StudentDone, grade_class

    class NoWork(DaskExecutor):
        task = staticmethod(no_work_batch)

    root = folder / "ceiling-class"
    for i in range(students):
        (root / f"s{i:05d}").mkdir(parents=True)
        (root / f"s{i:05d}" / "layers.py").write_text(f"# {i}\n")
    out = folder / "ceiling-out"
    shutil.copytree(folder / "cache", out / "reference-cache")
    first = last = None
    for event in grade_class(GradeOptions(submissions=root, out=out, cluster=address), executor_factory=NoWork):
        if isinstance(event, Started):
            first = time.perf_counter()
        elif isinstance(event, StudentDone):
            last = time.perf_counter()
    return students / (last - first)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    parser.add_argument("--students", type=int, default=24)
    parser.add_argument("--max-workers", type=int, default=3)
    parser.add_argument("--ceiling-students", type=int, default=600)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="tutor-bench-cluster-"))
    cluster = None
    try:
        root = folder / "class"
        make_class(root, args.students, correct_share=0.4)
        first = folder / "first"
        subprocess.run([sys.executable, "-m", "tutor", "grade", str(root), "--out", str(first), "--jobs", "1"],
                       check=True, capture_output=True, env=ENV, cwd=ROOT, timeout=1800)
        shutil.copytree(first / "reference-cache", folder / "cache")
        print(f"{args.students} students, {os.cpu_count()} cores on this machine")
        print(f"{'workers':>8} {'local students/s':>17} {'cluster students/s':>19} {'cluster/local':>14}")
        cluster = Cluster(folder)
        for k in range(1, args.max_workers + 1):
            local = grade(root, folder / f"local-{k}", folder / "cache", "--jobs", str(k))
            cluster.resize(k)
            dask = grade(root, folder / f"dask-{k}", folder / "cache", "--cluster", cluster.address)
            same = (folder / f"dask-{k}" / "grades.csv").read_bytes() == (folder / f"local-{k}" / "grades.csv").read_bytes()
            print(f"{k:>8} {local:>17.1f} {dask:>19.1f} {dask / local:>14.2f}"
                  f"{'' if same else '   GRADES DIFFER'}", flush=True)
        cluster.resize(1)
        rate = ceiling(cluster.address, folder, args.ceiling_students)
        print(f"coordinator ceiling (a task that grades nothing, {args.ceiling_students} students): "
              f"{rate:.0f} students/s")
    finally:
        if cluster is not None:
            cluster.close()
        shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
