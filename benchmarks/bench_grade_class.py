#!/usr/bin/env python3
"""How fast does `tutor grade` go through a class, and where does the time go?

    python benchmarks/bench_grade_class.py [--students 200] [--jobs N] [--repeat 3] [--naive-sample 6] [--keep DIR]

1. Makes a synthetic class in a temporary folder: a mix of complete solutions and planted
   mistakes (a transpose, a missing factor, a flipped sign, stubs still raising
   NotImplementedError, a syntax error, an exception, a missing file), over the whole syllabus.
2. Runs the real command, `python -m tutor grade CLASS --out OUT --jobs N`, as an instructor
   would, --repeat times, each into a fresh OUT: the headline figure is the median, in students
   per second, start-up included (torch, the reference answers, the workers); the fastest and
   slowest runs are printed too, since a shared machine's speed drifts. Then once more with
   --regrade: the reference answers now come from OUT/reference-cache/, so that run never
   imports torch.
3. Grades the same class in this process through the engine API (tutor.engine.Grader) with
   timers around the parts, to say where the time goes:
     start-up   importing the engine, the plan's inputs (NumPy only), starting the workers
     reference  the PyTorch reference (torch import included), computed once per case per Grader,
                in the background while the first students' code already runs
     learner    time spent in learner code (ExerciseResult.seconds, measured in the child)
     overhead   the rest of each student's engine time: fork, IPC, comparing and diagnosing
4. A naive baseline on a sample of students: a fresh `python -I` process per student that
   grades one workspace (tutor.engine.check_workspace), N processes at a time, and the ratio.
"""
from __future__ import annotations

import argparse
import os
import random
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tutor.manifest import EXERCISES  # noqa: E402

SOLUTIONS = ROOT / "solutions"
STUBS = ROOT / "exercises"
MODULES = list(dict.fromkeys(e.module for e in EXERCISES))

# (module, text in the solution, replacement): each plants one classic mistake.
PLANTED = [
    ("layers", "return x @ w + b, (x, w)", "return (x @ w + b).T, (x, w)"),                       # transposed
    ("layers", "2 * diff / diff.size", "diff / diff.size"),                                          # factor
    ("optim", "return w - lr * dw", "return w + lr * dw"),                                          # sign
    ("layers", "return dout @ w.T, x.T @ dout, dout.sum(axis=0)",
     "return dout @ w.T, (x.T @ dout).T.T * 2, dout.sum(axis=0)"),                                   # factor 2
    ("activations", "return np.maximum(x, 0), x", "return np.maximum(x, 0.0) + 1e-3, x"),           # mismatch
    ("activations", "out = np.tanh(x)", "out = np.tanh(x); raise ValueError('oops')"),             # exception
]


def plant(rng: random.Random, folder: Path) -> list[str]:
    """Copy the solutions into `folder` with one to three planted mistakes; returns what was planted."""
    folder.mkdir(parents=True)
    for module in MODULES:
        shutil.copy(SOLUTIONS / f"{module}.py", folder / f"{module}.py")
    planted = []
    for _ in range(rng.randint(1, 3)):
        kind = rng.choice(["edit", "edit", "edit", "stub", "missing", "syntax"])
        module = rng.choice(MODULES)
        if kind == "edit":
            module, old, new = rng.choice(PLANTED)
            path = folder / f"{module}.py"
            text = path.read_text() if path.exists() else ""
            if old in text:
                path.write_text(text.replace(old, new, 1))
                planted.append(f"edit {module}")
                continue
            kind = "stub"
        if kind == "stub":
            shutil.copy(STUBS / f"{module}.py", folder / f"{module}.py")
        elif kind == "missing":
            (folder / f"{module}.py").unlink(missing_ok=True)
        elif kind == "syntax":
            path = folder / f"{module}.py"
            if path.exists():
                path.write_text(path.read_text() + "\ndef broken(:\n")
        planted.append(f"{kind} {module}")
    return planted


def make_class(root: Path, students: int, correct_share: float, seed: int = 0) -> dict[str, list[str]]:
    rng = random.Random(seed)
    made = {}
    for i in range(students):
        name = f"s{i:04d}"
        if rng.random() < correct_share:
            (root / name).mkdir(parents=True)
            for module in MODULES:
                shutil.copy(SOLUTIONS / f"{module}.py", root / name / f"{module}.py")
            made[name] = []
        else:
            made[name] = plant(rng, root / name)
    return made


