"""The capstone trainer: the learner's own `train_classifier`, run by the grader, watched live.

``train_in_sandbox`` grades `train.train_classifier` from the learner's workspace exactly as
`tutor check train` does (in the sandbox, on the training digits; the held-out digits stay
in this process) and passes every `report(...)` the learner's code makes, epoch by epoch, to
`on_progress` while it runs. Nothing here imports textual or torch.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

EXERCISE = "train.train_classifier"


@dataclass
class CapstoneRun:
    passed: bool
    score: float
    max_score: float
    message: str
    reports: list[dict] = field(default_factory=list)   # the learner's report() calls, in order


def curves(reports: list[dict]) -> dict[str, list[float]]:
    """{name: values in order} of every number the learner reported (loss, accuracy, ...)."""
    out: dict[str, list[float]] = {}
    for numbers in reports:
        for name, value in numbers.items():
            if name != "epoch":
                out.setdefault(name, []).append(value)
    return out


def train_in_sandbox(workspace: Path | str, on_progress=None, timeout: float = 60.0) -> CapstoneRun:
    """Grade the learner's train_classifier, relaying report() calls to on_progress({name: float})."""
    from tutor.engine.run import read_sources
    from tutor.engine.shared import shared_grader
    from tutor.manifest import by_id

    folder = Path(workspace)
    if not (folder / "train.py").is_file():
        raise ValueError(f"there is no train.py in {folder}: run `tutor check train` to create it")
    reports: list[dict] = []

    def relay(exercise_id: str, numbers: dict) -> None:
        if exercise_id == EXERCISE:
            reports.append(numbers)
            if on_progress is not None:
                on_progress(numbers)

    grader = shared_grader([by_id(EXERCISE)], timeout=timeout)   # the app's kept grader and worker (shared.py)
    (result,) = grader.judge_run(grader.run(read_sources(folder), on_progress=relay))
    return CapstoneRun(result.passed, result.score, result.max_score, result.message, reports)


__all__ = ["CapstoneRun", "curves", "train_in_sandbox"]
