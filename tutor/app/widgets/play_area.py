"""The Play tab: the playground widgets of the lesson open, as the lesson registry
(tutor.lessons.registry) names them."""
from __future__ import annotations

import importlib

from textual.containers import VerticalScroll
from textual.widgets import Static

from tutor.lessons import lesson


def widget_class(path: str) -> type:
    """The widget class an import path of the lesson registry names ("module:Class")."""
    module, _, name = path.partition(":")
    return getattr(importlib.import_module(module), name)


def widget_classes(lesson_id: str) -> list[type]:
    """The lesson's playground widgets, as the registry lists them, imported on first use."""
    return [widget_class(path) for path in lesson(lesson_id).widgets]


class PlayArea(VerticalScroll):
    """Swaps in the playgrounds of each lesson."""

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.lesson_id: str | None = None    # the lesson open
        self.mounted_for: str | None = None  # the lesson whose playgrounds are mounted

    def show(self, lesson_id: str, active: bool = True, focus: bool = False) -> None:
        """Open a lesson's playgrounds; while the Play tab is hidden (active False) they are
        only mounted when the tab is shown (activate), so nothing computes unseen."""
        self.lesson_id = lesson_id
        if active:
            self.activate(focus=focus)

    def activate(self, focus: bool = False) -> None:
        """Mount the lesson's playgrounds if they are not yet; with focus, the first one gets
        the focus once mounted (a widget being mounted cannot take it yet: keys would go
        nowhere, or into a text box)."""
        lesson_id = self.lesson_id
        if lesson_id is None or lesson_id == self.mounted_for:
            if focus:
                self.focus_first()
            return
        self.mounted_for = lesson_id
        self.remove_children()
        widgets = [cls() for cls in widget_classes(lesson_id)]
        if not widgets:
            widgets = [Static("This lesson has no playground: its exercises are the thing to "
                              "play with (press 3).", classes="play-none")]
        mounting = self.mount_all(widgets)
        self.scroll_home(animate=False)
        if focus:
            async def focus_when_mounted() -> None:
                await mounting
                self.call_after_refresh(self.focus_first)

            self.call_later(focus_when_mounted)

    def focus_first(self) -> None:
        """Focus the first playground (not a text box: digits still switch tabs)."""
        from tutor.app.widgets.playground import Playground

        for widget in self.query(Playground):
            self.screen.set_focus(widget, scroll_visible=False)   # at once, see focus_table
            return
        self.screen.set_focus(self, scroll_visible=False)
