"""Playground computations: small, pure functions the terminal app turns into interactive
widgets (and the notebooks and tests can call directly).

Every function returns plain data (frozen dataclasses of floats, tuples, lists and NumPy
arrays, or strings); nothing here imports textual. torch is imported lazily, inside the
functions, because the numbers are computed live by the PyTorch reference
(``tutor.reference``) or by autograd: the app calls these from a worker thread.

One module per playground, named after the lesson that introduces it:

- ``perceptron``: gate_data, perceptron_steps, converged_epoch, errors_per_epoch,
  boundary, render_gate (lesson "perceptron")
- ``backprop``: xyz_graph (lesson "backprop")
- ``training``: train_two_layer (lesson "training")
- ``activations``: activation_curves, ACTIVATION_NAMES, ANALYTIC (lesson "activations")
- ``vanishing``: gradient_norms, init_weights (lesson "activations")
- ``parameters``: count_dense, vgg16_layers, vgg16_total, conv_params, human_bytes, PRESETS
  (lesson "parameters")
- ``rnn``: rnn_worked_example (lesson "rnn")
- ``losses``: softmax_stability (lesson "losses")
- ``regularization``: dropout_demo, penalties (lesson "regularization")
- ``cnn``: DIGIT_3, KERNELS, apply_kernel, max_pool, output_size, render_shades (lesson "cnn")
- ``momentum``: descent_paths, ravine_cost (lesson "momentum")
- ``batchnorm``: batchnorm_steps, EXAMPLE_BATCH (lesson "batchnorm")
- ``triplet``: triplet_demo (lesson "losses", a second playground)
- ``practice``: schedules, batch_noise, shallow_vs_deep (lesson "practice")
- ``deeper``: residual_vs_plain, transfer (lesson "deeper")
- ``autoencoder``: digit_codes (lesson "unsupervised")
- ``capstone``: held_out_accuracy, train_in_sandbox (lesson "capstone")

``PLAYGROUNDS`` maps each lesson id to (module name, title shown after "Try it:"); the
activations lesson has a second module, ``activations``, and the losses lesson ``triplet``,
listed in ``EXTRA_MODULES``.
"""
from __future__ import annotations

PLAYGROUNDS: dict[str, tuple[str, str]] = {
    "perceptron": ("perceptron", "the perceptron playground"),
    "backprop": ("backprop", "the backprop playground"),
    "training": ("training", "the training playground"),
    "activations": ("vanishing", "the activations and vanishing-gradient playground"),
    "parameters": ("parameters", "the parameter counter"),
    "rnn": ("rnn", "the RNN playground"),
    "losses": ("losses", "the softmax playground"),
    "regularization": ("regularization", "the dropout playground"),
    "cnn": ("cnn", "the convolution playground"),
    "momentum": ("momentum", "the momentum playground"),
    "batchnorm": ("batchnorm", "the batch-norm playground"),
    "practice": ("practice", "the training-in-practice playground"),
    "deeper": ("deeper", "the residual and transfer playground"),
    "unsupervised": ("autoencoder", "the autoencoder playground"),
    "capstone": ("capstone", "the capstone trainer"),
}

EXTRA_MODULES: dict[str, tuple[str, ...]] = {"activations": ("activations",), "losses": ("triplet",)}

__all__ = ["EXTRA_MODULES", "PLAYGROUNDS"]
