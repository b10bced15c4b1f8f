"""tutor/classroom/incidents.py: an internal error on one student gets a short id and its traceback
is kept for the log (end to end: tests/test_reports.py, tests/test_submissions.py)."""
from __future__ import annotations

from tutor.classroom import incidents


def test_an_incident_has_an_id_and_its_traceback():
    incidents.drain()
    try:
        {}["missing"]
    except KeyError as exc:
        line = incidents.report(exc, "ada\x1b")
    assert line.startswith("internal error ") and "KeyError" in line
    (incident, student, trace), = incidents.pending()
    assert incident in line and len(incident) == 8 and "Traceback" in trace
    log = incidents.log_text(incidents.drain())
    assert incident in log and "ada\\x1b" in log and "\x1b" not in log
    assert incidents.pending() == []
