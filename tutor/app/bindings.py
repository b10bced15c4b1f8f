"""Every key binding of the app, declared once.

The screens and widgets take their BINDINGS from here, and the help screen lists the
same tables, so a key shown in the help is always the key that works.
"""
from __future__ import annotations

from textual.binding import Binding

# App-wide (active everywhere, also inside inputs where `priority` says so).
APP = [
    Binding("ctrl+q", "quit", "Quit", priority=True),
    Binding("question_mark", "help", "Help", key_display="?"),
    Binding("f1", "help", "Help", show=False),
]

# The main screen: lessons, tabs and the exercise actions.
MAIN = [
    Binding("1", "tab('lesson')", "Lesson", show=False),
    Binding("2", "tab('play')", "Play", show=False),
    Binding("3", "tab('exercises')", "Exercises", show=False),
    Binding("right_square_bracket", "next_lesson", "Next lesson", key_display="]", show=False),
    Binding("left_square_bracket", "previous_lesson", "Previous lesson", key_display="[", show=False),
    Binding("ctrl+b", "toggle_sidebar", "Lessons list", show=False),
    Binding("c", "check", "Check"),
    Binding("w", "toggle_watch", "Watch"),
    Binding("h", "hint", "Hint"),
    Binding("e", "edit", "Edit"),
    Binding("r", "reset", "Reset"),
    Binding("o", "solution", "Solution", show=False),
]

# Every playground: escape leaves a text box, so the keys below and 1/2/3 work again.
PLAYGROUND = [
    Binding("escape", "leave_input", "Leave the box", show=False),
]

# Playgrounds that step through something (backprop, perceptron, RNN).
STEPPER = PLAYGROUND + [
    Binding("s", "step", "Step"),
    Binding("b", "back", "Back", show=False),     # on the buttons: Back (b), Restart (0)
    Binding("0", "restart", "Restart", show=False),
]

# The in-app editor (a browser has no $EDITOR; a terminal without one gets it too).
EDITOR = [
    Binding("ctrl+s", "save", "Save", priority=True),
    Binding("escape", "close", "Close", priority=True),
]

# Modal dialogs.
CONFIRM = [
    Binding("y", "answer(True)", "Yes"),
    Binding("n", "answer(False)", "No"),
    Binding("escape", "answer(False)", "Cancel"),
]
HELP = [
    Binding("escape", "dismiss", "Close"),
    Binding("q", "dismiss", "Close", show=False),
    Binding("question_mark", "dismiss", "Close", show=False),
]

# What the help screen shows, section by section.
SECTIONS = [
    ("Everywhere", APP),
    ("Lessons and exercises", MAIN),
    ("Playgrounds (step-by-step ones too)", STEPPER),
    ("The editor (in a browser, or without $EDITOR)", EDITOR),
]

DESCRIPTIONS = {
    "quit": "quit the tutor (your progress is saved)",
    "help": "this help",
    "tab('lesson')": "show the lesson text",
    "tab('play')": "show the lesson's playground",
    "tab('exercises')": "show the lesson's exercises",
    "next_lesson": "next lesson",
    "previous_lesson": "previous lesson",
    "toggle_sidebar": "hide or show the list of lessons",
    "check": "check this lesson's exercises with the grader",
    "toggle_watch": "watch mode: check again whenever you save a file",
    "hint": "reveal the next hint for the selected exercise",
    "edit": "edit the selected exercise ($EDITOR, or the editor in the app), then check it",
    "save": "save the file (it is checked when you close the editor)",
    "close": "close the editor (asks first if there are unsaved changes)",
    "reset": "put the selected exercise back to its stub (keeps a backup)",
    "solution": "open the course's solution beside yours (once solved; before, after every hint)",
    "leave_input": "leave a text box (then 1, 2, 3 and s work again)",
    "step": "one step forward",
    "back": "one step back",
    "restart": "back to the start",
}
