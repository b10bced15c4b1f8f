"""grades.csv and feedback/<student>.md, written from the gradebook, each file atomically
(tutor.files.atomic_write): a reader never sees half a file.

Everything a learner controls goes through tutor.safe_text: grades.csv cells never start a
spreadsheet formula; in the feedback Markdown, student names are escaped and messages, warnings
and details sit in fenced code blocks, so no learner text renders as a heading, a link, an image,
a table row or HTML. A feedback file name always fits the file system (feedback_filename)."""
from __future__ import annotations

import csv
import hashlib
import io
import os
import re
import stat
from pathlib import Path
from typing import Sequence

from tutor import marks
from tutor.engine.results import DIAGNOSES
from tutor.files import atomic_write
from tutor.safe_text import csv_cell, markdown_block, markdown_inline, printable

CSV_HEADER = ("student", "exercise", "score", "max_score")
MAX_DETAIL_CHARS = 4000     # per exercise, in the feedback file; the gradebook keeps everything
MAX_NAME_BYTES = 120        # of a feedback file name's student part: far below NAME_MAX (255)
_HASHED = re.compile(r"-[0-9a-f]{12}$")


def number(value: float | None, digits: int = 6) -> str:
    """2.0 -> "2", 4/3 -> "1.333333" (grades.csv); with digits=2, "1.33" (feedback)."""
    if value is None:
        return ""
    value = round(float(value), digits)
    return str(int(value)) if value == int(value) else f"{value:.12g}"


