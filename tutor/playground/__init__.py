"""Playground computations: small, pure functions the terminal app turns into interactive
widgets (and the notebooks and tests can call directly).

Every function returns plain data (frozen dataclasses of floats, tuples, lists and NumPy
arrays, or strings); nothing here imports textual. torch is imported lazily, inside the
functions, because the numbers are computed live by the PyTorch reference
(``tutor.reference``) or by autograd: the app calls these from a worker thread.

Which lesson uses which module is declared in the lesson registry
(``tutor.lessons.registry``, each lesson's ``computations``). Modules are named after their
lesson, except three whose names the self-study notebooks import (renaming them would break
the notebooks learners already have): ``vanishing`` beside ``activations``, ``triplet`` beside
``losses``, and ``autoencoder`` for the lesson "unsupervised".

- ``perceptron``: gate_data, perceptron_steps, converged_epoch, errors_per_epoch,
  boundary, render_gate
- ``backprop``: xyz_graph
- ``training``: train_two_layer
- ``activations``: activation_curves, ACTIVATION_NAMES, ANALYTIC
- ``vanishing``: gradient_norms, init_weights
- ``parameters``: count_dense, vgg16_layers, vgg16_total, conv_params, human_bytes, PRESETS
- ``rnn``: rnn_worked_example
- ``losses``: softmax_stability
- ``triplet``: triplet_demo
- ``regularization``: dropout_demo, penalties
- ``cnn``: DIGIT_3, KERNELS, apply_kernel, max_pool, output_size, render_shades
- ``momentum``: descent_paths, ravine_cost
- ``batchnorm``: batchnorm_steps, EXAMPLE_BATCH
- ``practice``: schedules, batch_noise, shallow_vs_deep
- ``deeper``: residual_vs_plain, transfer
- ``autoencoder``: digit_codes
- ``capstone``: held_out_accuracy, train_in_sandbox
"""
