"""`tutor nbgrader export COURSE_DIR [--force]`: write a complete nbgrader course."""
from __future__ import annotations

import sys


def run(args) -> int:
    from tutor.nbgrader.export import ExportRefused, export_course

    try:
        result = export_course(args.course_dir, force=args.force)
    except ExportRefused as exc:
        print(f"tutor nbgrader export: {exc}", file=sys.stderr)
        return 1
    root = result.course_dir
    print(f"Wrote the tutor course to {root}:")
    for assignment, path in zip(result.assignments, result.written):
        n = len(assignment.exercises)
        ex = "exercise" if n == 1 else "exercises"
        pts = "point" if assignment.points == 1 else "points"
        print(f"  {path.relative_to(root)}  ({n} {ex}, {assignment.points} {pts})")
    print("  course.toml          (the course's settings: assignments, points, hints, solutions)")
    print("  .tutor-secret        (the hidden tests' secret: instructor only, never released)")
    if result.config_written:
        print(f"  nbgrader_config.py")
    else:
        print(f"  (kept the existing nbgrader_config.py)")
    first = result.assignments[0].name
    print(f"""
Next, from {root}:
  nbgrader validate source/{first}/*.ipynb      # the solutions pass their tests
  nbgrader generate_assignment {first}          # release/{first}: stubs, hidden tests removed
  ... students work and submit; collect into submitted/<student>/{first}/ ...
  tutor grade submitted --out tutor-grades --nbgrader-db gradebook.db   # safe and fast, or:
  nbgrader autograde {first}
  nbgrader generate_feedback {first} && nbgrader export
See docs/JUPYTER.md for the whole path.""")
    return 0
