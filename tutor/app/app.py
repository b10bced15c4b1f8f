"""TutorApp: the Textual application object.

Startup is kept light: Textual, the lesson list and the Markdown of the first lesson.
The manifest (NumPy), the engine, the reference and torch are imported by a background
worker (`warm_up`) after the first frame; the exercise panel fills in when it finishes.
"""
from __future__ import annotations

from pathlib import Path
from typing import Iterable

from textual.app import App, SystemCommand
from textual.screen import Screen

from tutor.app import bindings
from tutor.app.state import TutorState


def break_path(text: str, width: int) -> str:
    """Lines of at most `width` characters, broken only after a "/" (a single name longer
    than the width gets a line of its own)."""
    lines, line = [], ""
    for part in text.replace("/", "/\0").split("\0"):
        if line and len(line) + len(part) > width:
            lines.append(line)
            line = ""
        line += part
    lines.append(line)
    return "\n".join(lines)


class TutorApp(App[int]):
    """Learn neural networks by building them: lessons, playgrounds and the grader."""

    TITLE = "tutor"
    SUB_TITLE = "neural networks, from the chain rule up"
    CSS_PATH = "tutor.tcss"
    BINDINGS = bindings.APP

    def __init__(self, workspace: Path | str | None = None, *, warm_up: bool = True,
                 watch_interval: float = 0.5) -> None:
        super().__init__()
        self.state = TutorState(workspace)
        self.warm_up_enabled = warm_up
        self.watch_interval = watch_interval
        self.engine_ready = False

    def on_mount(self) -> None:
        from tutor.app.screens.main import MainScreen

        self.theme = "textual-dark"
        error = None
        try:
            created = self.state.open()
        except Exception as exc:  # a workspace we cannot create: say so, keep the lessons
            created, error = False, exc
        self.push_screen(MainScreen(self.state))
        where = self.path_lines(self.state.workspace)
        if error is not None:
            self.notify(f"Cannot open the workspace\n{where}\n{error}",
                        title="Workspace", severity="error", timeout=15)
        elif created:
            self.notify(f"Created your workspace:\n{where}\nEdit the .py files there, then "
                        "press c to check.", title="Welcome", timeout=12)
        else:
            self.notify(f"Workspace:\n{where}", timeout=4)
        # after the first frame: loading torch in a thread would compete with it for the GIL
        self.call_after_refresh(self.set_timer, 0.05, self._start_warm_up)

    def _start_warm_up(self) -> None:
        if self.warm_up_enabled:
            self.run_worker(self._warm_up_thread, thread=True, group="warm-up", name="warm-up",
                            exit_on_error=False)
        else:
            self._engine_loaded()

    def _warm_up_thread(self) -> None:
        """In a thread: import what checks and playgrounds need, torch included."""
        import importlib

        for name in ("tutor.manifest", "tutor.workspace", "tutor.engine", "torch",
                     "tutor.reference", "tutor.playground"):
            try:
                importlib.import_module(name)
            except Exception:  # missing optional parts must not stop the app
                pass
        try:
            self.call_from_thread(self._engine_loaded)
        except RuntimeError:  # the app closed while loading
            pass

    def _engine_loaded(self) -> None:
        self.engine_ready = True
        try:
            self.state.restore_results()
        except Exception as exc:  # progress is a convenience: never stop the app for it
            self.state.notices.append(f"Your last results could not be restored: {exc}")
        screen = self.screen
        if hasattr(screen, "engine_loaded"):
            screen.engine_loaded()

    def path_lines(self, path: Path | str) -> str:
        """A path for a toast: ~ for the home folder, and broken after a "/" (never inside a
        name) into lines that fit the toast, which is as wide as the lesson list."""
        text = str(path)
        home = str(Path.home())
        if text == home or text.startswith(home + "/"):
            text = "~" + text[len(home):]
        width = max(18, min(40, int(self.size.width * 0.3) - 4))
        return break_path(text, width)

    # -- actions ---------------------------------------------------------------------
    def action_help(self) -> None:
        from tutor.app.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        yield SystemCommand("Help", "Keys and what they do", self.action_help)
        main = self._main_screen()
        if main is None:
            return
        from tutor.lessons import LESSONS

        yield SystemCommand("Check", "Check this lesson's exercises", main.action_check)
        yield SystemCommand("Watch mode", "Check again whenever you save a file",
                            main.action_toggle_watch)
        yield SystemCommand("Hint", "Reveal the next hint for the selected exercise",
                            main.action_hint)
        yield SystemCommand("Edit", "Edit the selected exercise ($EDITOR or the editor in the app)",
                            main.action_edit)
        yield SystemCommand("Solution", "The course's solution beside yours (once solved)", main.action_solution)
        yield SystemCommand("Reset exercise", "Put the selected exercise back to its stub",
                            main.action_reset)
        for number, lesson in enumerate(LESSONS, 1):
            yield SystemCommand(f"Lesson {number}: {lesson.title}", f"Open the lesson {lesson.id}",
                                lambda lesson_id=lesson.id: main.show_lesson(lesson_id))

    def _main_screen(self):
        from tutor.app.screens.main import MainScreen

        for screen in reversed(self.screen_stack):
            if isinstance(screen, MainScreen):
                return screen
        return None

    def on_unmount(self) -> None:
        self.state.save()
