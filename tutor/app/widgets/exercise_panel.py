"""The exercise panel: the lesson's exercises with their status, the diagnosis of the
selected one, its hints, and the actions (check, watch, hint, edit, reset).

Checks run the real grader (tutor.engine.check_workspace) in a worker thread, so the app
never freezes; watch mode polls the modification times of WORKSPACE/*.py every half
second with a Textual timer and checks again the modules that changed.
"""
from __future__ import annotations

import os
import shlex
import subprocess

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.widgets import Button, DataTable, Static
from textual.worker import get_current_worker

from tutor import marks
from tutor.app.state import TutorState

MAX_DETAIL_LINES = 12


def detail_lines(result) -> Table:
    """The result's details, in order: a case's line is drawn from its CaseResult (its mark in
    colour, then its text); the other lines (warnings, inputs, printed text, a traceback) as
    they are."""
    cases = {case.line(): case for case in result.cases}
    lines = Table.grid(padding=(0, 1))
    lines.add_column(no_wrap=True)
    lines.add_column()
    for line in result.details[:MAX_DETAIL_LINES]:
        case = cases.get(line)
        if case is None:
            lines.add_row("", Text(line, "dim"))
        else:
            mark = marks.for_case(case)
            lines.add_row(Text(mark.symbol, mark.colour), Text(case.text(), "dim"))
    if len(result.details) > MAX_DETAIL_LINES:
        lines.add_row("", Text(f"… {len(result.details) - MAX_DETAIL_LINES} more lines", "dim"))
    return lines


