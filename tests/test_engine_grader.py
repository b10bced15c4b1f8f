"""grader.py end to end: the whole syllabus, the pristine stubs, threads, scoring, odd inputs."""
from __future__ import annotations

import subprocess
import sys
import threading
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from tutor import manifest
from tutor.engine import Grader, check_workspace
from tutor.engine.run import clean_sources, read_sources

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def private_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("TUTOR_CACHE_DIR", str(tmp_path / "cache"))
SOLUTIONS = read_sources(ROOT / "solutions")


@pytest.fixture(scope="module")
def syllabus():
    with Grader(jobs=2) as grader:
        grader.prepare()
        yield grader


def test_every_solution_passes(syllabus):
    results = syllabus.grade(SOLUTIONS)
    assert [r.exercise for r in results] == [e.id for e in manifest.EXERCISES]
    assert [(r.exercise, r.message) for r in results if not r.passed] == []
    assert sum(r.score for r in results) == sum(e.points for e in manifest.EXERCISES)


def test_every_stub_is_not_implemented(syllabus):
    results = syllabus.grade(read_sources(ROOT / "exercises"))
    assert {r.status for r in results} == {"not_implemented"}
    assert all(r.score == 0 and not r.passed for r in results)


def test_threads_share_a_grader(syllabus):
    stubs = read_sources(ROOT / "exercises")
    outcomes: dict[int, list] = {}

    def grade(i):
        outcomes[i] = syllabus.grade(SOLUTIONS if i % 2 == 0 else stubs)

    threads = [threading.Thread(target=grade, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for i, results in outcomes.items():
        assert all(r.passed == (i % 2 == 0) for r in results)
    assert syllabus.pool.started <= 2


def test_results_are_plain_json(syllabus):
    import json

    result = syllabus.grade({})[0]
    data = json.loads(json.dumps(result.to_json()))
    assert set(data) >= {"exercise", "score", "max_score", "passed", "message"}
    assert data["passed"] is False and "no perceptron.py" in data["message"]


def test_bad_source_names_never_reach_the_worker():
    # Only the manifest's exercise modules travel (a workspace's json.py never does: docs/SANDBOX.md).
    assert clean_sources({"../evil": "x", "layers": "y", 3: "z", "optim": b"bytes", "cnn": "a" * (2 << 20),
                          "json": "w", "helper": "v"}) == {"layers": "y"}


def test_a_broken_case_is_an_internal_error_not_a_crash():
    good = manifest.by_id("optim.sgd_step")
    broken = replace(good, cases=(manifest.Case("explodes", lambda rng: 1 / 0),))
    with Grader([broken, manifest.by_id("optim.momentum_step")]) as grader:
        first, second = grader.grade(SOLUTIONS)
    assert (first.status, first.diagnosis) == ("error", "internal") and "ZeroDivisionError" in first.message
    assert second.passed


def test_check_workspace(tmp_path):
    (tmp_path / "optim.py").write_text(SOLUTIONS["optim"])
    results = check_workspace(tmp_path, "optim")
    assert [r.exercise for r in results] == ["optim.sgd_step", "optim.momentum_step", "optim.minibatches",
                                             "optim.lr_step_decay", "optim.lr_exponential_decay"]
    assert all(r.passed for r in results)
    with pytest.raises(KeyError):
        check_workspace(tmp_path, "nothing_like_this")


def test_importing_the_engine_does_not_import_torch():
    code = "import sys, tutor.engine; print('torch' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert out.stdout.strip() == "False"


def test_isolation_is_described(syllabus):
    assert syllabus.isolation.split(":")[0] in ("full", "reduced")


def test_partial_credit_is_a_fraction_of_cases():
    exercise = manifest.by_id("layers.affine_backward")
    sources = dict(SOLUTIONS)
    sources["layers"] += "\n\ndef affine_backward(dout, cache):\n    x, w = cache\n" \
                         "    return dout @ w.T, x.T @ dout, dout.mean(axis=0)\n"
    with Grader([exercise]) as grader:
        (result,) = grader.grade(sources)
    passed_cases = sum(1 for line in result.details if line.startswith("✓"))
    assert passed_cases == 1 and result.score == exercise.points * passed_cases / len(exercise.cases)   # unrounded
    assert not result.passed and result.status == "failed"


def test_graders_can_share_one_worker():
    from tutor.engine.pool import WorkerPool

    pool = WorkerPool(1)
    first = Grader([manifest.by_id("optim.sgd_step")], pool=pool)
    second = Grader([manifest.by_id("activations.relu_forward")], pool=pool)
    for grader in (first, second, first, second):
        (result,) = grader.grade(SOLUTIONS)
        assert result.passed
    first.close()                       # not the shared pool's owner: the worker stays
    assert pool.started == 1 and second.grade(SOLUTIONS)[0].passed
    pool.close()


CONTROL = "\x1b[2J\x1b]0;pwned\x07\x00\x08\r\x7f\x9b\u202e"


def test_control_characters_from_learner_code_are_escaped():
    import re

    exercise = manifest.by_id("optim.sgd_step")
    sources = dict(SOLUTIONS)
    sources["optim"] += (f"\n\ndef sgd_step(w, dw, lr):\n    print({CONTROL!r} + 'tab\\tline\\nnext')\n"
                         f"    raise ValueError({CONTROL!r})\n")
    with Grader([exercise]) as grader:
        (result,) = grader.grade(sources)
    assert result.diagnosis == "exception"
    unsafe = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
    for piece in [result.message, *result.details]:
        assert not unsafe.search(piece), repr(piece)
    assert "\\x1b[2J" in result.message and "\\x07" in result.message
    printed = next(d for d in result.details if d.startswith("your code printed:"))
    assert "tab\tline\nnext" in printed and "\\x00" in printed       # tab and newline are kept
    assert not unsafe.search(str(result.to_json()))


def test_learner_code_may_use_the_byte_streams():
    exercise = manifest.by_id("optim.sgd_step")
    sources = dict(SOLUTIONS)
    sources["optim"] += (
        "\n\nimport io, sys\n_right = sgd_step\n"
        "def sgd_step(w, dw, lr):\n"
        "    sys.stdout.buffer.write('bytes out é\\n'.encode())\n"
        "    sys.stderr.buffer.write(b'bytes err\\n')\n"
        "    sys.stdout.buffer.flush()\n"
        "    assert sys.stdout.encoding.lower().replace('-', '') == 'utf8' and not sys.stdout.isatty()\n"
        "    try:\n        sys.stdout.fileno()\n    except io.UnsupportedOperation:\n        pass\n"
        "    else:\n        raise AssertionError('fileno')\n"
        "    return _right(w, dw, lr)\n")
    with Grader([exercise]) as grader:
        (result,) = grader.grade(sources)
    assert result.passed, result.message
    printed = next(d for d in result.details if d.startswith("your code printed:"))
    assert "bytes out é" in printed and "bytes err" in printed


def test_a_run_on_an_early_plan_that_differs_is_run_again(monkeypatch):
    """If the trusted solutions ever disagreed with the reference about a forward's shape, the early
    plan's upstream gradients would differ from the final ones: such runs are run again, never judged."""
    from tutor.engine import plan

    exercise = manifest.by_id("layers.affine_backward")
    real = plan.solution_function

    def transposed(module, name):
        function = real(module, name)
        return lambda **kwargs: tuple(v.T if i == 0 else v for i, v in enumerate(function(**kwargs)))

    monkeypatch.setattr(plan, "solution_function", transposed)
    plan.forget()                                    # nothing prepared by earlier tests
    with Grader([exercise]) as grader:
        grader.start(prepare=False)    # runs go ahead on the early plan, the reference waits
        run = grader.run(SOLUTIONS)
        runs = []
        original = grader.run
        monkeypatch.setattr(grader, "run", lambda sources: runs.append(1) or original(sources))
        (result,) = grader.judge_run(run)
        assert runs == [1] and grader.plan_key != run.plan_key
        assert result.passed, result.message
    plan.forget()                                    # what was prepared with the patched solutions


def test_progress_reports_reach_the_caller_live(tmp_path):
    """report() in learner code arrives through on_progress, by exercise id, as plain numbers."""
    source = ("import numpy as np\nfrom tutor_progress import report\n\n"
              "def predict(X, W1, b1, W2, b2):\n"
              "    report(step=1.0, junk='no')\n"
              "    return (np.maximum(X @ W1 + b1, 0) @ W2 + b2).argmax(axis=1)\n")
    seen = []
    with Grader(exercises=[manifest.by_id("train.predict")]) as grader:
        run = grader.run({"train": source}, on_progress=lambda exercise, numbers: seen.append((exercise, numbers)))
        (result,) = grader.judge_run(run)
    assert result.passed, result.message
    assert seen and all(item == ("train.predict", {"step": 1.0}) for item in seen)


def test_a_list_of_batches_is_judged_batch_by_batch(tmp_path):
    """minibatches returns a ragged list: compared as (batch, index) rows, mistakes named."""
    wrong = ("import numpy as np\n\ndef minibatches(n, batch_size, rng):\n"
             "    order = rng.permutation(n)\n"
             "    return [order[i:i + batch_size] for i in range(0, n - batch_size + 1, batch_size)]\n")
    with Grader(exercises=[manifest.by_id("optim.minibatches")]) as grader:
        (right,) = grader.grade({"optim": SOLUTIONS["optim"]})
        (dropped,) = grader.grade({"optim": wrong})
    assert right.passed
    assert dropped.diagnosis == "known_mistake" and "last, shorter batch" in dropped.message


def test_a_flood_of_progress_reports_is_capped_and_changes_nothing(tmp_path):
    source = ("import numpy as np\nimport tutor_progress\n\n"
              "def predict(X, W1, b1, W2, b2):\n"
              "    for i in range(5000):\n"
              "        tutor_progress.report(i=i)\n"
              "    tutor_progress.report(**{'x' * 5000: 1.0})\n"
              "    return (np.maximum(X @ W1 + b1, 0) @ W2 + b2).argmax(axis=1)\n")
    seen = []
    with Grader(exercises=[manifest.by_id("train.predict")]) as grader:
        (result,) = grader.judge_run(grader.run({"train": source}, on_progress=lambda e, n: seen.append(n)))
    assert result.passed, result.message
    assert 0 < len(seen) <= 2000
