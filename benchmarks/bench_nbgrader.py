"""nbgrader's autograde against `tutor grade` on the same submitted notebooks.

    python benchmarks/bench_nbgrader.py [--students 20] [--assignment 03_training|all] [--jobs N]

Builds a temporary course (`tutor nbgrader export`, `nbgrader generate_assignment`), writes
a class of made-up students (correct, wrong, blank, half right, tampered: see
tutor/nbgrader/classkit.py), copies the course, then times on the same submitted/ folder:

    nbgrader autograde ASSIGNMENT (each of them)                       (a kernel per notebook)
    tutor grade submitted --out OUT --nbgrader-db gradebook.db        (no kernel; the sandbox)

Both write the course's nbgrader gradebook; the script checks they agree on every verdict
(passed or not, per test cell) and prints both times and the ratio. `tutor grade` executes
every code cell of every notebook in its sandbox (tutor.notebook.program), as autograde's
kernel does. `--assignment all`: every assignment of the syllabus, one notebook each.
"""
from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--students", type=int, default=20)
    parser.add_argument("--assignment", default="03_training", help="an assignment, or all")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="tutor grade --jobs")
    parser.add_argument("--keep", type=Path, default=None, help="build the courses here and keep them")
    args = parser.parse_args(argv)
    if args.students < 1:
        parser.error("--students must be at least 1")

    import nbformat
    from nbgrader.api import Gradebook
    from nbgrader.apps import NbGraderAPI
    from traitlets.config import Config

    from tutor.notebook import build
    from tutor.nbgrader import classkit, export
    from tutor.notebook.cells import parse_grade_id
    from tutor.notebook.kernel import kernel_env

    base = args.keep or Path(tempfile.mkdtemp(prefix="bench-nbgrader-"))
    base.mkdir(parents=True, exist_ok=True)
    nbg, tut = base / "nbgrader-course", base / "tutor-course"
    for path in (nbg, tut, base / "tutor-out"):
        shutil.rmtree(path, ignore_errors=True)
    env = kernel_env(base / "jupyter")

    chosen = [a for a in build.assignments() if args.assignment in (a.name, "all")]
    if not chosen:
        parser.error(f"no assignment {args.assignment}; choose all or one of "
                     f"{', '.join(a.name for a in build.assignments())}")
    export.export_course(nbg)
    config = Config()
    config.CourseDirectory.root = str(nbg)
    config.CourseDirectory.course_id = "tutor"
    for assignment in chosen:
        result = NbGraderAPI(config=config).generate_assignment(assignment.name)
        if not result["success"]:
            print(result.get("log") or result.get("error"), file=sys.stderr)
            return 1
        roster = classkit.make_class(nbg, assignment.name, args.students)
    shutil.copytree(nbg, tut)
    kinds = {}
    for kind in roster.values():
        kinds[kind] = kinds.get(kind, 0) + 1
    exercises = sum(len(a.exercises) for a in chosen)
    print(f"{args.students} students x {len(chosen)} notebook(s) ({exercises} exercises): "
          + ", ".join(f"{n} {k}" for k, n in kinds.items()))
    print(f"courses in {base}; {os.cpu_count()} cores")

    started = time.perf_counter()
    for assignment in chosen:
        done = subprocess.run([sys.executable, "-m", "nbgrader", "autograde", assignment.name], cwd=nbg,
                              env=env, capture_output=True, text=True)
        if done.returncode != 0:
            print(done.stdout[-3000:], done.stderr[-3000:], file=sys.stderr)
            return 1
    nbgrader_seconds = time.perf_counter() - started

    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "tutor", "grade", str(tut / "submitted"), "--out",
                           str(base / "tutor-out"), "--nbgrader-db", str(tut / "gradebook.db"),
                           "--jobs", str(args.jobs)], cwd=ROOT, env=env, capture_output=True, text=True)
    tutor_seconds = time.perf_counter() - started
    if done.returncode != 0:
        print(done.stdout[-3000:], done.stderr[-3000:], file=sys.stderr)
        return 1

    def verdicts(course: Path) -> dict:
        out = {}
        with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
            for student in roster:
                for assignment in chosen:
                    notebook = gb.find_submission_notebook(assignment.notebook, assignment.name, student)
                    for grade in notebook.grades:
                        if parse_grade_id(grade.name):
                            out[(student, grade.name)] = grade.score == grade.max_score
        return out

    a, b = verdicts(nbg), verdicts(tut)
    differ = sorted(k for k in a if a[k] != b.get(k))
    print(f"nbgrader autograde: {nbgrader_seconds:7.1f} s  ({nbgrader_seconds / args.students:.2f} s per student)")
    print(f"tutor grade:        {tutor_seconds:7.1f} s  ({tutor_seconds / args.students:.2f} s per student, "
          f"--jobs {args.jobs}, gradebook sync included)")
    print(f"ratio:              {nbgrader_seconds / tutor_seconds:7.1f}x faster with tutor grade")
    print(f"verdicts: {len(a)} test cells, {len(a) - len(differ)} agree" +
          (f"; DIFFER: {differ[:10]}" if differ else ""))
    if args.keep is None:
        shutil.rmtree(base, ignore_errors=True)
    return 1 if differ else 0


if __name__ == "__main__":
    raise SystemExit(main())
