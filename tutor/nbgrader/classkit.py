"""Made-up students for an nbgrader course: filled-in release notebooks, for tests and benchmarks.

    correct_answer(exercise)   the solution as a learner would write it (no nbgrader markers)
    wrong_answer(exercise)     the right signature, every returned number doubled (a factor bug)
    blank_answer(exercise)     the release stub
    fill(release_nb, answers)  a copy of the release notebook with answer cells replaced (by grade id)
    tamper(nb)                 every test cell replaced by a harmless `print` (cheating attempt);
                               the 'tampered' student also has wrong answers
    make_class(course, assignment, n, seed) -> {student: kind}   writes submitted/<student>/...
"""
from __future__ import annotations

import copy
import random
from pathlib import Path

import nbformat

from tutor.notebook.build import answer_source
from tutor.notebook.cells import cell_role
from tutor.notebook.sources import function_parts

KINDS = ("correct", "wrong", "blank", "half", "tampered")


def correct_answer(exercise) -> str:
    lines = answer_source(exercise).splitlines()
    return "\n".join(l for l in lines if l.strip() not in ("### BEGIN SOLUTION", "### END SOLUTION"))


def blank_answer(exercise) -> str:
    parts = function_parts(exercise)
    return parts.stub.rstrip("\n").replace("raise NotImplementedError", "# YOUR CODE HERE\n"
                                           + parts.indent + "raise NotImplementedError()")


def wrong_answer(exercise) -> str:
    name = exercise.function
    right = correct_answer(exercise).replace(f"def {name}(", f"def _right_{name}(", 1)
    return right + f'''


def {name}(*args, **kwargs):
    """Right signature, every returned number doubled: a factor-of-two bug."""
    def twice(value):
        if isinstance(value, tuple):
            return tuple(twice(v) for v in value)
        if isinstance(value, np.ndarray) and value.dtype.kind in "fc":
            return value * 2
        if isinstance(value, (float, np.floating)):
            return value * 2
        if isinstance(value, (int, np.integer)) and not isinstance(value, bool):
            return value * 2 + 1
        return value
    return twice(_right_{name}(*args, **kwargs))'''


def fill(release_nb, answers: dict[str, str]):
    nb = copy.deepcopy(release_nb)
    for cell in nb.cells:
        role = cell_role(cell)
        if role and role[0] == "answer" and role[1] in answers:
            cell.source = answers[role[1]]
    return nb


def tamper(nb):
    nb = copy.deepcopy(nb)
    for cell in nb.cells:
        role = cell_role(cell)
        if role and role[0] == "test":
            cell.source = 'print("all tests passed")'
    return nb


def exercises_of(nb) -> list:
    from tutor.manifest import by_id

    return [by_id(role[1]) for role in map(cell_role, nb.cells) if role and role[0] == "answer"]


def student_notebook(release_nb, kind: str, rng: random.Random | None = None):
    exercises = exercises_of(release_nb)
    if kind == "correct":
        return fill(release_nb, {e.id: correct_answer(e) for e in exercises})
    if kind == "wrong":
        return fill(release_nb, {e.id: wrong_answer(e) for e in exercises})
    if kind == "blank":
        return copy.deepcopy(release_nb)
    if kind == "half":
        rng = rng or random.Random(0)
        return fill(release_nb, {e.id: (correct_answer(e) if rng.random() < 0.5 else wrong_answer(e))
                                 for e in exercises})
    if kind == "tampered":   # wrong answers, and the test cells replaced: must still score 0
        return tamper(student_notebook(release_nb, "wrong"))
    raise ValueError(kind)


def expected_scores(release_nb, kind: str, rng: random.Random | None = None) -> dict[str, float]:
    """Per exercise, what a correct grader gives this kind of student (not for 'half')."""
    full = kind == "correct"
    return {e.id: (float(e.points) if full else 0.0) for e in exercises_of(release_nb)}


def make_class(course: Path, assignment: str, n: int, seed: int = 0,
               kinds: tuple[str, ...] = KINDS) -> dict[str, str]:
    """Write submitted/<student>/<assignment>/<notebook>.ipynb for n made-up students."""
    course = Path(course)
    release = course / "release" / assignment
    notebooks = sorted(release.glob("*.ipynb"))
    if not notebooks:
        raise FileNotFoundError(f"{release} has no notebooks: run nbgrader generate_assignment {assignment}")
    rng = random.Random(seed)
    roster: dict[str, str] = {}
    for i in range(n):
        kind = kinds[i % len(kinds)]
        student = f"student{i:03d}"
        roster[student] = kind
        folder = course / "submitted" / student / assignment
        folder.mkdir(parents=True, exist_ok=True)
        for path in notebooks:
            nb = nbformat.read(str(path), as_version=4)
            nbformat.write(student_notebook(nb, kind, rng), str(folder / path.name))
        (folder / "timestamp.txt").write_text("2026-11-20 12:00:00.000000 UTC", encoding="utf-8")
    return roster
