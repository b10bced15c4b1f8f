"""The base of every playground widget: read the controls, compute in a worker thread
(tutor.playground, which imports torch lazily), show the result on the main thread; and
two helpers the playgrounds share (numbers from text boxes, a plot's width)."""
from __future__ import annotations

from typing import Any

from textual.containers import Vertical
from textual.widgets import Input, Static
from textual.worker import get_current_worker

from tutor.app import bindings


def read_numbers(widget, fields) -> dict:
    """{name: float} from the Inputs with those ids; one clear message for a bad one."""
    values = {}
    for name, _ in fields:
        raw = widget.query_one(f"#{name}", Input).value.strip()
        try:
            values[name] = float(raw)
        except ValueError:
            raise ValueError(f"{name} must be a number, not {raw!r}") from None
    return values


def plot_width(widget, widest: int) -> int:
    """A line plot's width that fits the widget (the plot adds a 9-column axis), at most widest:
    a wider plot would wrap, its lines broken, at 80×24."""
    available = widget.content_size.width or widest + 9
    return max(10, min(widest, available - 9))


class Playground(Vertical, can_focus=True):
    """Subclasses define compose(), params() (main thread), compute(**params) (worker
    thread: the tutor.playground call) and show(data) (main thread)."""

    TITLE = "Playground"
    BINDINGS = bindings.PLAYGROUND

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.data: Any = None
        self.error: Exception | None = None
        self.computing = False
        self.border_title = self.TITLE

    def on_mount(self) -> None:
        self.recompute()

    def params(self) -> dict:
        return {}

    # Any control of a playground (a text box, a choice, a checkbox) recomputes it. A
    # subclass that reacts otherwise handles the event itself and calls
    # event.prevent_default(), which keeps Textual from also running this base handler.
    def on_input_changed(self, event) -> None:
        event.stop()
        self.recompute()

    on_select_changed = on_input_changed
    on_checkbox_changed = on_input_changed

    def action_leave_input(self) -> None:
        self.focus()

    def compute(self, **params) -> Any:  # pragma: no cover - abstract
        raise NotImplementedError

    def show(self, data: Any) -> None:  # pragma: no cover - abstract
        raise NotImplementedError

    def recompute(self) -> None:
        try:
            params = self.params()
        except ValueError as exc:
            self.show_error(str(exc))
            return
        self.computing = True
        if self.data is None:
            self.show_status("computing… (the first time, PyTorch is loading: a few seconds)")
        self.run_worker(lambda: self._compute(params), thread=True, exclusive=True,
                        group="playground", name=type(self).__name__, exit_on_error=False)

    def _compute(self, params: dict) -> None:
        worker = get_current_worker()
        try:
            data, error = self.compute(**params), None
        except Exception as exc:
            data, error = None, exc
        if not worker.is_cancelled:
            try:
                self.app.call_from_thread(self._apply, data, error)
            except RuntimeError:  # the app closed meanwhile
                pass

    def _apply(self, data: Any, error: Exception | None) -> None:
        self.computing = False
        self.error = error
        if error is not None:
            self.show_error(str(error))
            return
        self.data = data
        self.clear_error()
        self.show(data)

    def show_error(self, message: str) -> None:
        for widget in self.query(".play-error"):
            widget.update(f"⚠ {message}")
            widget.remove_class("-status")
            widget.display = True
            return
        self.notify(message, severity="warning")

    def show_status(self, message: str) -> None:
        for widget in self.query(".play-error"):
            widget.update(message)
            widget.add_class("-status")
            widget.display = True

    def clear_error(self) -> None:
        for widget in self.query(".play-error"):
            widget.display = False

    @staticmethod
    def error_line() -> Static:
        line = Static("", classes="play-error")
        line.display = False
        return line


class StepperPlayground(Playground):
    """A playground with steps (s forward, b back, 0 to the start)."""

    BINDINGS = bindings.STEPPER

    step = 0

    def steps_total(self) -> int:
        return 0

    def show_step(self) -> None:  # pragma: no cover - abstract
        raise NotImplementedError

    def action_step(self) -> None:
        if self.data is not None and self.step < self.steps_total():
            self.step += 1
            self.show_step()

    def action_back(self) -> None:
        if self.data is not None and self.step > 0:
            self.step -= 1
            self.show_step()

    def action_restart(self) -> None:
        self.step = 0
        if self.data is not None:
            self.show_step()

    def on_button_pressed(self, event) -> None:
        actions = {"step": self.action_step, "back": self.action_back,
                   "restart": self.action_restart}
        action = actions.get(event.button.id or "")
        if action:
            event.stop()
            action()
