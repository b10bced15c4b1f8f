"""grades.csv and feedback/<student>.md, written from the gradebook, each file atomically
(a temporary file in the same folder, then os.replace): a reader never sees half a file."""
from __future__ import annotations

import csv
import io
import os
import re
import secrets
from pathlib import Path
from typing import Sequence

from tutor.engine.results import DIAGNOSES

CSV_HEADER = ("student", "exercise", "score", "max_score")
MAX_DETAIL_CHARS = 4000     # per exercise, in the feedback file; the gradebook keeps everything
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\x1b]")


def atomic_write(path: Path, text: str) -> None:
    path = Path(path)
    while True:   # like mkstemp, but with the usual permissions (0666 less the umask), not 0600
        tmp = path.parent / f".{path.name}.{secrets.token_hex(6)}.tmp"
        try:
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o666)
            break
        except FileExistsError:
            continue
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def number(value: float | None, digits: int = 6) -> str:
    """2.0 -> "2", 4/3 -> "1.333333" (grades.csv); with digits=2, "1.33" (feedback)."""
    if value is None:
        return ""
    value = round(float(value), digits)
    return str(int(value)) if value == int(value) else f"{value:.12g}"


def clean(text: str) -> str:
    """Text a student controls (messages, tracebacks) without terminal escapes or control bytes."""
    text = str(text).encode("utf-8", "backslashreplace").decode("utf-8")
    return _CONTROL.sub("\N{REPLACEMENT CHARACTER}", text)


def grades_csv(rows: Sequence[tuple[str, str, float | None, float]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_HEADER)
    for student, exercise, score, max_score in rows:
        writer.writerow((student, exercise, number(score), number(max_score)))
    return buffer.getvalue()


def _fence(text: str) -> str:
    longest = max((len(m) for m in re.findall(r"`+", text)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}text\n{text}\n{fence}"


def feedback_markdown(student: str, rows: Sequence[dict], *, warnings: Sequence[str] = (),
                      modules_order: Sequence[str] = (), sections: Sequence[str] = ()) -> str:
    """What a learner reads: totals, then one section per exercise (✓/✗, score, diagnosis,
    message, details), then how the grading was run (isolation level)."""
    total = sum(r["score"] for r in rows)
    possible = sum(r["max_score"] for r in rows)
    percent = f" ({100 * total / possible:.0f}%)" if possible else ""
    passed = sum(1 for r in rows if r["score"] >= r["max_score"] > 0)
    lines = [f"# Feedback for {clean(student)}", "",
             f"**Total: {number(total, 2)} / {number(possible, 2)} points{percent}** — "
             f"{passed} of {len(rows)} exercises fully correct.", ""]
    lines += list(sections)   # e.g. per-assignment totals and lateness (tutor/classroom/outputs.py)
    if warnings:
        lines += ["## About your submission folder", ""]
        lines += [f"- {clean(w)}" for w in warnings]
        lines.append("")
    lines += ["## Summary", "", "| | exercise | score | diagnosis |", "|---|---|---|---|"]
    for r in rows:
        mark = "✓" if r["score"] >= r["max_score"] else "✗"
        lines.append(f"| {mark} | `{r['exercise']}` | {number(r['score'], 2)} / {number(r['max_score'], 2)} | "
                     f"{r['diagnosis']} |")
    lines.append("")
    to_fix = [r for r in rows if r["score"] < r["max_score"]]
    if to_fix:
        lines += ["## What to fix", ""]
    else:
        lines += ["Every exercise is fully correct. Well done!", ""]
    for r in to_fix:
        lines += [f"### ✗ {r['exercise']} — {number(r['score'], 2)} / {number(r['max_score'], 2)}", ""]
        meaning = DIAGNOSES.get(r["diagnosis"], "")
        lines += [f"Diagnosis: *{r['diagnosis']}*" + (f" — {meaning}" if meaning else ""), ""]
        if r["message"]:
            lines += [clean(r["message"]), ""]
        details = [clean(d) for d in r.get("details") or []]
        if details:
            text = "\n".join(details)
            if len(text) > MAX_DETAIL_CHARS:
                text = text[:MAX_DETAIL_CHARS] + f"\n… ({len(text) - MAX_DETAIL_CHARS} more characters cut)"
            lines += [_fence(text), ""]
    isolations = sorted({r.get("isolation") or "unknown" for r in rows})
    graded = max((r.get("graded_at") or "" for r in rows), default="")
    versions = sorted({r.get("grader_version") or "" for r in rows})
    lines += ["---", "",
              f"Graded {graded} by tutor grader {', '.join(versions)}.",
              f"Isolation of your code while it ran: {'; '.join(isolations)}.", ""]
    return "\n".join(lines)


def feedback_filename(student: str) -> str:
    return f"{student}.md"
