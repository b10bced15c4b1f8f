"""The grading engine: no Textual, and torch only when a check actually runs.

Public API (used by the CLI, the terminal app, the notebooks and the class grader):

    Grader(exercises=None, timeout=10.0, jobs=1, reference_package="tutor.reference", limits=None,
           cache=False, pool=None, reference_cache=None)
        exercises: a list of manifest.Exercise (None: the whole manifest, in order).
        timeout: seconds per exercise (all its cases). limits: rlimits for the sandbox.
        cache: read/write prepared cases in ~/.cache/tutor (engine/cache.py) so that a later
            process need not import torch; for learner-side checks only, never class grading.
        reference_cache: a folder only the grader's owner writes (the class grader's OUT) where the
            prepared cases are kept like cache=True keeps them in ~/.cache, so that a later run
            need not import torch.
        pool: a tutor.engine.pool.WorkerPool to share with other Graders (one zygote for many
            exercise selections; each Grader's plan is re-sent when it switches); not closed
            by close(). None: a pool of `jobs` workers of its own.
        .grade(sources: dict[str, str]) -> list[ExerciseResult]
            sources maps a module name ("layers") to its source text; every module the
            learner has may be passed (they can import each other). One ExerciseResult per
            exercise, in the Grader's order. Thread-safe: up to `jobs` threads grade at once,
            each on its own worker process (a fork server started on first use and kept).
            The cases and the reference are prepared on the first grade() (this imports
            torch), once per process for each manifest entry, then reused for every submission.
        .prepare()          do that preparation now (e.g. before starting threads)
        .start()            start the workers, and the preparation in a background thread, now
        .run(sources) -> Run         grade() in two halves: run the learner's code (needs no
        .judge_run(run) -> results   reference: the inputs are NumPy, and a backward's upstream
                            gradient takes its shape from the trusted solutions' forward), then
                            judge (waits for the reference; a run whose plan turned out to differ
                            from the final one is run again). grade(s) == judge_run(run(s)).
        .isolation -> str   what the sandbox guarantees on this machine, in words
        .close()            stops the workers (also a context manager)
    check_workspace(workspace: Path, selector: str | None = None, timeout=10.0)
        -> list[ExerciseResult]   reads WORKSPACE/*.py and grades manifest.select(selector)
                                  (raises KeyError for an unknown selector). Keeps its Grader
                                  for the next call with the same selection, all of them on one
                                  shared worker, so repeated checks from the app take ~0.1-0.3 s.

ExerciseResult (results.py): exercise, score, max_score, passed, message, status
(passed / failed / not_implemented / error), diagnosis (a key of results.DIAGNOSES),
details (per-case lines ✓/✗, learner-only tracebacks, captured prints), seconds, cases (one
CaseResult per case: case name, passed, diagnosis, message; not part of to_json()). Front ends
render a case from its CaseResult (tutor.marks for the mark), never by parsing a detail line.
Score = points x fraction of cases passed; passed = every case passed (a timeout scores 0).
Every argument is passed by position, in the contract's order (calling.py); judging is
judge.py (the exercise) and verdicts.py (one case); docs/DIAGNOSES.md says what is judged.

Rules the manifest declares as data (tutor/manifest.py): a case marked kink=True gets
references at inputs nudged to ±1e-30 where they are exactly 0, and either one-sided answer
passes (elsewhere an exact 0 is strict: step(0) = 0); an exercise with ties="any_maximal"
(max_pool_backward) also accepts any one maximal element per window in its kink cases; the
call style comes from Exercise.style (kind, forward, pair). kind="random": the child gets a seeded
np.random.default_rng as `rng`; its statistical judge (properties.py, named by the manifest) sees the case's inputs without
the rng (plus "dout" for a random backward) and outputs by name (plus the learner's forward
out as "out" for a random backward).

Messages and details are made safe where every ExerciseResult is built (tutor.safe_text.printable,
the one sanitiser): control characters but newline and tab, bidirectional overrides and lone
surrogates become visible escapes (\x1b), whatever the learner raised or printed.

A worker found dead before a job is replaced; a job whose worker died is run once more on a
fresh one before its tasks count as crashed.

Where each part lives: plan.py (the cases, prepared once: inputs, the reference's answers),
run.py (a submission to a worker and back), judge.py and verdicts.py (pure judging),
explain.py (the numerical check of a failing backward), grader.py (the Grader over them),
shared.py (the Graders kept for repeated checks, on one shared worker), reference_process.py
(a class's reference answers computed in a process of their own).

Learner code never runs in this process: see tutor/engine/worker/ (the child side,
standard library and NumPy only) and tutor/engine/sandbox.py (how the child is confined).
"""
from tutor.engine.grader import Grader
from tutor.engine.shared import check_workspace
from tutor.engine.results import DIAGNOSES, ExerciseResult

__all__ = ["Grader", "check_workspace", "ExerciseResult", "DIAGNOSES"]