def run_cli(root: Path, out: Path, jobs: int, *extra: str) -> tuple[float, subprocess.CompletedProcess]:
    started = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "tutor", "grade", str(root), "--out", str(out),
                             "--jobs", str(jobs), *extra], capture_output=True, text=True, cwd=ROOT)
    return time.perf_counter() - started, result


def breakdown(root: Path, jobs: int) -> dict:
    """Grade the class through the engine API with timers around the parts."""
    from tutor.classroom.submissions import discover

    timers = {"reference": 0.0, "reference_calls": 0}
    lock = threading.Lock()

    t0 = time.perf_counter()
    import tutor.engine as engine
    from tutor.engine import reference

    original = reference.compute

    def timed_compute(*args, **kwargs):
        started = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            with lock:
                timers["reference"] += time.perf_counter() - started
                timers["reference_calls"] += 1

    # the engine may have imported compute by name: patch every module that holds it
    for module in list(sys.modules.values()):
        if getattr(module, "__name__", "").startswith("tutor.engine") and getattr(module, "compute", None) is original:
            module.compute = timed_compute
    reference.compute = timed_compute

    # Best effort, on the engine's internals when they are there: the time a grade() waits on its
    # worker process (fork, sandbox, import, learner code, IPC) and the time the parent spends judging.
    def timed_method(cls, name, key):
        method = getattr(cls, name, None)
        if method is None:
            return
        timers[key] = 0.0

        def wrapper(*args, **kwargs):
            started = time.perf_counter()
            try:
                return method(*args, **kwargs)
            finally:
                with lock:
                    timers[key] += time.perf_counter() - started
        setattr(cls, name, wrapper)
        patched.append((cls, name, method))

    patched: list = []
    from tutor.engine import grader as grader_module
    timed_method(grader_module, "run_tasks", "worker")       # a job on a worker (run.py), as the Grader calls it
    timed_method(engine.Grader, "judge", "judge")
    timed_method(engine.Grader, "_explain_backwards", "explain")

    classfolder = discover(root)
    names = list(classfolder.students)
    grader = engine.Grader(jobs=jobs)
    grader.start(prepare=False)        # the workers, as `tutor grade` starts them
    grader.plan_key                    # the plan's inputs, NumPy only (no torch)
    t_init = time.perf_counter() - t0
    ref_started = time.perf_counter()
    ref_done = {}

    def watch():                       # the reference in the background, as `tutor grade` prepares it
        grader.prepare()
        ref_done["at"] = time.perf_counter() - ref_started
    threading.Thread(target=watch, daemon=True).start()

    per_student: list[tuple[float, float]] = []   # (engine wall, learner seconds)

    def one(name):
        sources = classfolder.students[name].sources
        started = time.perf_counter()
        results = grader.grade(sources) if sources else []
        wall = time.perf_counter() - started
        with lock:
            per_student.append((wall, sum(r.seconds or 0.0 for r in results)))

    t1 = time.perf_counter()
    one(names[0])                      # the first pays for the reference cache and the first worker
    t_first = time.perf_counter() - t1
    ref_first = timers["reference"]
    first = {k: v for k, v in timers.items()}

    t2 = time.perf_counter()
    # One thread more than workers, as `tutor grade` runs them (a worker never waits for its thread).
    with ThreadPoolExecutor(max_workers=jobs + 1 if jobs > 1 else 1) as pool:
        list(pool.map(one, names[1:]))
    t_rest = time.perf_counter() - t2
    grader.close()
    reference.compute = original
    for cls, name, method in patched:
        setattr(cls, name, method)

    rest = per_student[1:]
    engine_wall = sum(w for w, _ in rest)
    learner = sum(s for _, s in rest)
    ref_rest = timers["reference"] - ref_first
    return {
        "students": len(names), "init": t_init, "first": t_first, "ref_first": ref_first,
        "ref_ready": ref_done.get("at"),
        "rest_wall": t_rest, "rest_students": len(rest), "engine_wall": engine_wall, "learner": learner,
        "ref_rest": ref_rest, "ref_calls": timers["reference_calls"],
        "overhead": max(engine_wall - learner - ref_rest, 0.0),
        **{f"{k}_rest": timers[k] - first.get(k, 0.0) for k in ("worker", "judge", "explain") if k in timers},
    }