def grades_csv(rows: Sequence[tuple[str, str, float | None, float]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_HEADER)
    for student, exercise, score, max_score in rows:
        writer.writerow((csv_cell(student), csv_cell(exercise), number(score), number(max_score)))
    return buffer.getvalue()


def _fence(text: str) -> str:
    return markdown_block(text)


def feedback_markdown(student: str, rows: Sequence[dict], *, warnings: Sequence[str] = (),
                      modules_order: Sequence[str] = (), sections: Sequence[str] = ()) -> str:
    """What a learner reads: totals, then one section per exercise (✓/✗, score, diagnosis,
    message, details), then how the grading was run (isolation level)."""
    lines = _totals(student, rows)
    lines += list(sections)   # e.g. per-assignment totals and lateness (tutor/classroom/outputs.py)
    if warnings:
        lines += ["## About your submission folder", ""]
        lines += [markdown_block("\n".join(f"- {w}" for w in warnings)), ""]
    lines += _summary_table(rows)
    to_fix = [r for r in rows if r["score"] < r["max_score"]]
    lines += ["## What to fix", ""] if to_fix else ["Every exercise is fully correct. Well done!", ""]
    for r in to_fix:
        lines += _what_to_fix(r)
    return "\n".join(lines + _how_it_was_graded(rows))


def _totals(student: str, rows: Sequence[dict]) -> list[str]:
    total = sum(r["score"] for r in rows)
    possible = sum(r["max_score"] for r in rows)
    percent = f" ({100 * total / possible:.0f}%)" if possible else ""
    passed = sum(1 for r in rows if r["score"] >= r["max_score"] > 0)
    return [f"# Feedback for {markdown_inline(student)}", "",
            f"**Total: {number(total, 2)} / {number(possible, 2)} points{percent}** — "
            f"{passed} of {len(rows)} exercises fully correct.", ""]


def _summary_table(rows: Sequence[dict]) -> list[str]:
    lines = ["## Summary", "", "| | exercise | score | diagnosis |", "|---|---|---|---|"]
    for r in rows:
        mark = marks.for_score(r["score"], r["max_score"]).plain()
        lines.append(f"| {mark} | `{r['exercise']}` | {number(r['score'], 2)} / {number(r['max_score'], 2)} | "
                     f"{_word(r['diagnosis'])} |")
    return lines + [""]


def _what_to_fix(r: dict) -> list[str]:
    score = f"{number(r['score'], 2)} / {number(r['max_score'], 2)}"
    lines = [f"### {marks.FAILED.plain()} {r['exercise']} — {score}", ""]
    meaning = DIAGNOSES.get(r["diagnosis"], "")
    lines += [f"Diagnosis: *{_word(r['diagnosis'])}*" + (f" — {meaning}" if meaning else ""), ""]
    if r["message"]:
        # The message quotes the learner's exception or print: shown, never rendered.
        lines += [markdown_block(r["message"]), ""]
    details = [printable(d) for d in r.get("details") or []]
    if details:
        text = "\n".join(details)
        if len(text) > MAX_DETAIL_CHARS:
            text = text[:MAX_DETAIL_CHARS] + f"\n… ({len(text) - MAX_DETAIL_CHARS} more characters cut)"
        lines += [_fence(text), ""]
    return lines


def _how_it_was_graded(rows: Sequence[dict]) -> list[str]:
    isolations = sorted({r.get("isolation") or "unknown" for r in rows})
    graded = max((r.get("graded_at") or "" for r in rows), default="")
    versions = sorted({r.get("grader_version") or "" for r in rows})
    return ["---", "",
            f"Graded {markdown_inline(graded)} by tutor grader {markdown_inline(', '.join(versions))}.",
            f"Isolation of your code while it ran: {markdown_inline('; '.join(isolations))}.", ""]


def _word(text) -> str:
    """A diagnosis: a plain identifier as it is, anything else escaped."""
    text = str(text)
    return text if text.isidentifier() else markdown_inline(text)


def feedback_filename(student: str) -> str:
    """`<student>.md` when that is a plain, short file name; else a readable prefix of the name
    and a hash of all of it (`<prefix>-<hash>.md`): a name near NAME_MAX (255 bytes), one with
    characters a file name should not hold, or one starting with '-' or '.', still gets a file
    that fits, and two different students never share one (feedback_index() lists them)."""
    if _plain_name(student):
        return f"{student}.md"
    digest = hashlib.sha256(student.encode("utf-8", "surrogatepass")).hexdigest()[:12]
    prefix = "".join(c if c.isalnum() or c in "_." else "_" for c in student).lstrip("._")
    prefix = prefix.encode("utf-8")[:MAX_NAME_BYTES // 2].decode("utf-8", "ignore") or "student"
    return f"{prefix}-{digest}.md"


def _plain_name(student: str) -> bool:
    try:
        size = len(student.encode("utf-8"))
    except UnicodeEncodeError:
        return False
    # A plain name that looks like a hashed one ("rf-0123456789ab") is hashed too: no student can
    # take the feedback file of another whose name was shortened.
    return (0 < size <= MAX_NAME_BYTES and printable(student) == student and "/" not in student
            and not student.startswith(("-", ".")) and "\n" not in student and "\t" not in student
            and not _HASHED.search(student))


def feedback_index(students) -> str | None:
    """feedback-index.csv: student -> feedback file, for the students whose file is not simply
    `<student>.md`; None when there are none."""
    renamed = [(s, feedback_filename(s)) for s in students if feedback_filename(s) != f"{s}.md"]
    if not renamed:
        return None
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(("student", "feedback_file"))
    for student, filename in renamed:
        writer.writerow((csv_cell(student), filename))
    return buffer.getvalue()


def feedback_folder(out: Path) -> Path:
    """OUT/feedback, created when missing. A link planted there (to make tutor write elsewhere) is
    refused: FeedbackFolderError says so. Each file is then replaced, never written through."""
    folder = Path(out) / "feedback"
    try:
        st = os.lstat(folder)
    except FileNotFoundError:
        folder.mkdir()
        return folder
    if stat.S_ISLNK(st.st_mode) or not stat.S_ISDIR(st.st_mode):
        raise FeedbackFolderError(f"{folder} is {'a symbolic link' if stat.S_ISLNK(st.st_mode) else 'not a folder'}; "
                                  f"tutor grade writes the feedback files only into a real folder there. "
                                  f"Remove it and run again.")
    return folder


class FeedbackFolderError(Exception):
    """OUT/feedback cannot be used safely; str() says what to do."""


def write_feedback(folder: Path, student: str, text) -> str | None:
    """Write one student's feedback (text: a str, or a function making it); None, or a problem
    line for the instructor. Never raises for one student's data: the others are written."""
    from tutor.classroom.incidents import report

    try:
        atomic_write(Path(folder) / feedback_filename(student), text() if callable(text) else text)
        return None
    except OSError as exc:
        return f"the feedback file of {printable(student)!r} could not be written ({exc.strerror or exc})"
    except Exception as exc:  # noqa: BLE001 - a bug of ours on this student's data; the others go on
        return f"the feedback file of {printable(student)!r} could not be made ({report(exc, student)})"


def not_graded_markdown(student: str, reason: str) -> str:
    """The feedback of a student who could not be graded this time (the next run retries)."""
    return "\n".join([f"# Feedback for {markdown_inline(student)}", "",
                      "**Not graded yet.** Your submission could not be graded in this run; your instructor "
                      "will grade it again. What went wrong:", "", markdown_block(reason), ""])


def finish_views(out: Path, students, problems: Sequence[str]) -> list[str]:
    """After grades.csv and the feedback files: OUT/feedback-index.csv (the students whose feedback
    file is not `<student>.md`), and OUT/internal-errors.log (appended: the tracebacks of internal
    errors met on single students). The lines to show the instructor."""
    from tutor.classroom import incidents

    index = feedback_index(students)
    if index:
        atomic_write(Path(out) / "feedback-index.csv", index)
    lines = [printable(p) for p in problems]
    found = incidents.drain()
    if found:
        with open(Path(out) / "internal-errors.log", "a", encoding="utf-8") as log:
            log.write(incidents.log_text(found))
        lines.append(f"{len(found)} internal error(s) met on single students, each kept to that student "
                     f"(their feedback names the id): tracebacks in {Path(out) / 'internal-errors.log'}; "
                     f"please report them.")
    return lines
