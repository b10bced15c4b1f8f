"""Internal errors met on one student's data, kept apart from the class.

When reading, grading or reporting one student raises something unexpected, that student gets a
clear line ("internal error 3f9a2c1d: RecursionError: ...") and the class goes on. The bug is not
hidden: each incident has a short id, the traceback is kept here, and `tutor grade` writes them all
to OUT/internal-errors.log and names the file at the end.

    report(exc, student) -> "internal error <id>: <type>: <text>"   (call inside `except`)
    pending() -> [(id, student, traceback text)]   since the last drain()
    drain()   -> the same, and forgets them
    adopt(incidents)   those another process met (its drain()), kept as if met here
"""
from __future__ import annotations

import hashlib
import threading
import traceback

from tutor.safe_text import one_line

_LOCK = threading.Lock()
_INCIDENTS: list[tuple[str, str, str]] = []
MAX_KEPT = 1000


def report(exc: BaseException, student: str = "") -> str:
    text = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    incident = hashlib.sha256(f"{student}\0{text}".encode("utf-8", "backslashreplace")).hexdigest()[:8]
    with _LOCK:
        if len(_INCIDENTS) < MAX_KEPT:
            _INCIDENTS.append((incident, student, text))
    detail = one_line(str(exc))[:300]
    return f"internal error {incident}: {type(exc).__name__}" + (f": {detail}" if detail else "")


def pending() -> list[tuple[str, str, str]]:
    with _LOCK:
        return list(_INCIDENTS)


def drain() -> list[tuple[str, str, str]]:
    with _LOCK:
        taken = list(_INCIDENTS)
        _INCIDENTS.clear()
    return taken


def adopt(incidents) -> None:
    with _LOCK:
        room = max(0, MAX_KEPT - len(_INCIDENTS))
        _INCIDENTS.extend((str(i), str(s), str(t)) for i, s, t in list(incidents)[:room])


def log_text(incidents) -> str:
    return "".join(f"--- {incident} ({one_line(student)})\n{text}\n" for incident, student, text in incidents)
