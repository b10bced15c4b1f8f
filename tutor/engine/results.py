"""What a check produces: one ExerciseResult per exercise. Plain data, JSON-ready."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field

from tutor import marks
from tutor.safe_text import printable

# status values
PASSED = "passed"            # full marks
FAILED = "failed"            # ran, but wrong (the message says what)
NOT_IMPLEMENTED = "not_implemented"  # still raises NotImplementedError
ERROR = "error"              # raised, timed out, crashed, missing function, bad signature


DIAGNOSES = {
    "ok": "correct on every case",
    "not_implemented": "still raises NotImplementedError",
    "missing_function": "the module or the function is not there (or the module does not import)",
    "signature": "the function does not accept the contract's arguments",
    "exception": "the learner's code raised",
    "timeout": "ran past the time limit",
    "crash": "the process died (segfault, os._exit, killed for memory)",
    "not_array": "returned something that is not an array (or the wrong number of values)",
    "dtype": "returned an array of the wrong dtype (complex, object, ...)",
    "shape": "wrong shape",
    "transposed": "the transpose of the expected array",
    "factor": "off by a constant factor (named: 1/N of the expected, twice the expected...)",
    "sign": "the negative of the expected",
    "nonfinite": "NaN or inf where the answer is finite",
    "edge_cases": "right on ordinary inputs, wrong on the edge cases (overflow, kinks)",
    "modified_input": "the function changed its input arrays",
    "known_mistake": "a mistake the course knows by name (the message says which, and what to do instead)",
    "mismatch": "wrong values, no simpler pattern found",
    "forward_backward_disagree": "the backward does not match the learner's own forward (numerical check)",
    "wrong_forward": "a backward that ran on the learner's own wrong forward: not judged until the forward passes",
    "rng": "randomness not drawn from the rng passed in (np.random, or a generator of its own)",
    "property": "a randomised function breaks a required property (drop rate, scale, mask per unit, std)",
    "internal": "the grader itself failed on this exercise (a bug in tutor, not in the learner's code)",
}


@dataclass
class CaseResult:
    """One case of an exercise: its name in the manifest, and what was wrong with it (if anything)."""
    case: str
    passed: bool
    diagnosis: str = "ok"
    message: str = ""
    index: list[int] | None = None    # for wrong values: the first index that differs,
    got: float | None = None          # what the learner's value is there,
    expected: float | None = None     # and what it should be

    def __post_init__(self):
        self.message = printable(self.message)

    def text(self) -> str:
        """The case in words: its name, and what was wrong when it failed ("shape: wrong shape ...")."""
        return self.case if self.passed else f"{self.case}: {self.message}"

    def line(self) -> str:
        """Its line in ExerciseResult.details: the mark, then the text ("✗ shape: wrong shape ...")."""
        return f"{marks.for_case(self).symbol} {self.text()}"


@dataclass
class ExerciseResult:
    exercise: str            # "MODULE.FUNCTION"
    score: float
    max_score: float
    passed: bool
    message: str             # the diagnosis in one or two sentences a learner can act on
    status: str = FAILED
    # Machine-readable diagnosis, one of DIAGNOSES below; tests assert it, reports may colour by it.
    diagnosis: str = "mismatch"
    details: list[str] = field(default_factory=list)   # per-case lines, tracebacks (learner frames only)
    seconds: float = 0.0     # time spent in the learner's code for this exercise
    cases: list[CaseResult] = field(default_factory=list)   # per case, in the manifest's order (when judged)

    def __post_init__(self):
        # Messages and details quote the learner's exceptions and prints: made safe here, where every
        # result is built, so that no client (terminal, gradebook, CSV, HTML, notebook) has to.
        self.message = printable(self.message)
        self.details = [printable(d) for d in self.details]

    def to_json(self) -> dict:
        """The public JSON shape of `tutor check --json` (extra keys are allowed, these never change)."""
        data = asdict(self)
        return {k: data[k] for k in ("exercise", "score", "max_score", "passed", "message", "status", "diagnosis", "details")}
