"""One diagnosis, two renderings: plain text (terminal, logs, exceptions) and HTML (Jupyter).

Both show the same facts the terminal's `tutor check` shows: the verdict, the score, the
one-or-two-sentence message and the per-case details.
"""
from __future__ import annotations

import html

from tutor import marks
from tutor.engine.results import ExerciseResult


def _score(result: ExerciseResult) -> str:
    return f"{round(result.score, 2):g}/{result.max_score:g}"   # scores are unrounded; shown to 2 places


def text(result: ExerciseResult, label: str = "") -> str:
    mark = marks.for_result(result).plain()
    head = f"{mark} {result.exercise}{label}  {_score(result)}  {result.message}".rstrip()
    lines = [head]
    for detail in result.details:
        for i, line in enumerate(str(detail).splitlines() or [""]):
            lines.append(("    · " if i == 0 else "      ") + line)
    return "\n".join(lines)


def html_block(result: ExerciseResult, label: str = "", hints: tuple[str, ...] = (),
               solution: str | None = None) -> str:
    ok = result.passed
    mark = marks.for_result(result)
    parts = [
        f'<div class="tutor-check" style="border-left:4px solid {mark.hex};padding:4px 10px;'
        f'margin:4px 0;font-family:var(--jp-content-font-family,sans-serif)">',
        f'<div>{mark.html()} '
        f'<code>{html.escape(result.exercise)}</code>{html.escape(label)} '
        f'<span style="color:#57606a">{html.escape(_score(result))}</span></div>',
        f'<div style="margin-top:2px">{html.escape(result.message)}</div>',
    ]
    if result.details:
        items = "".join(f"<li><pre style=\"margin:0;white-space:pre-wrap\">{html.escape(str(d))}</pre></li>"
                        for d in result.details)
        parts.append(f'<ul style="margin:4px 0 0 0">{items}</ul>')
    if hints and not ok:
        inner = "".join(f"<details><summary>Hint {i}</summary><p>{html.escape(h)}</p></details>"
                        for i, h in enumerate(hints, 1))
        parts.append(f'<div style="margin-top:4px">{inner}</div>')
    if solution and ok:   # offered only once solved: a reveal to compare with, never a shortcut
        parts.append(f'<details style="margin-top:4px"><summary>The course\'s solution</summary>'
                     f'<pre style="margin:0">{html.escape(solution)}</pre></details>')
    parts.append("</div>")
    return "".join(parts)
