"""tutor/lessons/registry.py: every lesson declared once, under one name: its text, its
exercises, its playground computations and its widgets, and nothing the registry names is
missing."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tutor.lessons.registry import LESSONS, lesson, lesson_ids
from tutor.manifest import EXERCISES

IDS = lesson_ids()
# The one lesson whose computation keeps an older module name: the self-study notebooks
# learners already wrote import tutor.playground.autoencoder.
COMPUTATION_NAMED_OTHERWISE = {"unsupervised": "tutor.playground.autoencoder"}


def loaded_after_importing(modules: list[str]) -> set[str]:
    """sys.modules after importing these modules in a fresh interpreter."""
    code = ("import importlib, json, sys\n"
            f"for name in {modules!r}:\n"
            "    importlib.import_module(name)\n"
            "print(json.dumps(sorted(sys.modules)))\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return set(json.loads(done.stdout.splitlines()[-1]))


def test_ids_are_unique_and_in_syllabus_order():
    assert len(set(IDS)) == len(IDS) == len(LESSONS)
    assert [lesson(i).id for i in IDS] == IDS
    with pytest.raises(KeyError):
        lesson("no-such-lesson")


@pytest.mark.parametrize("lesson_id", IDS)
def test_every_lesson_has_its_text(lesson_id):
    entry = lesson(lesson_id)
    assert entry.text_file.name == f"{lesson_id}.md" and entry.text_file.is_file()
    text = entry.text_file.read_text(encoding="utf-8")
    assert text.splitlines()[0] == f"# {entry.title}"
    assert f"\n## Try it: {entry.playground}\n" in text


@pytest.mark.parametrize("lesson_id", IDS)
def test_every_lesson_has_a_computation_named_after_it(lesson_id):
    computations = lesson(lesson_id).computations
    assert computations and all(m.startswith("tutor.playground.") for m in computations)
    expected = COMPUTATION_NAMED_OTHERWISE.get(lesson_id, f"tutor.playground.{lesson_id}")
    assert computations[0] == expected


def test_the_computations_import_without_textual_or_torch():
    modules = sorted({module for entry in LESSONS for module in entry.computations})
    loaded = loaded_after_importing(modules)
    assert set(modules) <= loaded
    assert not {m for m in loaded if m.split(".")[0] in ("textual", "torch")}


@pytest.mark.parametrize("lesson_id", IDS)
def test_every_widget_resolves_to_a_playground_in_the_lessons_module(lesson_id):
    from tutor.app.widgets.play_area import widget_class
    from tutor.app.widgets.playground import Playground

    widgets = lesson(lesson_id).widgets
    assert widgets
    for path in widgets:
        assert path.startswith(f"tutor.app.widgets.{lesson_id}:"), path
        cls = widget_class(path)
        assert issubclass(cls, Playground) and cls.__name__ == path.partition(":")[2]


def test_the_registry_imports_neither_textual_nor_torch_nor_the_widgets():
    loaded = loaded_after_importing(["tutor.lessons.registry"])
    assert not {m for m in loaded if m.split(".")[0] in ("textual", "torch")}
    assert not {m for m in loaded if m.startswith(("tutor.app", "tutor.playground."))}


def test_every_exercise_belongs_to_exactly_one_registered_lesson():
    for exercise in EXERCISES:
        owners = [entry.id for entry in LESSONS if exercise in entry.exercises()]
        assert owners == [exercise.lesson], exercise.id
    assert sum(len(entry.exercises()) for entry in LESSONS) == len(EXERCISES)


def test_a_lessons_exercises_keep_manifest_order_and_can_come_from_a_selection():
    perceptron = lesson("perceptron")
    everything = perceptron.exercises()
    assert everything == [e for e in EXERCISES if e.lesson == "perceptron"] and everything
    chosen = [everything[-1], *[e for e in EXERCISES if e.lesson == "backprop"]]
    assert perceptron.exercises(among=chosen) == [everything[-1]]


def test_the_notebooks_plot_only_their_lessons_computations():
    from tutor.notebook.build import PLOTS

    assert set(PLOTS) <= set(IDS)
    for lesson_id, plots in PLOTS.items():
        for module, _markdown, code in plots:
            if module.startswith("tutor.playground."):
                assert module in lesson(lesson_id).computations, (lesson_id, module)
                assert f"from {module} import" in code
