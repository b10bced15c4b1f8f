"""Progress from learner code while it runs: `from tutor_progress import report`.

The capstone's `train_classifier` may call report(epoch=..., loss=..., accuracy=...) once
per epoch; the child sends each call at once as a small "progress" frame, the zygote relays
it, and the parent hands it to whoever asked (the app draws live curves). Only plain finite
numbers travel, a few per frame and a bounded number of frames per task; anything else is
dropped without a word, because a progress report must never change a grade.
"""
from __future__ import annotations

import math
import sys
import types

import numpy as np

MAX_FRAMES = 2000         # per task
MAX_NUMBERS = 8           # per frame
MAX_NAME = 32


def plain_numbers(numbers) -> dict[str, float]:
    """The finite plain numbers of a mapping, with short string names (both sides use it)."""
    clean: dict[str, float] = {}
    if type(numbers) is not dict:
        return clean
    for name, value in list(numbers.items())[:MAX_NUMBERS]:
        if type(name) is not str or not name or len(name) > MAX_NAME:
            continue
        if type(value) in (bool, int, float) or (isinstance(value, np.generic) and value.dtype.kind in "biuf"):
            try:
                number = float(value)
            except (OverflowError, ValueError):
                continue
            if math.isfinite(number):
                clean[name] = number
    return clean


class Channel:
    def __init__(self, send):
        self.send = send
        self.index: int | None = None
        self.sent = 0

    def start(self, index: int) -> None:
        self.index, self.sent = index, 0

    def report(self, **numbers) -> None:
        if self.index is None or self.sent >= MAX_FRAMES:
            return
        clean = plain_numbers(numbers)
        if clean:
            self.sent += 1
            self.send({"type": "progress", "index": self.index, "numbers": clean})


def install(channel: Channel) -> None:
    """Make `from tutor_progress import report` work in learner code (no file needed)."""
    module = types.ModuleType("tutor_progress", "report(name=number, ...): progress the tutor can draw live")
    module.report = channel.report
    sys.modules["tutor_progress"] = module
