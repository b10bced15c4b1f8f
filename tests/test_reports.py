"""tutor/classroom/reports.py: grades.csv cells and feedback files safe to open, feedback file names
that always fit, atomic writes that never follow a link (end to end: test_adversarial_classes.py)."""
from __future__ import annotations

import csv
import io
import os

from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from tutor.classroom import reports

NAMES = st.text(alphabet=st.characters(blacklist_characters="/\x00", codec="utf-8"), min_size=1, max_size=300)


def _row(message="", details=()):
    return {"exercise": "layers.affine_forward", "score": 0.0, "max_score": 1.0, "diagnosis": "exception",
            "message": message, "details": list(details), "isolation": "full", "graded_at": "now",
            "grader_version": "v"}


@given(NAMES)
@settings(max_examples=200, deadline=None)
def test_feedback_names_fit_and_differ(name):
    filename = reports.feedback_filename(name)
    assert 0 < len(filename.encode("utf-8")) <= 200 and "/" not in filename and not filename.startswith(("-", "."))
    assert filename == f"{name}.md" or filename != reports.feedback_filename(name + "x")


def test_plain_names_keep_their_file_name():
    assert reports.feedback_filename("ada") == "ada.md"
    assert reports.feedback_filename("José Núñez") == "José Núñez.md"
    assert reports.feedback_filename("x" * 300) != reports.feedback_filename("x" * 301)


def test_no_name_can_take_a_shortened_names_file():
    taken = reports.feedback_filename("-rf")
    assert taken != "-rf.md" and reports.feedback_filename(taken.removesuffix(".md")) != taken


def test_index_lists_renamed_files_only():
    assert reports.feedback_index(["ada", "bob"]) is None
    rows = list(csv.reader(io.StringIO(reports.feedback_index(["ada", "-rf", "=cmd", "\\n" + "y" * 300]))))
    assert rows[0] == ["student", "feedback_file"] and [r[0] for r in rows[1:]] == ["'-rf", "\\n" + "y" * 300]


def test_grades_csv_neutralises_formulas():
    text = reports.grades_csv([("=HYPERLINK(\"x\")", "layers.affine_forward", 1.0, 1.0), ("ada", "a.b", None, 2.0)])
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[1] == ["'=HYPERLINK(\"x\")", "layers.affine_forward", "1", "1"] and rows[2] == ["ada", "a.b", "", "2"]


def test_learner_text_never_renders():
    payload = "\n# Total: 99 / 99\n<script>x()</script> ![i](http://e/i.png) [l](http://e) ````"
    text = reports.feedback_markdown("<b>[n](http://e)</b>\n# h", [_row(payload, [payload])],
                                     warnings=[payload])
    html = MarkdownIt("commonmark").enable("table").render(text)
    assert html.count("<h1>") == 1 and html.count("<strong>") == 1
    assert "<script" not in html and "<img" not in html and "<a " not in html and "<b>" not in html


def test_atomic_write_replaces_a_planted_link(tmp_path):
    victim = tmp_path / "victim"
    victim.write_text("keep")
    os.symlink(victim, tmp_path / "ada.md")
    reports.atomic_write(tmp_path / "ada.md", "feedback")
    assert victim.read_text() == "keep" and (tmp_path / "ada.md").read_text() == "feedback"
    assert not (tmp_path / "ada.md").is_symlink()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ada.md", "victim"]    # no temporary file left


def test_a_long_name_writes(tmp_path):
    name = "é" * 127 + "x"
    assert reports.write_feedback(tmp_path, name, "text") is None
    assert (tmp_path / reports.feedback_filename(name)).read_text() == "text"


def test_write_feedback_reports_a_bug_without_raising(tmp_path):
    from tutor.classroom import incidents

    incidents.drain()

    def broken():
        raise KeyError("boom")

    line = reports.write_feedback(tmp_path, "ada", broken)
    assert "internal error" in line and "KeyError" in line
    (incident, student, trace), = incidents.drain()
    assert incident in line and student == "ada" and "Traceback" in trace


def test_feedback_folder_refuses_a_link(tmp_path):
    import pytest

    (tmp_path / "elsewhere").mkdir()
    os.symlink(tmp_path / "elsewhere", tmp_path / "feedback")
    with pytest.raises(reports.FeedbackFolderError, match="symbolic link"):
        reports.feedback_folder(tmp_path)
