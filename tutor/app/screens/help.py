"""The help screen (`?`): every key, from the same tables the bindings come from."""
from __future__ import annotations

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from tutor.app import bindings

INTRO = (
    "Read a lesson, play with its playground, then write the exercises in your "
    "workspace (any editor) and check them here. Mouse works too: click a lesson, a tab, "
    "a button or an exercise."
)


def _key_label(binding) -> str:
    return binding.key_display or binding.key.replace("ctrl+", "ctrl+")


EXTRA = [
    ("ctrl+p", "command palette: search lessons and commands"),
    ("tab", "next control (shift+tab: previous)"),
    ("enter", "open the highlighted lesson, press a button"),
]


def help_rows() -> list[tuple[str, list[tuple[str, str]]]]:
    """(section, [(key, what it does)]) from the binding tables."""
    sections = []
    for title, group in bindings.SECTIONS:
        keys: dict[str, list[str]] = {}
        for binding in group:
            keys.setdefault(binding.action, []).append(_key_label(binding))
        rows = [(" ".join(labels), bindings.DESCRIPTIONS.get(action, action))
                for action, labels in keys.items()]
        sections.append((title, rows))
    sections.append(("Also", EXTRA))
    return sections


def help_table() -> Group:
    parts = []
    for number, (title, rows) in enumerate(help_rows()):
        parts.append(Text(("\n" if number else "") + title, style="bold underline"))
        table = Table.grid(padding=(0, 2))
        table.add_column(style="bold", no_wrap=True, min_width=8)
        table.add_column()
        for key, text in rows:
            table.add_row(key, text)
        parts.append(table)
    return Group(*parts)


class HelpScreen(ModalScreen[None]):
    """Keys and what they do."""

    BINDINGS = bindings.HELP

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-box") as box:
            box.border_title = "Help  (esc to close)"
            state = getattr(self.app, "state", None)
            where = f"\n\nYour workspace: {state.workspace}" if state is not None else ""
            yield Static(INTRO + where, id="help-intro")
            yield Static(help_table(), id="help-keys")

    def action_dismiss(self) -> None:  # type: ignore[override]
        self.dismiss(None)

    def on_click(self, event) -> None:
        # a click outside the box closes the help
        if event.widget is self:
            self.dismiss(None)
