"""tutor/engine/worker/progress_channel.py: report() from learner code, plain numbers only."""
from __future__ import annotations

import sys

import numpy as np

from tutor.engine.worker import progress_channel


def test_only_finite_plain_numbers_travel():
    sent = []
    channel = progress_channel.Channel(sent.append)
    channel.report(loss=1.0)                   # no task yet: nothing
    channel.start(3)
    channel.report(epoch=1, loss=np.float64(0.5), accuracy=True, name="x", big=float("inf"),
                   arr=np.ones(2), huge=10 ** 400)
    assert sent == [{"type": "progress", "index": 3, "numbers": {"epoch": 1.0, "loss": 0.5, "accuracy": 1.0}}]
    channel.report(note="words only")
    assert len(sent) == 1


def test_frames_are_bounded_per_task():
    sent = []
    channel = progress_channel.Channel(sent.append)
    channel.start(0)
    for i in range(progress_channel.MAX_FRAMES + 50):
        channel.report(i=i)
    assert len(sent) == progress_channel.MAX_FRAMES
    channel.start(1)
    channel.report(i=0)
    assert len(sent) == progress_channel.MAX_FRAMES + 1
    many = {f"n{i}": i for i in range(20)}
    assert len(progress_channel.plain_numbers(many)) == progress_channel.MAX_NUMBERS
    assert progress_channel.plain_numbers(["not", "a", "dict"]) == {}


def test_install_makes_the_module_importable():
    channel = progress_channel.Channel(lambda header: None)
    saved = sys.modules.pop("tutor_progress", None)
    try:
        progress_channel.install(channel)
        from tutor_progress import report

        assert report == channel.report
    finally:
        sys.modules.pop("tutor_progress", None)
        if saved is not None:
            sys.modules["tutor_progress"] = saved
