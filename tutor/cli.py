"""The `tutor` command. Each subcommand lives in tutor/commands/<name>.py and is imported
only when used, so `tutor` (the app) starts without loading torch or nbgrader."""
from __future__ import annotations

import argparse
import importlib
import sys
from pathlib import Path


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="tutor",
        description="Learn neural networks by building them. With no command, opens the terminal tutor.",
    )
    parser.add_argument("--workspace", type=Path, default=None,
                        help="folder of exercise modules you edit (default: ~/tutor-workspace; created when missing)")
    parser.add_argument("--web", action="store_true",
                        help="serve the tutor to a browser on this machine (needs the web extra)")
    parser.add_argument("--host", default="localhost", help="with --web: the address to listen on (default localhost)")
    parser.add_argument("--port", type=int, default=8000, help="with --web: the port (default 8000)")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__import__('tutor').__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    check = sub.add_parser("check", help="check your exercises and explain what is wrong")
    check.add_argument("exercise", nargs="?", help="an exercise (layers.affine_forward) or a module (layers); default: all")
    check.add_argument("--workspace", type=Path, default=argparse.SUPPRESS, help="folder of exercise modules you edit")
    check.add_argument("--json", action="store_true", help="print a JSON list, one object per exercise")
    check.add_argument("--timeout", type=float, default=10.0, help="seconds allowed per exercise (default 10)")
    check.add_argument("--case", type=int, default=None, metavar="N",
                       help="print case N of one exercise as Python you can paste, instead of checking")
    check.add_argument("--course", type=Path, default=None,
                       help="a course folder: check only its exercises, with its points (its course.toml)")

    hint = sub.add_parser("hint", help="reveal the next hint for an exercise")
    hint.add_argument("exercise", help="exercise id, e.g. layers.affine_backward")
    hint.add_argument("--workspace", type=Path, default=argparse.SUPPRESS, help="folder of exercise modules you edit")

    solution = sub.add_parser("solution", help="the course's solution of an exercise you solved")
    solution.add_argument("exercise", help="exercise id, e.g. layers.affine_backward")
    solution.add_argument("--workspace", type=Path, default=argparse.SUPPRESS, help="folder of exercise modules you edit")
    solution.add_argument("--yes", action="store_true",
                          help="before solving (every hint revealed): show it without asking")

    grade = sub.add_parser("grade", help="grade a class: SUBMISSIONS/<student>/<module>.py or an nbgrader submitted/ folder")
    grade.add_argument("submissions", type=Path, help="folder with one sub-folder per student")
    grade.add_argument("--out", type=Path, required=True, help="output folder: grades.csv, feedback/, gradebook.sqlite")
    grade.add_argument("--jobs", type=int, default=None, help="students graded at once (default: all cores)")
    grade.add_argument("--timeout", type=float, default=10.0, help="seconds allowed per exercise (default 10)")
    grade.add_argument("--regrade", action="store_true", help="grade everything again, even unchanged submissions")
    grade.add_argument("--force", action="store_true",
                       help="use an --out folder that holds another class's gradebook (kept and extended) or an "
                            "unusable one (renamed aside); nothing is deleted")
    grade.add_argument("--executor", choices=("local", "dask"), default="local",
                       help="where the students' code runs: this machine's workers (default) or a Dask cluster")
    grade.add_argument("--cluster", metavar="ADDRESS", default=None,
                       help="grade on the running Dask cluster at ADDRESS (tcp://HOST:8786); see docs/CLUSTER.md")
    grade.add_argument("--nbgrader-db", type=Path, default=None,
                       help="also write the scores into this nbgrader gradebook (gradebook.db of the course)")
    grade.add_argument("--course", type=Path, default=None,
                       help="course folder with course.toml and roster.csv (default: --nbgrader-db's folder, or "
                            "SUBMISSIONS's parent when it holds one of them)")
    grade.add_argument("--assignment", action="append", default=None, metavar="NAME",
                       help="report this assignment of course.toml (repeatable; default: every one handed out)")
    grade.add_argument("--exercises", default=None, metavar="LIST",
                       help="report only these exercises or modules, comma-separated (e.g. layers,optim.sgd_step)")
    grade.add_argument("--due", default=None, metavar="ISO8601",
                       help="due date of the assignment(s); each student's timestamp.txt says when it was handed in")
    grade.add_argument("--roster", type=Path, default=None,
                       help="class roster CSV (id,name,email[,lms_id,section]; default: COURSE/roster.csv)")

    export_grades = sub.add_parser("export", help="export grades of a `tutor grade` output folder for an LMS")
    export_grades.add_argument("out", type=Path, help="the --out folder of `tutor grade`")
    export_grades.add_argument("--roster", type=Path, default=None,
                               help="class roster CSV (default: the one `tutor grade` used)")
    export_grades.add_argument("--to", type=Path, default=None,
                               help="folder to write to (default: OUT/export)")

    nbgrader = sub.add_parser("nbgrader", help="nbgrader integration")
    nb_sub = nbgrader.add_subparsers(dest="nbgrader_command", metavar="ACTION", required=True)
    export = nb_sub.add_parser("export", help="write a complete nbgrader course for the whole syllabus")
    export.add_argument("course_dir", type=Path)
    export.add_argument("--force", action="store_true", help="replace notebooks that already exist in source/")

    notebooks = sub.add_parser("notebooks", help="write self-study notebooks, one per lesson")
    notebooks.add_argument("directory", type=Path)
    notebooks.add_argument("--force", action="store_true", help="replace notebooks that already exist")

    lessons = sub.add_parser("lessons", help="list the lessons and their exercises")
    del lessons
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    command = args.command or ("web" if args.web else "app")
    if command == "nbgrader":
        command = f"nbgrader_{args.nbgrader_command}"
    handler = importlib.import_module(f"tutor.commands.{command}")
    try:
        return int(handler.run(args) or 0)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
