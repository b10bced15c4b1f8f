"""Reading an nbgrader submitted/ folder: submitted/<student>/<assignment>/<notebook>.ipynb.

The reader plugs into tutor.classroom.submissions.discover (its `read_student` seam), so
`tutor grade COURSE/submitted --out OUT` grades notebooks exactly like .py modules:

    read_student(folder, modules) -> Student | None
        None when `folder` is not in the nbgrader layout (it holds module .py files, or no
        <assignment>/<notebook>.ipynb); else one Student whose sources are programs
        (tutor.notebook.program) that run every code cell of the student's notebooks in order
        in the sandbox, each exercise graded at its test cell, found by nbgrader grade_id
        (tutor.notebook.cells), never by position. Student.meta["nbgrader"] maps each
        assignment to its notebooks' paths (for the gradebook sync).
    read_submitted_folder(path) -> {student: {module: source}}
        the same for a whole folder, for callers that want plain data.
    HiddenTestsGrader(exercises=None, secret=None, course=None, **grader_kwargs)
        what `tutor grade` grades notebooks with: a tutor.engine.Grader that also runs each
        exercise's hidden tests (the test cell's `check(..., hidden=True)`) and combines the two
        results as the test cell does (combine_hidden), so the verdicts are nbgrader's.

Nothing in a notebook runs here: cells are read (and parsed, for warnings), never executed;
the sandboxed child runs them.
"""
from __future__ import annotations

import dataclasses
import json
import os
import stat
from pathlib import Path
from typing import Sequence

from tutor.classroom.student import JUNK, Student

MAX_NOTEBOOK_BYTES = 20_000_000   # a course notebook with outputs is well under 1 MB


def _notebook_dirs(folder: Path) -> list[tuple[Path, list[Path]]]:
    """[(assignment folder, [notebook files])] one level down, sorted (syllabus order)."""
    found = []
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError:
        return []
    for entry in entries:
        if entry.name in JUNK or entry.name.startswith("."):
            continue
        try:
            if not entry.is_dir(follow_symlinks=False):
                continue
            notebooks = sorted(Path(e.path) for e in os.scandir(entry.path)
                               if e.name.endswith(".ipynb") and not e.name.startswith("."))
        except OSError:
            continue
        if notebooks:
            found.append((Path(entry.path), notebooks))
    return found


def _linked_folders(folder: Path) -> list[str]:
    try:
        return sorted(e.name for e in os.scandir(folder) if e.is_symlink() and e.is_dir())
    except OSError:
        return []


def read_notebook_bytes(path: Path) -> tuple[bytes | None, str | None]:
    """(the bytes of a submitted notebook, None) or (None, why it is refused). Never through a
    link: lstat and open(O_NOFOLLOW) refuse a symbolic link, the opened file must be the one
    that was looked at (no swap in between), and a hard link (st_nlink > 1: the same file as one
    elsewhere, perhaps the instructor's source notebook) is refused too. The nbgrader sync reads
    the notebooks it copies into autograded/ with this as well."""
    try:
        st = os.lstat(path)
    except OSError as exc:
        return None, f"cannot be read ({exc.strerror})"
    if stat.S_ISLNK(st.st_mode):
        return None, "is a symbolic link, which is never followed, so it was not graded"
    if not stat.S_ISREG(st.st_mode):
        return None, "is not a regular file, so it was not graded"
    if st.st_nlink > 1:
        return None, "is a hard link (the same file as another one elsewhere), so it was not graded; hand in a copy"
    if st.st_size > MAX_NOTEBOOK_BYTES:
        return None, f"is {st.st_size / 1e6:.0f} MB, over the {MAX_NOTEBOOK_BYTES / 1e6:.0f} MB limit; clear its outputs"
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(fd, "rb") as f:
            opened = os.fstat(f.fileno())
            if (opened.st_dev, opened.st_ino) != (st.st_dev, st.st_ino) or opened.st_nlink > 1:
                return None, "changed while it was being read; grade again"
            data = f.read(MAX_NOTEBOOK_BYTES + 1)
    except OSError as exc:
        return None, f"cannot be read ({exc.strerror})"
    if len(data) > MAX_NOTEBOOK_BYTES:
        return None, f"is over the {MAX_NOTEBOOK_BYTES / 1e6:.0f} MB limit; clear its outputs"
    return data, None


def _notebook_shape_problem(data) -> str | None:
    """What makes parsed JSON unusable as a notebook (checked before anything walks it)."""
    if not isinstance(data, dict) or not isinstance(data.get("cells", []), list):
        return "is not a notebook (no list of cells)"
    for i, cell in enumerate(data.get("cells", [])):
        if not isinstance(cell, dict):
            return f"is not a notebook (cell {i + 1} is not an object)"
        source = cell.get("source", "")
        if not (isinstance(source, str) or (isinstance(source, list) and all(isinstance(x, str) for x in source))):
            return f"is not a notebook (cell {i + 1}'s source is neither text nor a list of lines)"
        if not isinstance(cell.get("metadata", {}), dict):
            return f"is not a notebook (cell {i + 1}'s metadata is not an object)"
    return None


