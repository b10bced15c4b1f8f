"""The lessons: one Markdown file per lesson id, terminal-friendly math, generated exercise
lists, the seeds' slips corrected, and a loader that needs neither textual nor torch."""
from __future__ import annotations

import re
import subprocess
import sys
from importlib import resources

import pytest

from tutor import lessons
from tutor.lessons import LESSONS, exercises_for, introduction, lesson_text, source_text
from tutor.manifest import EXERCISES

IDS = [lesson.id for lesson in LESSONS]
ALL_TEXT = "\n".join(lesson_text(i) for i in IDS)


def test_lesson_ids_are_the_syllabus():
    assert IDS == ["perceptron", "backprop", "training", "activations", "parameters", "rnn",
                   "losses", "regularization", "cnn", "momentum", "batchnorm",
                   "practice", "deeper", "unsupervised", "capstone"]
    assert len(set(IDS)) == len(IDS)


@pytest.mark.parametrize("lesson_id", IDS)
def test_every_lesson_has_a_markdown_file(lesson_id):
    path = resources.files("tutor.lessons").joinpath(f"{lesson_id}.md")
    assert path.is_file()
    assert source_text(lesson_id) == path.read_text(encoding="utf-8")


@pytest.mark.parametrize("lesson_id", IDS)
def test_title_matches_the_lesson_list(lesson_id):
    first = source_text(lesson_id).splitlines()[0]
    assert first == f"# {lessons.lesson(lesson_id).title}"


@pytest.mark.parametrize("lesson_id", IDS)
def test_no_latex(lesson_id):
    text = lesson_text(lesson_id)
    assert "$" not in text
    for command in ("\\frac", "\\sigma", "\\sum", "\\partial", "\\sqrt", "\\cdot", "\\begin"):
        assert command not in text
    assert not re.search(r"\\[A-Za-z]+", text), "looks like a LaTeX command"


@pytest.mark.parametrize("lesson_id", IDS)
def test_substantive_and_structured(lesson_id):
    text = source_text(lesson_id)
    words = len(text.split())
    assert 400 <= words <= 1200, words
    assert "\n## Try it: " in text
    assert f"\n## Try it: {lessons.lesson(lesson_id).playground}\n" in text
    assert "\n## Slips in the slides\n" in text
    # The exercise list is generated, never written into the file.
    assert "## Exercises" not in text


@pytest.mark.parametrize("lesson_id", IDS)
def test_lesson_text_ends_with_its_exercises(lesson_id):
    text = lesson_text(lesson_id)
    expected = [e for e in EXERCISES if e.lesson == lesson_id]
    assert exercises_for(lesson_id) == expected
    head, sep, tail = text.rpartition("\n## Exercises\n")
    assert sep, "no generated Exercises section"
    assert "\n## " not in tail, "the exercises must be the last section"
    for exercise in expected:
        assert f"`{exercise.id}`" in tail
        unit = "point" if exercise.points == 1 else "points"
        assert f"({exercise.points} {unit})" in tail
    assert head.startswith(source_text(lesson_id).rstrip())


def test_every_exercise_belongs_to_a_lesson():
    for exercise in EXERCISES:
        assert exercise.lesson in IDS, exercise.id
        assert f"`{exercise.id}`" in lesson_text(exercise.lesson)


def test_exercise_list_follows_the_manifest(monkeypatch):
    from tutor import manifest

    fake = manifest.Exercise(id="perceptron.made_up", lesson="perceptron", kind="function",
                             points=7, hints=("a", "b"))
    monkeypatch.setattr(manifest, "EXERCISES", [*manifest.EXERCISES, fake])
    text = lesson_text("perceptron")
    assert "`perceptron.made_up` (7 points)" in text
    assert "perceptron.made_up" not in lesson_text("backprop")


@pytest.mark.parametrize("lesson_id", IDS)
def test_introduction_is_the_first_section(lesson_id):
    intro = introduction(lesson_id)
    assert intro.startswith(f"# {lessons.lesson(lesson_id).title}\n")
    assert "\n## " not in intro
    assert len(intro.split()) >= 40
    assert source_text(lesson_id).startswith(intro)


def test_unknown_lesson():
    with pytest.raises(KeyError):
        lesson_text("no-such-lesson")
    with pytest.raises(KeyError):
        exercises_for("no-such-lesson")


# Every slip in shared/seeds/README.md is corrected by some lesson.
def test_slip_rnn_one_hot_has_four_entries():
    text = source_text("rnn")
    assert "(1, 0, 0, 0)" in text
    assert "(1, 0, 0)" in text  # the slip is named, not silently fixed
    for value in ("(0.6, 0.2, 0.9)", "(0.54, 0.20, 0.72)", "(0.32, 0.21, 0.24, 0.22)"):
        assert value in text


def test_slip_image_parameter_count():
    text = source_text("parameters")
    assert "30,011,010" in text
    assert "120 MB" in text and "240 MB" in text
    assert "3 × 10⁸" in text and "2.4 GB" in text  # named as wrong


def test_slip_step_threshold():
    text = source_text("perceptron")
    assert "z > 0" in text and "z ≥ 0" in text and "y > 0" in text


def test_slip_linear_neuron():
    text = source_text("perceptron")
    assert "y = β₀ + ∑ᵢ xᵢβᵢ" in text
    assert "∑ X − i βᵢ" in text  # the garbled form is quoted as the slip


@pytest.mark.parametrize("phrase", [
    "q = x + y = −2 + 5 = 3", "f = q · z = 3 · (−4) = −12", "∂f/∂q = z", "∂f/∂z = q = 3",
    "σ′(z) = σ(z)(1 − σ(z))", "≤ 1/4", "√(2 / (n_in + n_out))", "[i = y]",
    "(H − k + 2p) / s + 1", "v′ = μv − η∇C", "w′ = w + v′", "1/(1 − p)",
    "138,357,544", "951", "25", "√(σ² + ε)",
])
def test_lecture_facts_are_present(phrase):
    assert phrase in ALL_TEXT


def test_import_needs_neither_textual_nor_torch():
    code = (
        "import sys, tutor.lessons as l\n"
        "[l.lesson_text(x.id) for x in l.LESSONS]\n"
        "[l.introduction(x.id) for x in l.LESSONS]\n"
        "bad = [m for m in ('textual', 'torch') if m in sys.modules]\n"
        "assert not bad, bad\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_new_lessons_name_the_decks_facts():
    practice = lesson_text("practice")
    assert "40" in practice and "30" in practice and "4–8–1" in practice and "4–4–2–2–1" in practice
    assert "⌊epoch / every⌋" in practice and "e^(−k · epoch)" in practice
    deeper = lesson_text("deeper")
    assert "out = x + F(x)" in deeper and "layer_gradient_norms" in deeper and "Freeze" in deeper
    assert "bottleneck" in lesson_text("unsupervised") and "PCA" in lesson_text("unsupervised")
    assert "max(0, dᵢ)" in lesson_text("losses") and "sum over the N triplets" in lesson_text("losses")
    assert "from layers import affine_forward" in lesson_text("capstone")
