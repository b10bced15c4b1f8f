"""The in-app editor: Textual's code editor (TextArea) on one exercise module.

Used in a browser (`tutor --web`, where no $EDITOR exists) and in a terminal when neither
$VISUAL nor $EDITOR is set. ctrl+s saves; escape closes, asking first when there are
unsaved changes. The screen is dismissed with True when the file was saved at least once,
so the caller checks it again.
"""
from __future__ import annotations

from pathlib import Path

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer, Static, TextArea

from tutor.app import bindings


class EditorScreen(Screen[bool]):
    """Edit WORKSPACE/<module>.py in the app."""

    BINDINGS = bindings.EDITOR

    def __init__(self, path: Path, function: str | None = None) -> None:
        super().__init__()
        self.path = Path(path)
        self.function = function
        self.saved_once = False
        self.saved_text = self.path.read_text(encoding="utf-8")

    def compose(self) -> ComposeResult:
        yield Static(self._title(), id="editor-title")
        yield TextArea.code_editor(self.saved_text, language="python", id="editor")
        yield Footer()

    def on_mount(self) -> None:
        editor = self.query_one(TextArea)
        editor.focus()
        line = self._function_line()
        if line is not None:
            editor.move_cursor((line, 0), center=True)

    def _function_line(self) -> int | None:
        if not self.function:
            return None
        for number, line in enumerate(self.saved_text.splitlines()):
            if line.startswith(f"def {self.function}("):
                return number
        return None

    def _title(self, note: str = "") -> str:
        state = "modified" if note == "modified" else note
        return f" {self.path.name}  ({self.path.parent})" + (f"  · {state}" if state else "")

    @property
    def modified(self) -> bool:
        return self.query_one(TextArea).text != self.saved_text

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        self.query_one("#editor-title", Static).update(self._title("modified" if self.modified else ""))

    def action_save(self) -> bool:
        from tutor.files import atomic_write

        text = self.query_one(TextArea).text
        try:
            atomic_write(self.path, text)
        except OSError as exc:
            self.notify(f"Not saved: {self.path} cannot be written ({exc.strerror or exc}).",
                        severity="error", timeout=8)
            return False
        self.saved_text = text
        self.saved_once = True
        self.query_one("#editor-title", Static).update(self._title("saved"))
        return True

    def action_close(self) -> None:
        if not self.modified:
            self.dismiss(self.saved_once)
            return
        from tutor.app.screens.confirm import ConfirmScreen

        def answered(save: bool | None) -> None:
            if save and not self.action_save():
                return
            self.dismiss(self.saved_once)

        self.app.push_screen(ConfirmScreen(f"Save your changes to {self.path.name}?",
                                           yes="Save", no="Discard"), answered)
