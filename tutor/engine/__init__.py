"""The grading engine: no Textual, and torch only when a check actually runs.

Public API (used by the CLI, the terminal app, the notebooks and the class grader):

    Grader(exercises=None, timeout=10.0, jobs=1)
        .grade(sources: dict[str, str]) -> list[ExerciseResult]
            sources maps a module name ("layers") to its source text. Thread-safe: the
            class grader calls it from several threads at once. The reference for each
            case is computed once per Grader (cached) in this trusted process.
        .isolation -> str   what the sandbox guarantees on this machine, in words
        .close()            (also a context manager)
    check_workspace(workspace: Path, selector: str | None = None, timeout=10.0)
        -> list[ExerciseResult]   reads WORKSPACE/<module>.py and grades them

Learner code never runs in this process: see tutor/engine/worker/ (the child side,
standard library and NumPy only) and tutor/engine/sandbox.py (how the child is confined).
"""
