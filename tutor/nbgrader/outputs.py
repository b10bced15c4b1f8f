"""The outputs a tutor test cell gets in autograded/ (tutor/nbgrader/sync.py): what the
cell's check() would have shown in the student's kernel, and the verdict as nbgrader reads it.

    graded_cell_outputs(exercise id, score or None, max score, result {"message", "details"} or None)
        -> [display_data]                 not graded (None): the cell goes to manual grading
           [display_data, error]          scored 0: nbgrader's "failed"
           [display_data, execute_result] partial credit: the exact score, nbgrader's convention
           [display_data]                 full marks
"""
from __future__ import annotations

from tutor import marks
from tutor.safe_text import html_text, printable


def new_output(output_type: str, **fields):
    """nbformat.v4.new_output's node, without its schema check of every output (a tenth of the
    sync's time): the whole notebook is checked against the same schema as it is written
    (nbformat.writes)."""
    from nbformat import NotebookNode

    node = NotebookNode(output_type=output_type)
    if output_type in ("display_data", "execute_result"):
        node.metadata = NotebookNode()
    node.update(fields)
    return node


def graded_cell_outputs(exercise: str, score, max_score: float, result: dict | None) -> list:
    """The outputs a tutor test cell gets: what check() would have shown in the kernel."""
    message = printable((result or {}).get("message") or "")
    details = [printable(d) for d in ((result or {}).get("details") or [])]
    shown = "?" if score is None else f"{round(score, 2):g}"   # the exact score goes in execute_result
    mark = marks.for_score(score, max_score)
    head = f"{mark.plain()} {exercise}  {shown}/{max_score:g}  {message}".rstrip()
    text = "\n".join([head] + [f"    · {d}" for d in details]) + "\n(graded by tutor in its sandbox)"
    items = "".join(f"<li><pre style=\"margin:0;white-space:pre-wrap\">{html_text(d)}</pre></li>" for d in details)
    block = (f'<div class="tutor-check" style="border-left:4px solid {mark.hex};padding:4px 10px">'
             f'<div>{mark.html()} <code>{html_text(exercise)}</code> '
             f'{shown}/{max_score:g}</div>'
             f'<div>{html_text(message)}</div>' + (f"<ul>{items}</ul>" if items else "") +
             '<div style="color:#57606a;font-size:smaller">graded by tutor in its sandbox</div></div>')
    outputs = [new_output("display_data", data={"text/plain": text, "text/html": block})]
    if score is None:
        return outputs   # not graded: no verdict, the cell is marked for manual grading
    if score <= 0:
        outputs.append(new_output("error", ename="CheckFailed", evalue=f"{exercise} did not pass: {message}",
                                  traceback=[f"CheckFailed: {exercise} did not pass: {message}"]))
    elif score < max_score:
        # repr: the exact float, so nbgrader sums unrounded scores (2/3 + 2/3 + 1 is 2.33, not 2.34)
        outputs.append(new_output("execute_result", data={"text/plain": repr(float(score))}, execution_count=None))
    return outputs


__all__ = ["graded_cell_outputs"]
