"""The terminal tutor: a Textual app over the lessons, the playgrounds and the grader.

Layout (after Posting and Harlequin): app state in state.py (no Textual), key bindings in
bindings.py (declared once, read by the footer, the help screen and the command palette),
screens in screens/, widgets in widgets/, one stylesheet tutor.tcss.

Nothing here imports torch at module level: the engine, the reference and torch are
loaded by a background worker after the first frame.
"""
from __future__ import annotations

__all__ = ["TutorApp"]


def __getattr__(name: str):
    if name == "TutorApp":
        from tutor.app.app import TutorApp

        return TutorApp
    raise AttributeError(name)
