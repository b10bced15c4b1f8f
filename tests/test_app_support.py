"""Helpers for the terminal app's tests (tests/test_app_*.py): workspaces and waiting.

No tests here; the other test_app_* modules import these functions.
"""
from __future__ import annotations

import io
import shutil
from pathlib import Path

from tutor.workspace import ensure_workspace

ROOT = Path(__file__).resolve().parent.parent
SOLUTIONS = ROOT / "solutions"

# a known-bad backprop.py: xyz_forward right, xyz_backward with every sign flipped
BAD_BACKWARD = ("    return dq, dq, df * q", "    return -dq, -dq, -df * q")


def fresh_workspace(tmp_path: Path) -> Path:
    """A workspace created from the pristine exercises, as on a first run."""
    path, _ = ensure_workspace(tmp_path / "workspace")
    return path


def solved(workspace: Path, module: str) -> Path:
    """Put the reference solution of a module into the workspace (a known-good module)."""
    target = workspace / f"{module}.py"
    shutil.copyfile(SOLUTIONS / f"{module}.py", target)
    return target


def broken_backprop(workspace: Path) -> Path:
    """backprop.py with xyz_forward right and xyz_backward wrong (flipped signs)."""
    target = solved(workspace, "backprop")
    text = target.read_text(encoding="utf-8")
    assert BAD_BACKWARD[0] in text, "solutions/backprop.py changed: update BAD_BACKWARD"
    target.write_text(text.replace(*BAD_BACKWARD), encoding="utf-8")
    return target


def fixed_backprop(workspace: Path) -> Path:
    return solved(workspace, "backprop")


async def settle(pilot, rounds: int = 50) -> None:
    """Wait until no worker runs (checks, playground computations) and the screen is idle."""
    app = pilot.app
    for _ in range(rounds):
        await app.workers.wait_for_complete()
        await pilot.pause()
        if not any(w.is_running for w in app.workers):
            await pilot.pause()
            return


def text_of(widget) -> str:
    """The plain text a Static shows (Rich renderables included)."""
    from rich.console import Console
    from rich.text import Text

    content = getattr(widget, "content", None)
    if isinstance(content, (str, Text)):
        return str(content)
    if content is not None:
        console = Console(width=200, record=True, file=io.StringIO())
        console.print(content)
        return console.export_text()
    return str(widget.render())


def make_app(workspace: Path, **kwargs):
    from tutor.app.app import TutorApp

    kwargs.setdefault("watch_interval", 0.1)
    return TutorApp(workspace, **kwargs)


def asynctest(fn):
    """Run an async test function with asyncio.run (no pytest plugin needed). The fixture
    arguments stay visible to pytest through functools.wraps."""
    import asyncio
    import functools

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        return asyncio.run(fn(*args, **kwargs))

    return wrapper


def host(widget, css_path=None):
    """A bare App showing one widget (with the tutor's stylesheet), for widget tests."""
    from textual.app import App

    from tutor.app.app import TutorApp

    class Host(App):
        CSS_PATH = TutorApp.CSS_PATH if css_path is None else css_path

        def compose(self):
            yield widget

    Host.CSS_PATH = str(Path(__import__("tutor.app.app", fromlist=["x"]).__file__).parent / "tutor.tcss")
    return Host()


async def wait_until(pilot, predicate, timeout: float = 10.0) -> bool:
    """Pause until predicate() is true (layout, animations and timers need a few frames,
    more on a loaded machine); returns the last value."""
    import time

    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            return bool(predicate())
        await pilot.pause(0.05)
    return True
