"""The grader catches realistic mistakes, each with the right diagnosis.

Every bug in tests/planted_bugs/ is solutions/ with one or two functions swapped for a
wrong version. Graded by the real engine, the broken exercise must lose points with the
expected diagnosis code and a message that names the key fact, while every other
exercise of the module keeps full marks. One Grader per contract module, shared by the
whole test module, and only that module's source is graded, so each bug costs one
round trip to an already warm worker.
"""
import pathlib
import sys

import pytest

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))  # tests/planted_bugs, any import mode
from planted_bugs import Bug, all_bugs, functions, patched_source  # noqa: E402
from planted_bugs.perceptron import ENDLESS  # noqa: E402
from tutor.engine import DIAGNOSES, Grader  # noqa: E402
from tutor.manifest import EXERCISES, by_id, select  # noqa: E402

ROOT = pathlib.Path(__file__).resolve().parents[1]
BUGS = all_bugs()
MODULES = sorted({e.module for e in EXERCISES})


@pytest.fixture(scope="module")
def grade():
    """grade(module, source) -> {exercise id: ExerciseResult}, one warm Grader per module."""
    graders: dict[str, Grader] = {}

    def run(module: str, source: str):
        if module not in graders:
            graders[module] = Grader(exercises=select(module))
        return {r.exercise: r for r in graders[module].grade({module: source})}

    yield run
    for grader in graders.values():
        grader.close()


def _describe(result) -> str:
    return (f"{result.exercise}: {result.score}/{result.max_score} [{result.status}/{result.diagnosis}] "
            f"{result.message}\n    " + "\n    ".join(result.details[:6]))


# --- the suite itself -------------------------------------------------------------------------

def test_at_least_two_bugs_for_every_exercise():
    counts = {e.id: 0 for e in EXERCISES}
    for b in BUGS:
        assert b.exercise in counts, f"unknown exercise {b.exercise}"
        counts[b.exercise] += 1
    thin = {k: v for k, v in counts.items() if v < 2}
    assert not thin, f"fewer than two planted bugs: {thin}"


def test_bugs_are_well_formed():
    slugs = [b.slug for b in BUGS]
    assert len(slugs) == len(set(slugs)), "two bugs share a description"
    for b in BUGS:
        assert b.diagnoses and set(b.diagnoses) <= set(DIAGNOSES), b.slug
        assert "ok" not in b.diagnoses
        assert b.replace, b.slug
        module_functions = {e.function for e in select(b.module)}
        assert set(b.replace) <= module_functions, f"{b.slug}: patches {set(b.replace) - module_functions}"
        assert b.exercise.split(".")[1] in b.replace, f"{b.slug} does not patch its own function"
        if b.diagnoses != ("missing_function",):
            assert set(functions(b.replace[b.exercise.split(".")[1]])) == {b.exercise.split(".")[1]}, b.slug
        assert all(a.split(".")[0] == b.module and a != b.exercise for a in b.also), b.slug
        compile(patched_source(b.module, b.replace), b.slug, "exec")
        exercise = by_id(b.exercise)
        if exercise.kind == "backward":   # ships its own correct forward (see planted_bugs/__init__.py)
            assert exercise.forward.split(".")[1] in b.replace, f"{b.slug} relies on solutions/' cache layout"


# --- grading --------------------------------------------------------------------------------------

@pytest.mark.parametrize("module", MODULES)
def test_solutions_get_full_marks(grade, module):
    results = grade(module, (ROOT / "solutions" / f"{module}.py").read_text())
    failed = [_describe(r) for r in results.values() if not (r.passed and r.score == r.max_score)]
    assert not failed, "\n".join(failed)


def _params(bugs):
    return [pytest.param(b, id=b.slug, marks=[pytest.mark.xfail(reason=b.xfail, strict=False)] if b.xfail else [])
            for b in bugs]


@pytest.mark.parametrize("bug", _params(BUGS))
def test_planted_bug_is_caught(grade, bug: Bug):
    results = grade(bug.module, patched_source(bug.module, bug.replace))
    target = results[bug.exercise]
    assert not target.passed and target.score < target.max_score, \
        f"{bug.description}: not caught\n{_describe(target)}"
    assert target.diagnosis in bug.diagnoses, \
        f"{bug.description}: expected {bug.diagnoses}\n{_describe(target)}"
    collateral = [_describe(r) for r in results.values()
                  if r.exercise != bug.exercise and r.exercise not in bug.also
                  and not (r.passed and r.score == r.max_score)]
    assert not collateral, f"{bug.description}: other exercises lost points\n" + "\n".join(collateral)
    if bug.message:
        text = target.message.lower()
        assert any(fragment.lower() in text for fragment in bug.message), \
            f"{bug.description}: the message names none of {bug.message}\n{_describe(target)}"
    exercise = by_id(bug.exercise)
    if exercise.kind == "backward":
        # Every planted backward bug comes with a correct forward: the grader must not blame it.
        forward = exercise.forward.split(".")[1]
        assert f"the bug is in {forward}" not in target.message, \
            f"{bug.description}: the grader blames the (correct) forward\n{_describe(target)}"


def test_an_endless_loop_times_out():
    """A learner's endless loop costs one time limit, then a "timeout" diagnosis (own short limit)."""
    bug = ENDLESS
    with Grader(exercises=select(bug.module), timeout=2.0) as grader:
        results = {r.exercise: r for r in grader.grade({bug.module: patched_source(bug.module, bug.replace)})}
    target = results[bug.exercise]
    assert not target.passed and target.score == 0 and target.diagnosis == "timeout", _describe(target)
    assert any(f in target.message.lower() for f in bug.message), _describe(target)
    # Where the time went: the learner's own line, not only the limit.
    assert "your code was at line" in target.message and "perceptron.py, in perceptron_train" in target.message, \
        _describe(target)
    others = [_describe(r) for r in results.values() if r.exercise != bug.exercise and not r.passed]
    assert not others, "the rest of the module must still be graded:\n" + "\n".join(others)
