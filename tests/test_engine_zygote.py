"""worker/zygote.py: one child per job, restarted after whatever the learner's code does to it."""
from __future__ import annotations

from pathlib import Path

import pytest

from tutor import manifest
from tutor.engine import Grader
from tutor.engine.run import read_sources

ROOT = Path(__file__).resolve().parents[1]
SOLUTIONS = read_sources(ROOT / "solutions")
IDS = ("optim.sgd_step", "optim.momentum_step", "activations.relu_forward")


@pytest.fixture(scope="module")
def grader():
    with Grader([manifest.by_id(i) for i in IDS], timeout=3.0) as grader:
        yield grader


def grade(grader, optim_code: str) -> dict:
    sources = dict(SOLUTIONS, optim=SOLUTIONS["optim"] + "\n\n" + optim_code)
    return {r.exercise: r for r in grader.grade(sources)}


def test_closing_every_descriptor_costs_one_exercise(grader):
    r = grade(grader, "import os\ndef sgd_step(w, dw, lr):\n    os.closerange(3, 1024)\n    return w\n")
    assert r["optim.sgd_step"].diagnosis == "crash"
    assert r["optim.momentum_step"].passed and r["activations.relu_forward"].passed


def test_garbage_on_the_channel_costs_one_exercise(grader):
    code = ("import os\ndef sgd_step(w, dw, lr):\n"
            "    for fd in range(3, 64):\n"
            "        try:\n            os.write(fd, b'\\xff' * 64)\n        except OSError:\n            pass\n"
            "    return w - lr * dw\n")
    r = grade(grader, code)
    assert r["optim.sgd_step"].diagnosis == "crash"
    assert r["optim.momentum_step"].passed and r["activations.relu_forward"].passed


def test_a_crash_at_import_fails_the_module_not_the_rest(grader):
    r = grade(grader, "import os\nos._exit(9)\n")
    assert r["optim.sgd_step"].diagnosis == r["optim.momentum_step"].diagnosis == "crash"
    assert "while importing optim.py" in r["optim.momentum_step"].message
    assert r["activations.relu_forward"].passed


def test_the_same_submission_gets_the_same_result(grader):
    first = [r.to_json() for r in grader.grade(SOLUTIONS)]
    assert first == [r.to_json() for r in grader.grade(SOLUTIONS)]


def test_a_frame_that_routes_but_does_not_decode_is_that_exercise_crash(grader):
    """The zygote routes a frame by its start and relays it unopened; the grader opens it. A frame
    that starts right and is broken after that is this exercise's crash. It also took that
    exercise's place, so the child's own result for it comes second: the next exercise is
    charged for writing into the channel, and a fresh child runs the rest."""
    code = ("import os, struct\ndef sgd_step(w, dw, lr):\n"
            "    text = b'{\"type\":\"result\",\"index\":0,' + b'not json at all'\n"
            "    frame = struct.pack('<IQ', len(text), 0) + text\n"
            "    for fd in range(3, 64):\n"
            "        try:\n            os.write(fd, frame)\n        except OSError:\n            pass\n"
            "    return w - lr * dw\n")
    r = grade(grader, code)
    assert r["optim.sgd_step"].diagnosis == "crash"
    assert "garbage" in r["optim.sgd_step"].message
    assert "wrote into the grader's channel" in r["optim.momentum_step"].message
    assert r["activations.relu_forward"].passed