class ExercisePanel(Vertical):
    """One lesson's exercises; the same panel serves every lesson."""

    class ResultsChanged(Message):
        """Results came in (a check, a restore) or went (a reset): the screen updates the
        progress shown elsewhere."""

    def __init__(self, state: TutorState, **kwargs) -> None:
        super().__init__(**kwargs)
        self.state = state
        self.lesson_id = state.lesson_id
        self.loaded = False
        self.checking = False
        self._pending: set[str] = set()   # modules to check once the running check ends
        self._pending_reason = "watch"
        self._timer = None

    def compose(self) -> ComposeResult:
        with Horizontal(id="panel-buttons"):
            yield Button("Check", id="check", compact=True, tooltip="check this lesson (c)")
            yield Button("Watch", id="watch", compact=True, tooltip="check on every save (w)")
            yield Button("Hint", id="hint", compact=True, tooltip="reveal the next hint (h)")
            yield Button("Edit", id="edit", compact=True, tooltip="edit it, then check (e)")
            yield Button("Reset", id="reset", compact=True, tooltip="back to the stub (r)")
        yield Static("Loading the exercises…", id="panel-status")
        table: DataTable = DataTable(id="exercise-table", cursor_type="row", zebra_stripes=False)
        table.add_column("", key="symbol", width=1)
        table.add_column("exercise", key="exercise")
        table.add_column("score", key="score")
        yield table
        with VerticalScroll(id="detail"):
            yield Static("", id="detail-text")

    def on_mount(self) -> None:
        self._timer = self.set_interval(self.app.watch_interval, self.poll_files)
        self._show_watch()

    # -- filling in ------------------------------------------------------------------
    def engine_loaded(self) -> None:
        self.loaded = True
        self.show_notices()
        self.refresh_rows()
        self.post_message(self.ResultsChanged())

    def show_lesson(self, lesson_id: str) -> None:
        self.lesson_id = lesson_id
        if self.loaded:
            self.refresh_rows()

    def refresh_rows(self) -> None:
        table = self.query_one(DataTable)
        selected = self.selected_exercise()
        try:
            rows = self.state.rows(self.lesson_id)
        except Exception as exc:
            self._status(f"The exercises could not be loaded: {exc}")
            return
        table.clear()
        for row in rows:
            table.add_row(Text(row.mark.symbol, style=row.mark.style), row.id,
                          row.score, key=row.id)
        if rows:
            ids = [row.id for row in rows]
            table.move_cursor(row=ids.index(selected) if selected in ids else 0)
        self._summary(rows)
        self.show_detail()

    def _summary(self, rows) -> None:
        if self.checking:
            return
        if not rows:
            self._status("This lesson has no graded exercises: read it, then play.")
            return
        passed = sum(row.mark is marks.PASSED for row in rows)
        checked = sum(row.status != "unchecked" for row in rows)
        text = f"{passed}/{len(rows)} passed"
        if checked < len(rows):
            text += f" · {len(rows) - checked} not checked yet (c)"
        if self.state.watch:
            text += " · watching"
        self._status(text)

    def _status(self, text: str) -> None:
        self.query_one("#panel-status", Static).update(text)

    def focus_table(self) -> None:
        """At once (Widget.focus waits for the next idle moment): a key pressed right after
        the tab switch must reach the table."""
        self.screen.set_focus(self.query_one(DataTable))

    def selected_exercise(self) -> str | None:
        table = self.query_one(DataTable)
        if table.row_count == 0:
            return None
        try:
            key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key
        except Exception:
            return None
        return key.value

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self.show_detail()

    def show_detail(self) -> None:
        exercise_id = self.selected_exercise()
        detail = self.query_one("#detail-text", Static)
        if exercise_id is None:
            detail.update("")
            return
        parts: list = []
        head = Text()
        head.append(exercise_id, style="bold")
        head.append(f"  ({self.state.module_file(exercise_id).name})", style="dim")
        parts.append(head)
        result = self.state.result(exercise_id)
        if result is None:
            parts.append(Text("Not checked yet: press c to check."))
        else:
            parts.append(Text(result.message, style="green" if result.passed else "red"))
            if result.details:
                parts.append(detail_lines(result))
        try:
            hints = self.state.hints_shown(exercise_id)
            total = self.state.hints_total(exercise_id)
        except (KeyError, OSError):
            hints, total = [], 0
        for number, hint in enumerate(hints, 1):
            line = Text()
            line.append(f"Hint {number}: ", style="bold yellow")
            line.append(hint)
            parts.append(Text(""))
            parts.append(line)
        if total:
            left = total - len(hints)
            parts.append(Text(""))
            parts.append(Text(f"{left} more hint{'s' if left != 1 else ''} (h)" if left else
                              "No more hints.", style="dim"))
        detail.update(Group(*parts))

    # -- checking ----------------------------------------------------------------------
    def check_lesson(self) -> None:
        if not self.loaded:
            self.app.notify("The grader is still loading; checking as soon as it is ready.")
        selectors = self.state.selectors(self.lesson_id) if self.loaded else None
        self.run_check(selectors, reason="check")

    def run_check(self, selectors: list[str] | None, reason: str) -> None:
        if self.checking:
            self._pending.update(selectors or [])
            self._pending_reason = reason
            return
        self.checking = True
        self._status("Checking… (the grader runs your code in a separate process)")
        self.query_one("#check", Button).disabled = True
        self.run_worker(lambda: self._check_thread(selectors, reason), thread=True,
                        group="check", name="check", exit_on_error=False)

    def _check_thread(self, selectors: list[str] | None, reason: str) -> None:
        worker = get_current_worker()
        if selectors is None:
            selectors = self.state.selectors(self.lesson_id)
        try:
            results = self.state.check(selectors)
            error = None
        except Exception as exc:
            results, error = [], exc
        if not worker.is_cancelled:
            try:
                self.app.call_from_thread(self._checked, results, error, reason)
            except RuntimeError:  # the app closed while the grader ran
                pass

    def _checked(self, results, error, reason: str) -> None:
        self.checking = False
        self.query_one("#check", Button).disabled = False
        if not self.loaded:
            self.loaded = True
        if error is not None:
            self.app.notify(f"The check failed: {error}", severity="error", timeout=10)
        else:
            mine = {e.id for e in self.state.exercises(self.lesson_id)}
            shown = [r for r in results if r.exercise in mine] or results
            passed = sum(r.passed for r in shown)
            note = "Saved: checked again. " if reason == "watch" else ""
            severity = "information" if passed == len(shown) else "warning"
            self.app.notify(f"{note}{passed}/{len(shown)} passed", severity=severity, timeout=4)
        self.show_notices()
        self.refresh_rows()
        self.post_message(self.ResultsChanged())
        if self._pending:
            pending, self._pending = sorted(self._pending), set()
            self.run_check(pending, reason=self._pending_reason)

    def show_notices(self) -> None:
        while self.state.notices:
            self.app.notify(self.state.notices.pop(0), severity="warning", timeout=12)

    # -- watch mode --------------------------------------------------------------------
    def toggle_watch(self) -> None:
        self.state.watch = not self.state.watch
        self.state.changed_modules()  # start from what is on disk now
        self._show_watch()
        self.app.notify("Watch mode on: every save is checked." if self.state.watch
                        else "Watch mode off.", timeout=3)
        self.state.save()

    def _show_watch(self) -> None:
        button = self.query_one("#watch", Button)
        button.label = "Watching" if self.state.watch else "Watch"
        button.variant = "success" if self.state.watch else "default"
        button.refresh(layout=True)
        self.set_class(self.state.watch, "-watching")
        if self.loaded and not self.checking:
            self._summary(self.state.rows(self.lesson_id))

    def poll_files(self) -> None:
        """Timer: which workspace files changed since the last poll? Check those."""
        if not self.state.watch or not self.loaded:
            return
        changed = self.state.changed_modules()
        if not changed:
            return
        try:
            from tutor.paths import exercise_modules

            known = set(exercise_modules())
        except Exception:
            known = set(changed)
        modules = [m for m in changed if m in known]
        if modules:
            self.run_check(modules, reason="watch")

    # -- hints, edit, reset --------------------------------------------------------------
    def reveal_hint(self) -> None:
        exercise_id = self.selected_exercise()
        if exercise_id is None:
            self.app.notify("Choose an exercise first.")
            return
        try:
            new, shown = self.state.reveal_hint(exercise_id)
        except (KeyError, OSError) as exc:
            self.app.notify(f"No hint: {exc}", severity="warning")
            return
        if new is None:
            self.app.notify(f"All {len(shown)} hints are shown.", timeout=3)
        self.show_detail()
        self.query_one("#detail", VerticalScroll).scroll_end(animate=False)

    def edit_selected(self) -> None:
        exercise_id = self.selected_exercise()
        if exercise_id is None:
            self.app.notify("Choose an exercise first.")
            return
        editor = os.environ.get("VISUAL") or os.environ.get("EDITOR")
        if self.app.is_web or not editor:
            self.edit_in_app(exercise_id)
        else:
            self.edit_outside(exercise_id, editor)

    def edit_in_app(self, exercise_id: str) -> None:
        """Textual's code editor, in the app: a browser has no $EDITOR."""
        from tutor.app.screens.editor import EditorScreen

        path = self.state.module_file(exercise_id)
        try:
            screen = EditorScreen(path, function=exercise_id.split(".", 1)[-1])
        except OSError as exc:
            self.app.notify(f"Cannot open {path}: {exc.strerror or exc}", severity="error", timeout=8)
            return

        def closed(saved: bool | None) -> None:
            if saved:
                self.edited(exercise_id)

        self.app.push_screen(screen, closed)

    def edit_outside(self, exercise_id: str, editor: str) -> None:
        """$VISUAL or $EDITOR, with the app suspended while it runs."""
        path = self.state.module_file(exercise_id)
        command = shlex.split(editor) + [str(path)]
        from textual.app import SuspendNotSupported
        try:
            try:
                with self.app.suspend():
                    code = subprocess.call(command)
            except SuspendNotSupported:
                code = subprocess.call(command, stdin=subprocess.DEVNULL,
                                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        except OSError as exc:
            self.app.notify(f"Cannot start the editor {editor!r}: {exc}. Set $EDITOR, or unset it "
                            "to use the editor in the app.", severity="error", timeout=8)
            return
        self.app.refresh()
        if code != 0:
            self.app.notify(f"The editor exited with status {code}.", severity="warning")
        self.edited(exercise_id)

    def edited(self, exercise_id: str) -> None:
        self.state.changed_modules()  # the check below covers this save
        self.run_check([exercise_id.split(".")[0]], reason="edit")

    def reset_selected(self) -> None:
        exercise_id = self.selected_exercise()
        if exercise_id is None:
            self.app.notify("Choose an exercise first.")
            return
        from tutor.app.screens.confirm import ConfirmScreen

        def answered(yes: bool | None) -> None:
            if not yes:
                return
            try:
                backup = self.state.reset(exercise_id)
            except Exception as exc:
                self.app.notify(f"Reset failed: {exc}", severity="error", timeout=8)
                return
            where = f"\nYour version is kept in\n{self.app.path_lines(backup)}" if backup else ""
            self.app.notify(f"{exercise_id} is back to its stub.{where}", timeout=8)
            self.refresh_rows()
            self.post_message(self.ResultsChanged())

        module = self.state.module_file(exercise_id)
        consequence = (f"The function in {module.name} is replaced; your version is kept in a backup."
                       if module.exists() else
                       f"{module.name} is missing from your workspace: it is restored as it started.")
        self.app.push_screen(ConfirmScreen(f"Reset {exercise_id} to the stub it started as?\n\n"
                                           f"{consequence}"), answered)

    def open_solution(self) -> None:
        """The course's solution beside the learner's (tutor/solution_access.py decides when)."""
        from tutor.app.screens.solution_flow import open_solution

        open_solution(self.app, self.state.workspace, self.selected_exercise())

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        actions = {"check": self.check_lesson, "watch": self.toggle_watch,
                   "hint": self.reveal_hint, "edit": self.edit_selected,
                   "reset": self.reset_selected}
        action = actions.get(event.button.id or "")
        if action:
            action()
