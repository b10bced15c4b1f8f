"""The app's state, apart from the widgets: which workspace, which lesson, what the last
checks said, which hints are shown, whether watch mode is on.

No Textual here, and nothing heavy at import time: the manifest (NumPy), the engine and
torch are imported inside the methods that need them, which the app calls from worker
threads. The workspace itself (creation, progress.json, hints, reset with backup) is
tutor.workspace's job; this class only calls it.

What is the app's own (the last lesson open, watch mode) is kept next to the engine's
progress, in WORKSPACE/.tutor/app.json.
"""
from __future__ import annotations

import json
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from tutor import marks
from tutor.files import atomic_write
from tutor.lessons import LESSONS, lesson_ids

if TYPE_CHECKING:  # pragma: no cover
    from tutor.engine.results import ExerciseResult
    from tutor.manifest import Exercise

APP_FILE = "app.json"
STATE_DIR = ".tutor"


@dataclass(frozen=True)
class ExerciseRow:
    """One line of the exercise panel, as plain data."""

    id: str
    mark: marks.Mark   # PASSED, FAILED (wrong or error), NOT_RUN (not checked yet, or the stub)
    score: str         # "2/2", "0/3", "–"
    status: str        # the result's status, or "unchecked"
    message: str

    @property
    def symbol(self) -> str:
        return self.mark.symbol


def symbol_for(result: "ExerciseResult | None") -> str:
    return marks.for_result(result).symbol


def score_text(result: "ExerciseResult | None", points: float) -> str:
    if result is None:
        return f"–/{points:g}"
    return f"{round(result.score, 2):g}/{result.max_score:g}"   # scores are unrounded; shown to 2 places