def _read_notebook(path: Path) -> tuple[object | None, str | None]:
    raw, problem = read_notebook_bytes(path)
    if problem:
        return None, problem
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError) as exc:
        return None, f"is not a readable notebook ({type(exc).__name__}); was it saved from Jupyter?"
    except (RecursionError, MemoryError):
        return None, "is nested too deeply to be read as a notebook; was it saved from Jupyter?"
    problem = _notebook_shape_problem(data)
    if problem:
        return None, problem
    # nbformat 3 notebooks keep their cells in worksheets: upgrade through nbformat when needed.
    version = data.get("nbformat", 4)
    if not isinstance(version, int) or isinstance(version, bool):
        return None, "is not a notebook (its nbformat version is not a number)"
    if version < 4:
        try:
            import nbformat

            data = nbformat.reads(json.dumps(data), as_version=4)
        except Exception as exc:  # noqa: BLE001
            return None, f"is an old notebook format that cannot be upgraded ({exc})"
    return data, None


def _expected_notebooks() -> dict[str, str]:
    """assignment name -> notebook name, for the course `tutor nbgrader export` writes."""
    try:
        from tutor.notebook.build import assignments

        return {a.name: a.notebook for a in assignments()}
    except Exception:  # noqa: BLE001 - without it every notebook of the folder is read
        return {}


def read_student(folder: Path, modules: Sequence[str]) -> Student | None:
    """One student's nbgrader submission folder, or None when it is not that layout."""
    folder = Path(folder)
    if any((folder / f"{m}.py").exists() for m in modules):
        return None
    assignments = _notebook_dirs(folder)
    if not assignments:
        return None

    from tutor.notebook.program import module_programs

    student = Student(name=folder.name, folder=folder)
    student.warnings += [f"ignored {name}/: a symbolic link, which is never followed; put the assignment's "
                         f"folder itself there." for name in _linked_folders(folder)]
    readable: list[tuple[str, object]] = []
    files: dict[str, Path] = {}
    layout: dict[str, dict[str, str]] = {}
    expected = _expected_notebooks()
    for assignment_dir, notebooks in assignments:
        for path in notebooks:   # every notebook, for the gradebook sync (it knows which count)
            layout.setdefault(assignment_dir.name, {})[path.stem] = str(path)
        for path in _graded_notebooks(student, assignment_dir, notebooks, expected.get(assignment_dir.name)):
            where = f"{assignment_dir.name}/{path.name}"
            read = _answer_notebook(student, where, path)
            if read is not None:
                nb, ids = read
                readable.append((where, nb))
                for exercise in ids:
                    files.setdefault(exercise.split(".")[0], path)
    # Every code cell runs, in order, in the sandbox, each exercise at its test cell (as autograde).
    programs, problems = module_programs(readable)
    student.warnings.extend(problems)
    student.files.update(files)
    wanted = set(modules)
    student.sources = {m: s for m, s in programs.items() if m in wanted}
    student.meta["nbgrader"] = layout
    if not readable and not student.warnings:
        student.warnings.append("no notebook with tutor answer cells was found; every exercise scores 0.")
    return student


def _graded_notebooks(student: Student, assignment_dir: Path, notebooks: list[Path], wanted: str | None) -> list[Path]:
    """As nbgrader: only the assignment's own notebook counts, not "training-Copy1.ipynb"."""
    if not wanted or not any(p.stem == wanted for p in notebooks):
        return notebooks
    for path in notebooks:
        if path.stem != wanted:
            student.warnings.append(f"did not grade the code in {assignment_dir.name}/{path.name}: "
                                    f"the assignment's notebook is {wanted}.ipynb.")
    return [p for p in notebooks if p.stem == wanted]


def _answer_notebook(student: Student, where: str, path: Path):
    """(the notebook, the exercises it answers), or None with a warning saying why it scores 0."""
    from tutor.notebook.program import exercises_in

    nb, problem = _read_notebook(path)
    if problem:
        student.warnings.append(f"{where} {problem}; its exercises score 0.")
        return None
    try:
        ids = exercises_in(nb)
    except (RecursionError, MemoryError, TypeError, ValueError, AttributeError, KeyError) as exc:
        student.warnings.append(f"{where} is not a notebook tutor can read ({type(exc).__name__}); "
                                f"its exercises score 0.")
        return None
    if not ids:
        student.warnings.append(f"{where} has no tutor answer cells (grade ids answer-<module>-"
                                f"<function>); was it made by `tutor nbgrader export`?")
        return None
    return nb, ids


# --- the test cells' hidden tests ------------------------------------------------------------

HIDDEN_TESTS = "tutor.notebook.check:hidden_variant"   # (exercise, the course's secret) -> its hidden tests


