"""The nbgrader course, written by `tutor nbgrader export COURSE`.

nbgrader course (`tutor nbgrader export`): one assignment per lesson that has exercises,
named `NN_<lesson>` so they sort in syllabus order, holding one notebook `<lesson>.ipynb`:

    markdown   the lesson's title and introduction
    code       setup (locked): the imports and `from tutor import check`
    for each exercise of the lesson, in manifest order:
      markdown  its id, its points and its hints (folded)
      code      answer cell (nbgrader solution): the stub's signature and docstring, the
                solution's body between ### BEGIN SOLUTION / ### END SOLUTION, so the
                released stub raises NotImplementedError
      code      test cell (graded, locked, the manifest's points): check(...) on the
                visible cases, and between ### BEGIN HIDDEN TESTS / ### END HIDDEN TESTS
                the same cases on fresh inputs

Why per lesson: that is the unit a teacher releases, and every backward's forward and
every helper an exercise needs live in the same lesson, so each notebook runs on its own
(tutor.notebook.program runs a student's notebook in the sandbox, as a kernel would). The
assignments, points, hints and solution reveals come from the course's course.toml
(tutor.course) when it has one; the export writes the default one and the hidden-test secret.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from tutor.notebook import cells as cellids
from tutor.notebook.build import (Assignment, ExportRefused, answer_source, assignments, cell_meta,
                                  exercise_markdown, introduction, new_code_cell, new_markdown_cell, notebook,
                                  setup_source, test_source, write_notebook)


HOW_IT_WORKS = (
    "**How this notebook works.** Each exercise has an answer cell (write your code where it "
    "says `YOUR CODE HERE`) and a test cell below it. The test cell calls `check(...)`: your "
    "function's source is sent to tutor's sandbox, run on several inputs and compared with a "
    "PyTorch reference, and you get a diagnosis (a transpose, a factor of N, a flipped sign, "
    "an overflow) rather than a bare *wrong*. Keep helper functions in the answer cells. "
    "When grading, the test cells also run hidden tests: the same checks on other inputs."
)


def course_notebook(assignment: Assignment, course=None):
    """The nbgrader source notebook (with solutions and hidden tests) of one assignment;
    `course` (tutor.course.Course) says whether hints are shown and solutions offered."""
    cells = [
        new_markdown_cell(introduction(assignment.lesson, assignment.title) + "\n\n---\n\n" + HOW_IT_WORKS),
        new_code_cell(setup_source(assignment.exercises, course=course),
                      metadata=cell_meta(f"{cellids.SETUP}-{assignment.lesson}", locked=True)),
    ]
    hints = course is None or course.hints
    for number, exercise in enumerate(assignment.exercises, 1):
        cells.append(new_markdown_cell(exercise_markdown(number, exercise, graded=True, hints=hints)))
        cells.append(new_code_cell(answer_source(exercise),
                                   metadata=cell_meta(cellids.answer_id(exercise.id), solution=True)))
        cells.append(new_code_cell(test_source(exercise),
                                   metadata=cell_meta(cellids.test_id(exercise.id), grade=True, locked=True,
                                                  points=exercise.points)))
    return notebook(cells)


CONFIG = '''\
# nbgrader configuration of the tutor course, written by `tutor nbgrader export`.
# Run nbgrader from this folder (it is the course root). See docs/JUPYTER.md in tutor.
c = get_config()

c.CourseDirectory.course_id = "tutor"

# Every test cell calls tutor's check(): the learner's function runs in tutor's sandbox,
# compared with a PyTorch reference computed in the kernel. The first check of a notebook
# imports PyTorch, so give cells more than nbgrader's default 30 seconds.
c.Execute.timeout = 180

# Assignments, one per lesson, in syllabus order (points in brackets):
{assignments}
'''


@dataclass
class ExportResult:
    course_dir: Path
    written: list[Path]
    config_written: bool
    assignments: list[Assignment]


def course_assignments(course) -> list[Assignment]:
    """The assignments of a course.toml (tutor.course.Course), with its points; the default
    course (no assignments listed) is one per lesson."""
    if not course.assignments:
        return assignments()
    titles = {a.lesson: a.title for a in assignments()}
    out = []
    for settings in course.assignments:
        chosen = [e for e in course.exercises() if e.id in settings.exercises]
        chosen.sort(key=lambda e: settings.exercises.index(e.id))
        # several assignments may hold exercises of one lesson: the notebook is named after the lesson
        lesson = chosen[0].lesson
        out.append(Assignment(settings.name, lesson, titles.get(lesson, settings.name), tuple(chosen)))
    return out


def export_course(course_dir: Path, force: bool = False, exercises=None) -> ExportResult:
    """The course's notebooks (from its course.toml, written with the defaults when missing),
    nbgrader_config.py, and the hidden-test secret (.tutor-secret, never replaced)."""
    from tutor.course import SETTINGS, default_settings, write_secret

    course_dir = Path(course_dir)
    course = _course_or_new(course_dir)
    chosen = course_assignments(course) if exercises is None else assignments(exercises)
    if not chosen:
        raise ExportRefused("the manifest lists no exercises yet: nothing to export.")
    targets = [(a, course_dir / "source" / a.name / f"{a.notebook}.ipynb") for a in chosen]
    if not force:
        _refuse_to_replace(course_dir, [path for _, path in targets if path.exists()])
    notebooks = [(path, course_notebook(a, course)) for a, path in targets]   # build all before writing any
    course_dir.mkdir(parents=True, exist_ok=True)
    write_secret(course_dir)
    if not (course_dir / SETTINGS).exists():
        (course_dir / SETTINGS).write_text(default_settings(chosen), encoding="utf-8")
    written = []
    for path, nb in notebooks:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_notebook(nb, path)
        written.append(path)
    return ExportResult(course_dir, written, _write_nbgrader_config(course_dir, chosen), chosen)


def _course_or_new(course_dir: Path):
    """The course in `course_dir` (its course.toml), or a new one where there is no folder yet."""
    from tutor.course import Course, CourseError, load_course

    try:
        return load_course(course_dir) if course_dir.exists() else Course(course_dir)
    except CourseError as exc:
        raise ExportRefused(f"{exc}. Nothing was written.") from None


def _refuse_to_replace(course_dir: Path, existing: list[Path]) -> None:
    if not existing:
        return
    names = "\n".join(f"  {p}" for p in existing[:12]) + ("\n  ..." if len(existing) > 12 else "")
    raise ExportRefused(
        f"{len(existing)} notebook(s) already exist in {course_dir / 'source'}:\n{names}\n"
        f"Nothing was written. Re-run with --force to replace them (a teacher's edits to them "
        f"are lost; released, submitted and graded work is not touched).")


def _write_nbgrader_config(course_dir: Path, chosen: list[Assignment]) -> bool:
    """nbgrader_config.py, unless there is one (a teacher's edits are kept); whether it was written."""
    config = course_dir / "nbgrader_config.py"
    if config.exists():
        return False
    listing = "\n".join(f"#   {a.name:<20} {a.title} [{a.points}]" for a in chosen)
    config.write_text(CONFIG.format(assignments=listing), encoding="utf-8")
    return True


# --- self-study notebooks -------------------------------------------------------------------
