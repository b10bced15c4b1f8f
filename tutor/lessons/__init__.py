"""The lessons: one Markdown file per topic, in syllabus order (filled in by the lessons work)."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Lesson:
    id: str
    title: str


LESSONS: list[Lesson] = [
    Lesson("perceptron", "The perceptron and the sigmoid neuron"),
    Lesson("backprop", "Backpropagation on a graph: f = (x + y)·z"),
    Lesson("training", "Training a two-layer net by gradient descent"),
    Lesson("activations", "Activations, initialisation and the vanishing gradient"),
    Lesson("parameters", "Counting parameters"),
    Lesson("rnn", "Recurrent networks: the worked example"),
    Lesson("losses", "Losses: squared error and cross-entropy"),
    Lesson("regularization", "Regularisation and dropout"),
    Lesson("cnn", "Convolution and pooling"),
    Lesson("momentum", "Gradient descent with momentum"),
    Lesson("batchnorm", "Batch normalisation"),
]
