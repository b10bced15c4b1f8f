"""tutor/app/bindings.py: every key is declared once, does something, and is documented."""
from __future__ import annotations

import re

from tutor.app import bindings
from tutor.app.app import TutorApp
from tutor.app.screens.confirm import ConfirmScreen
from tutor.app.screens.help import HelpScreen
from tutor.app.screens.main import MainScreen
from tutor.app.widgets.playground import Playground, StepperPlayground

OWNERS = {
    "APP": TutorApp, "MAIN": MainScreen, "PLAYGROUND": Playground, "STEPPER": StepperPlayground,
    "CONFIRM": ConfirmScreen, "HELP": HelpScreen,
}


def test_every_class_takes_its_bindings_from_the_tables():
    for table, owner in OWNERS.items():
        assert owner.BINDINGS is getattr(bindings, table), owner


def test_every_binding_names_an_action_that_exists():
    for table, owner in OWNERS.items():
        for binding in getattr(bindings, table):
            name = re.match(r"\w+", binding.action).group(0)
            assert hasattr(owner, f"action_{name}"), (table, binding.action)


def test_no_key_is_bound_twice_in_one_table():
    for table in OWNERS:
        keys = [b.key for b in getattr(bindings, table)]
        assert len(keys) == len(set(keys)), table


def test_the_help_describes_every_key_it_lists():
    for _title, group in bindings.SECTIONS:
        for binding in group:
            assert binding.action in bindings.DESCRIPTIONS, binding.action