class HiddenTestsGrader:
    """tutor.engine.Grader for nbgrader notebooks: every exercise is graded on its visible cases
    and on its hidden tests (tutor.notebook.check.hidden_variant: the same cases on inputs from
    the course's secret (COURSE/.tutor-secret, found above `course`), exactly those of the test
    cell's `check(..., hidden=True)`), in one run of the
    student's code, and each pair of results is combined as the test cell combines its two checks:
    it passes only when both pass. The score stays points x the share of cases passed (visible and
    hidden together), the partial-credit convention of the gradebook sync.

    The same interface as the Grader it wraps (grade, run, judge_run, start, prepare, close,
    isolation); grade() and judge_run() return one combined result per exercise, in order.
    """

    def __init__(self, exercises=None, secret: bytes | None = None, course=None, **kwargs):
        from tutor import manifest
        from tutor.course import find_secret
        from tutor.engine import Grader, variants

        self.exercises = list(manifest.EXERCISES if exercises is None else exercises)
        if course is not None:
            self.exercises = with_course_points(self.exercises, course)
        if secret is None and course is not None:
            secret = find_secret(course)   # the course folder above the submissions (nbgrader's layout)
        # Without the course's secret no hidden test can be derived: the visible ones are graded alone.
        # Registered variants: their reference is computed with the others' in the reference process
        # and kept in the grader's own folder (OUT/reference-cache) under a digest of the secret.
        self.hidden = [variants.make(e, HIDDEN_TESTS, secret) for e in self.exercises] if secret else []
        self._grader = Grader(exercises=self.exercises + self.hidden, **kwargs)

    def grade(self, sources: dict[str, str]) -> list:
        return self.combine(self._grader.grade(sources))

    def judge_run(self, run) -> list:
        return self.combine(self._grader.judge_run(run))

    def combine(self, results) -> list:
        results = list(results)
        n = len(self.exercises)
        if not self.hidden:
            return [dataclasses.replace(r, details=list(r.details) + [NO_SECRET]) for r in results]
        if len(results) != 2 * n:
            raise RuntimeError(f"the grader returned {len(results)} results for {n} exercises and their hidden tests")
        return [combine_hidden(e, h, visible, hidden) for e, h, visible, hidden
                in zip(self.exercises, self.hidden, results[:n], results[n:])]

    def close(self) -> None:
        self._grader.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def __getattr__(self, name):     # run, start, prepare, isolation...: the wrapped Grader's
        if name.startswith("__") or name == "_grader":
            raise AttributeError(name)
        return getattr(self._grader, name)


def with_course_points(exercises, start) -> list:
    """The exercises with the points of the course.toml above `start` (none: unchanged).
    A bad course.toml is not a reason to grade nobody: one line says so, the manifest's points
    are kept."""
    from tutor.course import CourseError, find_course

    try:
        course = find_course(start)
    except CourseError as exc:
        import sys

        print(f"tutor grade: {exc}; grading with the manifest's points.", file=sys.stderr)
        return list(exercises)
    if course is None:
        return list(exercises)
    out = []
    for exercise in exercises:
        points = course.points(exercise.id)
        out.append(exercise if points is None else dataclasses.replace(exercise, points=points))
    return out


NO_SECRET = ("hidden tests not run: no course secret (.tutor-secret, written by `tutor nbgrader export`) "
             "in a folder above the submissions")


def _cases_passed(result) -> int:
    """The cases a result passed, from its per-case results (an exercise that did not run has none)."""
    return sum(1 for case in result.cases if case.passed)


def combine_hidden(exercise, hidden_exercise, visible, hidden):
    """One exercise's result from its visible and its hidden result: passed only when both pass
    (as the nbgrader test cell, whose first failing check fails the cell); score = points x the
    share of all cases passed; the diagnosis is the visible tests' when they fail, else the
    hidden tests'."""
    from tutor.engine.results import FAILED

    n_visible, n_hidden = len(exercise.cases), len(hidden_exercise.cases)
    passed_cases = _cases_passed(visible) + _cases_passed(hidden)
    total = n_visible + n_hidden
    score = float(visible.max_score) * passed_cases / total if total else 0.0   # unrounded
    passed = bool(visible.passed and hidden.passed)
    details = list(visible.details) + [d for d in hidden.details if d not in visible.details]
    seconds = float(visible.seconds or 0.0) + float(hidden.seconds or 0.0)
    cases = list(visible.cases) + list(hidden.cases)
    if passed:
        message = f"correct on all {total} cases, the hidden tests' included"
        return dataclasses.replace(visible, score=score, message=message, details=details, seconds=seconds,
                                   cases=cases)
    if not visible.passed:
        return dataclasses.replace(visible, score=score, passed=False, details=details, seconds=seconds, cases=cases)
    message = (f"right on the visible tests, wrong on the hidden tests (the same cases on other inputs): "
               f"{hidden.message}")
    status = hidden.status if hidden.status != "passed" else FAILED
    return dataclasses.replace(hidden, score=score, passed=False, message=message, status=status,
                               details=details, seconds=seconds, cases=cases)
