"""What a check produces: one ExerciseResult per exercise. Plain data, JSON-ready."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field

# status values
PASSED = "passed"            # full marks
FAILED = "failed"            # ran, but wrong (the message says what)
NOT_IMPLEMENTED = "not_implemented"  # still raises NotImplementedError
ERROR = "error"              # raised, timed out, crashed, missing function, bad signature


@dataclass
class ExerciseResult:
    exercise: str            # "MODULE.FUNCTION"
    score: float
    max_score: float
    passed: bool
    message: str             # the diagnosis in one or two sentences a learner can act on
    status: str = FAILED
    details: list[str] = field(default_factory=list)   # per-case lines, tracebacks (learner frames only)
    seconds: float = 0.0     # time spent in the learner's code for this exercise

    def to_json(self) -> dict:
        """The public JSON shape of `tutor check --json` (extra keys are allowed, these never change)."""
        data = asdict(self)
        return {k: data[k] for k in ("exercise", "score", "max_score", "passed", "message", "status", "details")}