def pure_learner_seconds() -> float:
    """Seconds the complete solutions take on every case, called directly in this process (our own
    trusted code): the floor for learner code in a correct submission, without any sandbox."""
    import importlib

    import numpy as np

    total = 0.0
    for e in EXERCISES:
        module = importlib.import_module(f"solutions.{e.module}")
        function = getattr(module, e.function)
        forward = getattr(module, e.forward.rpartition(".")[2]) if e.forward else None
        for i, case in enumerate(e.cases):
            kwargs = case.make(np.random.default_rng(i))
            if e.kind == "random" and "rng" not in kwargs and not forward:
                kwargs["rng"] = np.random.default_rng(i)
            started = time.perf_counter()
            try:
                if forward is not None:
                    if e.kind == "random" and "rng" not in kwargs:
                        kwargs["rng"] = np.random.default_rng(i)
                    out, cache = forward(**kwargs)
                    function(np.ones_like(out), cache)
                else:
                    function(**kwargs)
            except Exception:   # noqa: BLE001 - an estimate; a case this helper cannot call is skipped
                pass
            total += time.perf_counter() - started
    return total


NAIVE = ("import sys; from pathlib import Path; from tutor.engine import check_workspace; "
         "check_workspace(Path(sys.argv[1]))")


def naive(root: Path, names: list[str], jobs: int) -> float:
    """Seconds for a fresh `python -I` per student, `jobs` at a time.

    One untimed run first fills the learner-side reference cache (~/.cache/tutor) for this
    engine version, so that the timed runs never import torch: a conservative baseline (a naive
    grader without that cache would pay for torch and the reference once per student).
    """
    def one(name):
        subprocess.run([sys.executable, "-I", "-c", NAIVE, str(root / name)], check=True, cwd=ROOT,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    one(names[0])
    started = time.perf_counter()

    with ThreadPoolExecutor(max_workers=jobs) as pool:
        list(pool.map(one, names))
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--students", type=int, default=200)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--correct", type=float, default=0.4, help="share of complete solutions (default 0.4)")
    parser.add_argument("--repeat", type=int, default=3, help="end-to-end runs, each into a fresh OUT; the median is the "
                                                              "headline (default 3)")
    parser.add_argument("--naive-sample", type=int, default=6, help="students graded the naive way (default 6; 0: skip)")
    parser.add_argument("--keep", type=Path, default=None, help="make the class here and keep it")
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="bench-grade-")) if args.keep is None else args.keep
    root, out = tmp / "class", tmp / "out"
    try:
        made = make_class(root, args.students, args.correct)
        planted = sum(1 for v in made.values() if v)
        print(f"class: {len(made)} students ({len(made) - planted} complete, {planted} with planted mistakes), "
              f"{len(EXERCISES)} exercises in {len(MODULES)} modules; jobs={args.jobs}, cpus={os.cpu_count()}")

        walls = []
        for attempt in range(max(1, args.repeat)):
            folder = out if attempt == 0 else tmp / f"out-{attempt}"
            shutil.rmtree(folder, ignore_errors=True)
            wall, result = run_cli(root, folder, args.jobs)
            if result.returncode != 0:
                print(result.stdout, result.stderr, sep="\n")
                return 1
            walls.append(wall)
            if attempt:
                shutil.rmtree(folder, ignore_errors=True)
        wall = statistics.median(walls)
        con = sqlite3.connect(out / "gradebook.sqlite")
        learner_cli = con.execute("SELECT SUM(seconds) FROM results").fetchone()[0] or 0.0
        statuses = dict(con.execute("SELECT diagnosis, COUNT(*) FROM results GROUP BY diagnosis"))
        isolation = con.execute("SELECT isolation FROM runs ORDER BY id DESC LIMIT 1").fetchone()[0]
        con.close()
        rate = len(made) / wall
        print(f"\n`tutor grade` end to end: {wall:.2f} s for {len(made)} students = {rate:.1f} students/s "
              f"(start-up included; child task time {learner_cli:.2f} s in all)")
        if len(walls) > 1:
            print(f"  the median of {len(walls)} runs, each into a fresh OUT: "
                  + ", ".join(f"{w:.2f} s ({len(made) / w:.1f}/s)" for w in walls))
        print(f"  isolation: {isolation}")
        print(f"  diagnoses: {', '.join(f'{k} {v}' for k, v in sorted(statuses.items(), key=lambda kv: -kv[1]))}")
        print(f"  its output: {' | '.join(line.strip() for line in result.stdout.splitlines()[:1])}")
        regrade_wall, again = run_cli(root, out, args.jobs, "--regrade")
        if again.returncode != 0:
            print(again.stdout, again.stderr, sep="\n")
            return 1
        cached = (out / "reference-cache").is_dir()
        print(f"`tutor grade --regrade` into the same OUT: {regrade_wall:.2f} s = {len(made) / regrade_wall:.1f} "
              f"students/s ({'reference answers from OUT/reference-cache/, no torch' if cached else 'no reference cache in OUT'})")

        b = breakdown(root, args.jobs)
        steady = b["rest_students"] / b["rest_wall"] if b["rest_wall"] else float("inf")
        print(f"\nwhere the time goes (engine API in-process, jobs={args.jobs}):")
        ready = f"; reference ready {b['ref_ready']:.2f} s after start (in the background)" if b.get("ref_ready") else ""
        print(f"  start-up: import + Grader() + the plan's inputs: {b['init']:.2f} s; first student judged after "
              f"{b['first']:.2f} s (reference {b['ref_first']:.2f} s, torch import included, {b['ref_calls']} "
              f"reference calls in all{ready})")
        print(f"  steady state: {b['rest_students']} students in {b['rest_wall']:.2f} s = {steady:.1f} students/s")
        total = b["engine_wall"] or 1e-9
        per = 1000 / max(b["rest_students"], 1)
        print(f"  per student (engine wall, summed over threads): {b['engine_wall'] * per:.1f} ms = "
              f"learner (child task time) {b['learner'] * per:.1f} ms ({100 * b['learner'] / total:.0f}%) + reference "
              f"{b['ref_rest'] * per:.1f} ms ({100 * b['ref_rest'] / total:.0f}%) + process/IPC/compare "
              f"{b['overhead'] * per:.1f} ms ({100 * b['overhead'] / total:.0f}%)")
        if "worker_rest" in b:
            child = b["worker_rest"] - b["learner"]
            parent = b.get("judge_rest", 0.0) + b.get("explain_rest", 0.0)
            other = b["engine_wall"] - b["worker_rest"] - parent
            print(f"    of which: waiting on the worker process {b['worker_rest'] * per:.1f} ms = child task time "
                  f"{b['learner'] * per:.1f} ms + fork/sandbox/IPC {child * per:.1f} ms; judging in the parent "
                  f"{parent * per:.1f} ms (compare {b.get('judge_rest', 0.0) * per:.1f}, backward explanations "
                  f"{b.get('explain_rest', 0.0) * per:.1f}); other (locks, waiting for a free worker) {other * per:.1f} ms")
        pure = pure_learner_seconds()
        print(f"    'learner' is the child's task time (ExerciseResult.seconds): the learner's calls plus importing "
              f"the modules, copying inputs and encoding results; the complete solutions alone take "
              f"{pure * 1000:.1f} ms on every case, called directly in-process")

        target = "meets" if rate >= 20 else "misses"
        sample = list(made)[: args.naive_sample]
        if not sample:
            print(f"\ntarget >= 20 students/s end to end: {target} ({rate:.1f})")
            return 0
        naive_wall = naive(root, sample, args.jobs)
        naive_rate = len(sample) / naive_wall
        print(f"\nnaive baseline (fresh `python -I` per student, {args.jobs} at a time, {len(sample)} students, "
              f"reference from a warm ~/.cache/tutor): "
              f"{naive_wall:.2f} s = {naive_rate:.2f} students/s")
        print(f"ratio: `tutor grade` is {rate / naive_rate:.1f}x the naive baseline end to end "
              f"({steady / naive_rate:.1f}x in steady state)")
        print(f"target >= 20 students/s end to end: {target} ({rate:.1f})")
        return 0
    finally:
        if args.keep is None:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
