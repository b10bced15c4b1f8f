"""How long grading takes, and where the time goes.

    python benchmarks/bench_check.py [--students 200] [--jobs 2] [--baseline 20]

1. One whole-syllabus check of the solutions, as `tutor check` does it: torch import,
   reference (every case, once), worker start, the learner's code, the comparisons.
2. Class throughput: Grader(jobs=N).grade from N threads over --students copies of the
   solutions (target: >= 20 students/s on 2 cores), with CPU time per student per process.
3. The same with a fresh `python -I` worker spawned per student (no fork server), for the ratio.
"""
from __future__ import annotations

import argparse
import os
import resource
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tutor.engine import pool as pool_module  # noqa: E402
from tutor.engine.grader import Grader  # noqa: E402
from tutor.engine.run import read_sources  # noqa: E402

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


class Stopwatch:
    """Adds up wall time spent in wrapped methods (per label), across threads."""

    def __init__(self):
        self.totals: dict[str, float] = {}

    def wrap(self, owner, name, label):
        original = getattr(owner, name)

        def timed(*args, **kwargs):
            started = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                self.totals[label] = self.totals.get(label, 0.0) + time.perf_counter() - started

        setattr(owner, name, timed)
        return original


def process_tree_cpu(root: int) -> float:
    """CPU seconds of a process and its live descendants, each with its reaped children.

    (The worker may be a sandbox wrapper whose child is the zygote; the zygote reaps every
    per-job child, so their time is in its cutime/cstime.)
    """
    stats = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            stats[int(entry.name)] = (int(fields[1]), sum(int(f) for f in fields[11:15]))
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        total += stats.get(pid, (0, 0))[1]
        todo += [child for child, (parent, _) in stats.items() if parent == pid]
    return total / CLOCK_TICKS


def own_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def single_check(sources) -> None:
    watch = Stopwatch()
    watch.wrap(Grader, "judge", "comparisons")
    watch.wrap(pool_module.Worker, "run", "worker (fork, learner code, transfer)")
    started = time.perf_counter()
    import torch  # noqa: F401 - timed on its own: it is most of a first check

    torch_seconds = time.perf_counter() - started
    with Grader() as grader:
        began = time.perf_counter()
        with grader.pool.worker() as worker:
            worker.run("ping", b"", [], {}, 5.0)   # an empty job: the zygote is up and answering
        worker_start = time.perf_counter() - began
        began = time.perf_counter()
        grader.prepare()
        reference_seconds = time.perf_counter() - began
        watch.totals.clear()
        began = time.perf_counter()
        results = grader.grade(sources)
        grade_seconds = time.perf_counter() - began
    total = time.perf_counter() - started
    learner = sum(r.seconds for r in results)
    solved = sum(r.passed for r in results)
    print(f"== one whole-syllabus check ({len(results)} exercises, {solved} solved) ==")
    print(f"  total                          {total * 1000:8.1f} ms")
    print(f"  import torch                   {torch_seconds * 1000:8.1f} ms")
    print(f"  worker start (zygote up)       {worker_start * 1000:8.1f} ms")
    print(f"  reference (all cases, once)    {reference_seconds * 1000:8.1f} ms")
    print(f"  grade() once prepared          {grade_seconds * 1000:8.1f} ms (the first: sends the plan), of which")
    for label, seconds in watch.totals.items():
        print(f"    {label:<30} {seconds * 1000:8.1f} ms")
    print(f"    learner code (child-timed)     {learner * 1000:8.1f} ms")


def throughput(sources, students: int, jobs: int) -> float:
    with Grader(jobs=jobs) as grader:
        grader.prepare()
        with ThreadPoolExecutor(jobs) as threads:        # start and warm every worker
            list(threads.map(lambda _: grader.grade(sources), range(jobs)))
        zygotes = [w.process.pid for w in grader.pool.idle_workers()]
        cpu_parent, cpu_workers = own_cpu(), sum(process_tree_cpu(p) for p in zygotes)
        started = time.perf_counter()
        with ThreadPoolExecutor(jobs) as threads:
            results = list(threads.map(lambda _: grader.grade(sources), range(students)))
        seconds = time.perf_counter() - started
        cpu_parent = own_cpu() - cpu_parent
        cpu_workers = sum(process_tree_cpu(p) for p in zygotes) - cpu_workers
    assert all(all(r.passed for r in student) for student in results), "a solution failed"
    rate = students / seconds
    print(f"== class throughput: {students} copies of the solutions, jobs={jobs} (fork server) ==")
    print(f"  {seconds:.2f} s, {rate:.1f} students/s ({seconds / students * 1000:.1f} ms per student)")
    per_student = (cpu_parent + cpu_workers) / students
    print(f"  CPU per student: parent {cpu_parent / students * 1000:.1f} ms, "
          f"workers {cpu_workers / students * 1000:.1f} ms (fork, sandbox, learner code, transfer)")
    print(f"  so {os.cpu_count()} idle cores could grade about {os.cpu_count() / per_student:.0f} students/s "
          f"(load average now {os.getloadavg()[0]:.2f}: other processes share these cores)")
    return rate


def fresh_process_throughput(sources, students: int, jobs: int) -> float:
    """Same grading, but a brand-new `python -I` worker for every student."""
    grader = Grader(jobs=jobs)
    grader.prepare()
    original = pool_module.WorkerPool.worker

    def fresh_worker(pool):
        from contextlib import contextmanager

        @contextmanager
        def one():
            worker = pool_module.Worker()
            try:
                yield worker
            finally:
                worker.close()
        return one()

    pool_module.WorkerPool.worker = fresh_worker
    try:
        started = time.perf_counter()
        with ThreadPoolExecutor(jobs) as threads:
            list(threads.map(lambda _: grader.grade(sources), range(students)))
        seconds = time.perf_counter() - started
    finally:
        pool_module.WorkerPool.worker = original
        grader.close()
    rate = students / seconds
    print(f"== baseline: a fresh `python -I` worker per student, jobs={jobs}, {students} students ==")
    print(f"  {seconds:.2f} s, {rate:.1f} students/s")
    return rate


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--students", type=int, default=200)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--baseline", type=int, default=20, help="students for the fresh-process baseline")
    args = parser.parse_args()
    sources = read_sources(ROOT / "solutions")
    print(f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f}; isolation: {Grader().isolation}")
    single_check(sources)
    rate = throughput(sources, args.students, args.jobs)
    baseline = fresh_process_throughput(sources, args.baseline, args.jobs)
    print(f"== fork server vs fresh process: {rate / baseline:.1f}x the students per second ==")


if __name__ == "__main__":
    main()
