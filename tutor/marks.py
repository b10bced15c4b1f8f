"""The mark every front end shows beside a verdict, and how it looks in each medium.

    PASSED   ✓  green   full marks (an exercise) or right (a case)
    FAILED   ✗  red     ran, but wrong, raised, timed out or crashed
    NOT_RUN  ·  dim     not checked yet, or still the stub (raises NotImplementedError)

A Mark renders as plain text (its symbol), Rich markup (the terminal and the app) and HTML
(Jupyter, nbgrader's autograded notebooks). Which mark a verdict gets is decided here too,
from an ExerciseResult, a CaseResult, a status string (progress.json) or a score, so that
the terminal, the app, the notebooks and the class reports always agree.

Standard library only: the engine, the notebooks and the app import it alike.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Mark:
    symbol: str    # one character wide in a terminal
    colour: str    # a colour name Rich and Textual know, for the mark beside a line of text
    style: str     # the Rich style of the mark in a table of results: bold for a verdict
    hex: str       # the colour in HTML (GitHub's palette: readable on light and dark themes)

    def plain(self) -> str:
        return self.symbol

    def rich(self) -> str:
        """Rich console markup: "[bold green]✓[/]"."""
        return f"[{self.style}]{self.symbol}[/]"

    def html(self) -> str:
        return f'<span style="color:{self.hex};font-weight:bold">{self.symbol}</span>'


PASSED = Mark("✓", "green", "bold green", "#1a7f37")
FAILED = Mark("✗", "red", "bold red", "#cf222e")
NOT_RUN = Mark("·", "grey50", "dim", "#57606a")

# The statuses of tutor.engine.results (spelled out: the app must not import the engine).
_BY_STATUS = {"passed": PASSED, "failed": FAILED, "error": FAILED, "not_implemented": NOT_RUN}


def for_status(status: str | None) -> Mark | None:
    """A status as progress.json keeps it; None for no status (never checked) or an unknown one."""
    return _BY_STATUS.get(status) if isinstance(status, str) else None


def for_result(result) -> Mark:
    """An ExerciseResult's mark; NOT_RUN for None (not checked yet)."""
    if result is None:
        return NOT_RUN
    if result.passed:
        return PASSED
    return NOT_RUN if result.status == "not_implemented" else FAILED


def for_case(case) -> Mark:
    """A CaseResult's mark: a case that was judged is right or wrong."""
    return PASSED if case.passed else FAILED


def for_score(score: float | None, max_score: float) -> Mark:
    """A graded row of the gradebook: full marks pass; no score (not graded) does not."""
    return PASSED if score is not None and score >= max_score else FAILED
