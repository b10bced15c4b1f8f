"""The main screen: the lesson list on the left, and for the lesson open three tabs:
the lesson text, its playground and its exercises."""
from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import Footer, Header, TabbedContent, TabPane

from tutor.app import bindings
from tutor.app.state import TutorState
from tutor.app.widgets.exercise_panel import ExercisePanel
from tutor.app.widgets.lesson_list import LessonList
from tutor.app.widgets.lesson_view import LessonView
from tutor.app.widgets.play_area import PlayArea
from tutor.lessons import LESSONS

TABS = ("lesson", "play", "exercises")


class MainScreen(Screen):
    """Lessons, playgrounds and exercises."""

    BINDINGS = bindings.MAIN

    def __init__(self, state: TutorState) -> None:
        super().__init__()
        self.state = state

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="body"):
            yield LessonList(self.state.lesson_id, id="sidebar")
            with TabbedContent(id="tabs", initial="lesson"):
                with TabPane("Lesson", id="lesson"):
                    yield LessonView(id="lesson-view")
                with TabPane("Play", id="play"):
                    yield PlayArea(id="play-area")
                with TabPane("Exercises", id="exercises"):
                    yield ExercisePanel(self.state, id="panel")
        yield Footer()

    def on_mount(self) -> None:
        self.show_lesson(self.state.lesson_id)
        self.query_one(LessonList).focus()

    # -- lessons ---------------------------------------------------------------------
    def show_lesson(self, lesson_id: str) -> None:
        self.state.lesson_id = lesson_id
        index = self.state.lesson_index(lesson_id)
        lesson = LESSONS[index]
        self.sub_title = f"{index + 1}. {lesson.title}"
        play = self.query_one(PlayArea)
        focused = self.focused
        # the playgrounds about to be replaced may hold the focus: hand it to the new ones
        # (else Textual passes it on to whatever comes next, a text box that eats digits)
        refocus = focused is not None and play in focused.ancestors_with_self
        self.query_one(LessonList).select_lesson(lesson_id)
        self.query_one(LessonView).show(lesson_id, self.app.engine_ready)
        play.show(lesson_id, self.query_one(TabbedContent).active == "play", focus=refocus)
        self.query_one(ExercisePanel).show_lesson(lesson_id)

    def on_lesson_list_chosen(self, message: LessonList.Chosen) -> None:
        if message.lesson_id != self.state.lesson_id:
            self.show_lesson(message.lesson_id)

    def on_tabbed_content_tab_activated(self, event: TabbedContent.TabActivated) -> None:
        if event.pane.id == "play":   # a click on the tab: the same as pressing 2
            self.query_one(PlayArea).activate(focus=True)

    def on_exercise_panel_results_changed(self, message: ExercisePanel.ResultsChanged) -> None:
        try:
            self.query_one(LessonList).show_progress(self.state.lesson_progress())
        except Exception:  # the manifest failed to load: the panel already says so
            pass

    def engine_loaded(self) -> None:
        """The manifest and the grader are loaded: fill in the exercises."""
        self.query_one(LessonView).show(self.state.lesson_id, True)
        self.query_one(ExercisePanel).engine_loaded()

    def action_next_lesson(self) -> None:
        index = self.state.lesson_index()
        if index + 1 < len(LESSONS):
            self.show_lesson(LESSONS[index + 1].id)

    def action_previous_lesson(self) -> None:
        index = self.state.lesson_index()
        if index > 0:
            self.show_lesson(LESSONS[index - 1].id)

    def action_toggle_sidebar(self) -> None:
        sidebar = self.query_one(LessonList)
        sidebar.display = not sidebar.display

    def action_tab(self, tab: str) -> None:
        self.query_one(TabbedContent).active = tab
        if tab == "play":
            self.query_one(PlayArea).activate(focus=True)
        elif tab == "exercises":
            self.query_one(ExercisePanel).focus_table()
        else:
            # at once, not on the next refresh: a key pressed right after must land here
            self.set_focus(self.query_one(LessonView))

    # -- the exercise actions (work from any tab) ----------------------------------------
    def _panel(self) -> ExercisePanel:
        return self.query_one(ExercisePanel)

    def action_check(self) -> None:
        self._panel().check_lesson()

    def action_toggle_watch(self) -> None:
        self._panel().toggle_watch()

    def action_hint(self) -> None:
        self.query_one(TabbedContent).active = "exercises"
        self._panel().reveal_hint()

    def action_edit(self) -> None:
        self._panel().edit_selected()

    def action_reset(self) -> None:
        self._panel().reset_selected()

    def action_solution(self) -> None:
        self._panel().open_solution()