class TutorState:
    """Everything the app knows that is not a widget."""

    def __init__(self, workspace: Path | str | None = None) -> None:
        from tutor.paths import default_workspace

        self.workspace = Path(workspace).expanduser() if workspace else default_workspace()
        self.created = False
        self.lesson_id = LESSONS[0].id
        self.watch = False
        self.results: dict[str, ExerciseResult] = {}
        self._mtimes: dict[str, float] = {}
        self._lock = threading.Lock()            # guards self.results
        self._progress_lock = threading.Lock()   # one writer of progress.json at a time
        self.notices: list[str] = []   # things tutor.workspace wants the learner to know

    # -- the workspace ---------------------------------------------------------------
    def open(self) -> bool:
        """Create the workspace when missing (from the pristine exercises) and restore the
        app's own state. Returns True when the workspace was created just now."""
        from tutor.workspace import ensure_workspace

        self.workspace, self.created = ensure_workspace(self.workspace)
        self.workspace = Path(self.workspace)
        saved = self._read_app_file()
        lesson_id = saved.get("lesson")
        if lesson_id in lesson_ids():
            self.lesson_id = lesson_id
        self.watch = bool(saved.get("watch", False))
        self._mtimes = self.scan_mtimes()
        return self.created

    def restore_results(self) -> None:
        """The results of the last checks, from the workspace's progress.json (kept by
        tutor.workspace): status, score and diagnosis; the details come with the next check."""
        from tutor import workspace as ws
        from tutor.engine.results import DIAGNOSES, ExerciseResult

        progress, notice = ws.read_progress(self.workspace)
        if notice:
            self.notices.append(notice)
        restored = {}
        for exercise_id, entry in progress["exercises"].items():
            status = entry.get("status")
            if not status:
                continue
            diagnosis = entry.get("diagnosis") or "mismatch"
            what = DIAGNOSES.get(diagnosis, diagnosis)
            restored[exercise_id] = ExerciseResult(
                exercise=exercise_id, score=float(entry.get("score", 0.0)),
                max_score=float(entry.get("max_score", 0.0)), passed=status == "passed",
                message=f"Last time: {what}. Press c to check again for the details.",
                status=status, diagnosis=diagnosis)
        with self._lock:
            for exercise_id, result in restored.items():
                self.results.setdefault(exercise_id, result)

    def save(self) -> None:
        """Keep the app's own state (lesson open, watch mode) for the next start."""
        folder = self.workspace / STATE_DIR
        try:
            folder.mkdir(parents=True, exist_ok=True)
            state = {"lesson": self.lesson_id, "watch": self.watch}
            atomic_write(folder / APP_FILE, json.dumps(state, indent=2) + "\n")
        except OSError:
            pass

    def _read_app_file(self) -> dict:
        try:
            data = json.loads((self.workspace / STATE_DIR / APP_FILE).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}

    # -- lessons and exercises -------------------------------------------------------
    def lesson_index(self, lesson_id: str | None = None) -> int:
        return lesson_ids().index(lesson_id or self.lesson_id)

    def exercises(self, lesson_id: str | None = None) -> list["Exercise"]:
        from tutor.lessons import exercises_for

        return exercises_for(lesson_id or self.lesson_id)

    def rows(self, lesson_id: str | None = None) -> list[ExerciseRow]:
        rows = []
        with self._lock:
            for exercise in self.exercises(lesson_id):
                result = self.results.get(exercise.id)
                rows.append(ExerciseRow(
                    id=exercise.id,
                    mark=marks.for_result(result),
                    score=score_text(result, exercise.points),
                    status=result.status if result else "unchecked",
                    message=result.message if result else "not checked yet: press c to check",
                ))
        return rows

    def lesson_progress(self) -> dict[str, tuple[int, int]]:
        """For the lesson list: lesson id -> (exercises passed, exercises)."""
        progress = {}
        with self._lock:
            for lesson in LESSONS:
                exercises = lesson.exercises()
                passed = sum(1 for e in exercises
                             if (r := self.results.get(e.id)) is not None and r.passed)
                progress[lesson.id] = (passed, len(exercises))
        return progress

    def result(self, exercise_id: str) -> "ExerciseResult | None":
        with self._lock:
            return self.results.get(exercise_id)

    def module_file(self, exercise_id: str) -> Path:
        return self.workspace / f"{exercise_id.split('.')[0]}.py"

    # -- checking (called from worker threads) ---------------------------------------
    def selectors(self, lesson_id: str | None = None) -> list[str]:
        """What to check for a lesson: each of its modules (one grader run per module)."""
        modules: list[str] = []
        for exercise in self.exercises(lesson_id):
            if exercise.module not in modules:
                modules.append(exercise.module)
        return modules

    def check(self, selectors: list[str], timeout: float = 10.0) -> list["ExerciseResult"]:
        """Run the real grader on the workspace; record and return the results."""
        from tutor.engine import check_workspace

        results: list[ExerciseResult] = []
        for selector in selectors:
            results.extend(check_workspace(self.workspace, selector, timeout=timeout))
        self.record(results)
        return results

    def record(self, results: list["ExerciseResult"]) -> None:
        with self._lock:
            for result in results:
                self.results[result.exercise] = result
        from tutor import workspace as ws

        try:
            with self._progress_lock:
                notice = ws.record_results(self.workspace, results)
        except OSError as exc:
            notice = f"Your progress could not be saved: {exc}"
        if notice:
            self.notices.append(notice)

    # -- watch mode ------------------------------------------------------------------
    def scan_mtimes(self) -> dict[str, float]:
        mtimes: dict[str, float] = {}
        try:
            for path in self.workspace.glob("*.py"):
                try:
                    mtimes[path.stem] = path.stat().st_mtime_ns
                except OSError:
                    pass
        except OSError:
            pass
        return mtimes

    def changed_modules(self) -> list[str]:
        """Modules whose file changed (or appeared) since the last call."""
        now = self.scan_mtimes()
        changed = [name for name, mtime in now.items() if self._mtimes.get(name) != mtime]
        self._mtimes = now
        return sorted(changed)

    # -- hints and reset (tutor.workspace does the work) ------------------------------
    def hints_shown(self, exercise_id: str) -> list[str]:
        from tutor import workspace as ws
        from tutor.manifest import by_id

        count = ws.hints_revealed(self.workspace, exercise_id)
        return list(by_id(exercise_id).hints[:count])

    def hints_total(self, exercise_id: str) -> int:
        from tutor.manifest import by_id

        return len(by_id(exercise_id).hints)

    def reveal_hint(self, exercise_id: str) -> tuple[str | None, list[str]]:
        """Reveal one more hint: (the new hint, or None when all were shown; all shown)."""
        from tutor import workspace as ws

        with self._progress_lock:
            return ws.reveal_hint(self.workspace, exercise_id)

    def reset(self, exercise_id: str) -> Path | None:
        """Put the exercise back to its stub (tutor.workspace keeps a backup); returns the
        backup's path, or None when the module's file was missing (nothing to keep). Raises tutor.workspace.ResetError with a message for the learner."""
        from tutor import workspace as ws

        with self._progress_lock:
            backup = ws.reset_exercise(self.workspace, exercise_id)
        with self._lock:
            self.results.pop(exercise_id, None)
        self._mtimes = self.scan_mtimes()
        return backup
