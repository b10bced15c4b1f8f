"""`tutor` with no command: the terminal tutor (tutor/app/)."""
from __future__ import annotations


def run(args) -> int:
    from tutor.app.app import TutorApp

    app = TutorApp(workspace=getattr(args, "workspace", None))
    result = app.run()
    if app.return_code:
        return app.return_code
    return int(result or 0)
