"""tutor/marks.py: which mark a verdict gets, and how it renders as text, Rich markup and HTML."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from rich.style import Style
from rich.text import Text

from tutor import marks
from tutor.engine.results import CaseResult, ExerciseResult

ROOT = Path(__file__).resolve().parent.parent


def result(passed: bool, status: str) -> ExerciseResult:
    return ExerciseResult("layers.affine_forward", float(passed), 1.0, passed, "m", status)


def test_a_result_gets_the_mark_of_its_verdict():
    assert marks.for_result(None) is marks.NOT_RUN
    assert marks.for_result(result(True, "passed")) is marks.PASSED
    assert marks.for_result(result(False, "failed")) is marks.FAILED
    assert marks.for_result(result(False, "error")) is marks.FAILED
    assert marks.for_result(result(False, "not_implemented")) is marks.NOT_RUN


def test_a_status_from_progress_json_gets_its_mark_or_none():
    assert marks.for_status("passed") is marks.PASSED
    assert marks.for_status("failed") is marks.for_status("error") is marks.FAILED
    assert marks.for_status("not_implemented") is marks.NOT_RUN
    assert marks.for_status(None) is None and marks.for_status("unknown") is None and marks.for_status(3) is None


def test_cases_and_scores_pass_or_fail():
    assert marks.for_case(CaseResult("small", True)) is marks.PASSED
    assert marks.for_case(CaseResult("small", False, "shape", "wrong shape")) is marks.FAILED
    assert marks.for_score(2.0, 2.0) is marks.PASSED
    assert marks.for_score(1.5, 2.0) is marks.FAILED
    assert marks.for_score(None, 2.0) is marks.FAILED


def test_each_mark_renders_as_text_rich_markup_and_html():
    assert [m.plain() for m in (marks.PASSED, marks.FAILED, marks.NOT_RUN)] == ["✓", "✗", "·"]
    assert marks.PASSED.rich() == "[bold green]✓[/]" and marks.NOT_RUN.rich() == "[dim]·[/]"
    assert Text.from_markup(marks.FAILED.rich()).plain == "✗"
    for mark in (marks.PASSED, marks.FAILED, marks.NOT_RUN):
        assert Style.parse(mark.colour).color is not None     # a colour Rich knows (it raises otherwise)
        assert Style.parse(mark.style) and mark.hex.startswith("#") and len(mark.hex) == 7
    assert marks.FAILED.html() == '<span style="color:#cf222e;font-weight:bold">✗</span>'


def test_the_marks_import_neither_rich_nor_textual_nor_the_engine():
    code = "import sys, tutor.marks; print(sorted(m for m in sys.modules if m.split('.')[0] in ('rich', 'textual') " \
           "or m.startswith('tutor.engine')))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
