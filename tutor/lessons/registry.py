"""The lesson registry: every lesson, in syllabus order, declared once under one name.

A lesson's entry is all the front ends need to know about it:

- ``id``: its one name. Its text is ``tutor/lessons/<id>.md``; its playground computations
  and widgets live in ``tutor/playground/<id>.py`` and ``tutor/app/widgets/<id>.py`` (a few
  computation modules keep older names, because the self-study notebooks learners already
  wrote import them: see ``computations``).
- ``title``: shown in the lesson list, the notebooks and ``tutor lessons``.
- ``playground``: the playground's name in the text's "## Try it: ..." heading.
- ``computations``: the ``tutor.playground`` modules behind its playgrounds (pure functions;
  torch is imported inside them, lazily).
- ``widgets``: the app's widgets as ``"module:Class"`` import paths. Strings, so that this
  registry imports neither Textual nor the widgets: the app resolves them when the Play tab
  first shows the lesson.
- its exercises: :meth:`Lesson.exercises`, the manifest's exercises whose ``lesson`` is this
  id (the manifest says which lesson an exercise belongs to, so the two cannot disagree).

This module imports neither textual nor torch.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from importlib.abc import Traversable

    from tutor.manifest import Exercise


@dataclass(frozen=True)
class Lesson:
    id: str
    title: str
    playground: str = ""                 # the name in its "## Try it: ..." heading
    computations: tuple[str, ...] = ()   # tutor.playground modules
    widgets: tuple[str, ...] = ()        # "tutor.app.widgets.<module>:<Class>", resolved by the app

    @property
    def text_file(self) -> Traversable:
        """The lesson's Markdown file, named after the lesson."""
        return resources.files("tutor.lessons").joinpath(f"{self.id}.md")

    def exercises(self, among: Iterable[Exercise] | None = None) -> list[Exercise]:
        """The lesson's exercises in manifest (syllabus) order: of the whole manifest, or of
        ``among`` (a selection of it, for example a course's)."""
        if among is None:
            from tutor.manifest import EXERCISES  # read at call time: tests swap the manifest

            among = EXERCISES
        return [exercise for exercise in among if exercise.lesson == self.id]


def _app(*widgets: str) -> tuple[str, ...]:
    return tuple(f"tutor.app.widgets.{widget}" for widget in widgets)


def _play(*modules: str) -> tuple[str, ...]:
    return tuple(f"tutor.playground.{module}" for module in modules)


LESSONS: list[Lesson] = [
    Lesson("perceptron", "The perceptron and the sigmoid neuron", "the perceptron playground",
           _play("perceptron"), _app("perceptron:PerceptronPlay")),
    Lesson("backprop", "Backpropagation on a graph: f = (x + y)·z", "the backprop playground",
           _play("backprop"), _app("backprop:BackpropGraph")),
    Lesson("training", "Training a two-layer net by gradient descent", "the training playground",
           _play("training"), _app("training:TrainingPlay")),
    Lesson("activations", "Activations, initialisation and the vanishing gradient",
           "the activations and vanishing-gradient playground",
           _play("activations", "vanishing"),
           _app("activations:ActivationPlot", "activations:VanishingGradients")),
    Lesson("parameters", "Counting parameters", "the parameter counter",
           _play("parameters"), _app("parameters:ParamCounter")),
    Lesson("rnn", "Recurrent networks: the worked example", "the RNN playground",
           _play("rnn"), _app("rnn:RnnStepper")),
    Lesson("losses", "Losses: squared error and cross-entropy", "the softmax playground",
           _play("losses", "triplet"), _app("losses:SoftmaxPlay", "losses:TripletPlay")),
    Lesson("regularization", "Regularisation and dropout", "the dropout playground",
           _play("regularization"), _app("regularization:DropoutPlay")),
    Lesson("cnn", "Convolution and pooling", "the convolution playground",
           _play("cnn"), _app("cnn:ConvolutionPlay")),
    Lesson("momentum", "Gradient descent with momentum", "the momentum playground",
           _play("momentum"), _app("momentum:MomentumPlay")),
    Lesson("batchnorm", "Batch normalisation", "the batch-norm playground",
           _play("batchnorm"), _app("batchnorm:BatchnormPlay")),
    Lesson("practice", "Training in practice: mini-batches, schedules and depth",
           "the training-in-practice playground", _play("practice"),
           _app("practice:SchedulesPlay", "practice:BatchNoisePlay", "practice:ShallowDeepPlay")),
    Lesson("deeper", "Deeper networks: residual connections and transfer learning",
           "the residual and transfer playground", _play("deeper"),
           _app("deeper:ResidualPlay", "deeper:TransferPlay")),
    Lesson("unsupervised", "Learning without labels: autoencoders", "the autoencoder playground",
           _play("autoencoder"), _app("unsupervised:AutoencoderPlay")),
    Lesson("capstone", "A network of your own", "the capstone trainer",
           _play("capstone"), _app("capstone:CapstonePlay")),
]


def lesson(lesson_id: str) -> Lesson:
    """The Lesson with this id; KeyError when there is none."""
    for item in LESSONS:
        if item.id == lesson_id:
            return item
    raise KeyError(lesson_id)


def lesson_ids() -> list[str]:
    """The lesson ids in syllabus order."""
    return [item.id for item in LESSONS]


__all__ = ["LESSONS", "Lesson", "lesson", "lesson_ids"]
