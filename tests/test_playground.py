"""Playground computations: the lecture's numbers come out of the reference."""
from __future__ import annotations

import pathlib
import subprocess
import sys

import numpy as np
import pytest

from tutor import worked_examples as we
from tutor.lessons import LESSONS


def test_every_lesson_has_a_playground_module():
    import importlib

    for lesson in LESSONS:
        assert lesson.computations, lesson.id
        for module in lesson.computations:
            importlib.import_module(module)
        assert lesson.playground


def test_importing_the_playground_loads_neither_torch_nor_textual():
    import pkgutil

    import tutor.playground

    modules = sorted(m.name for m in pkgutil.iter_modules(tutor.playground.__path__))
    assert {module for lesson in LESSONS for module in lesson.computations} <= {
        f"tutor.playground.{module}" for module in modules}
    code = (
        "import sys, importlib\n"
        f"for m in {modules!r}: importlib.import_module('tutor.playground.' + m)\n"
        "bad = [m for m in ('textual', 'torch') if m in sys.modules]\n"
        "assert not bad, bad\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


# --- backprop ---------------------------------------------------------------------------

def test_xyz_lecture_values():
    from tutor.playground.backprop import xyz_graph

    g = xyz_graph(-2, 5, -4)
    values = {n.name: n.value for n in g.nodes}
    assert values == {"x": -2, "y": 5, "z": -4, "q": 3, "f": -12}
    assert g.f == -12 == we.XYZ_F
    assert (g.gradients["x"], g.gradients["y"], g.gradients["z"]) == (-4, -4, 3) == we.XYZ_GRADS
    assert g.gradients["q"] == -4
    assert [s.node for s in g.backward] == ["f", "q", "z", "x", "y"]
    rules = {s.node: s.rule for s in g.backward}
    assert rules["q"] == "∂f/∂q = z" and rules["z"] == "∂f/∂z = q"
    assert {s.node: s.gradient for s in g.backward} == {"f": 1, "q": -4, "z": 3, "x": -4, "y": -4}


def test_xyz_other_values():
    from tutor.playground.backprop import xyz_graph

    g = xyz_graph(1.5, 2.0, 3.0)
    assert g.f == pytest.approx(10.5)
    assert g.gradients == pytest.approx({"x": 3.0, "y": 3.0, "z": 3.5, "q": 3.0})


# --- perceptron -------------------------------------------------------------------------

def test_and_or_converge_xor_never_does():
    from tutor.playground.perceptron import converged_epoch, errors_per_epoch, perceptron_steps

    for gate in ("AND", "OR"):
        states = perceptron_steps(gate)
        assert converged_epoch(states) is not None, gate
        assert errors_per_epoch(states)[-1] == 0
    xor = perceptron_steps("XOR", epochs=20)
    assert converged_epoch(xor) is None
    errors = errors_per_epoch(xor)
    assert len(errors) == 20 and min(errors) > 0
    assert len(xor) == 20 * 4


def test_lesson_numbers_for_and_or():
    from tutor.playground.perceptron import converged_epoch, errors_per_epoch, perceptron_steps

    states = perceptron_steps("AND")
    assert converged_epoch(states) == 6
    assert errors_per_epoch(states) == [1, 3, 3, 2, 1, 0]
    assert states[-1].w == (2.0, 1.0) and states[-1].b == -2.0
    assert states[-1].boundary.text == "x₂ = -2·x₁ + 2"
    assert converged_epoch(perceptron_steps("OR")) == 4


@pytest.mark.parametrize("gate", ["AND", "OR", "XOR"])
def test_perceptron_steps_match_the_reference_training(gate):
    import torch

    from tutor.playground.perceptron import gate_data, perceptron_steps
    from tutor.reference.perceptron import perceptron_train

    states = perceptron_steps(gate, epochs=7, stop_when_settled=False)
    X, y = gate_data(gate)
    w, b = perceptron_train(torch.tensor(X), torch.tensor(y), lr=1.0, epochs=7)
    assert states[-1].w == tuple(w.tolist()) and states[-1].b == float(b)


def test_perceptron_states_are_consistent():
    from tutor.playground.perceptron import perceptron_steps, render_gate

    for s in perceptron_steps("OR"):
        assert s.error == s.target - s.prediction
        assert s.error in (-1.0, 0.0, 1.0)
    with pytest.raises(ValueError):
        perceptron_steps("NAND")
    picture = render_gate((1.0, 1.0), 0.0, "OR")
    assert len(picture.splitlines()) == 9 and "✗" not in picture


# --- activations and the vanishing gradient ---------------------------------------------

ANALYTIC = {
    "sigmoid": lambda x: (1 / (1 + np.exp(-x))) * (1 - 1 / (1 + np.exp(-x))),
    "tanh": lambda x: 1 - np.tanh(x) ** 2,
    "relu": lambda x: (x > 0).astype(float),
    "leaky_relu": lambda x: np.where(x > 0, 1.0, 0.01),
    "elu": lambda x: np.where(x > 0, 1.0, np.exp(x)),
}
VALUES = {
    "sigmoid": lambda x: 1 / (1 + np.exp(-x)),
    "tanh": np.tanh,
    "relu": lambda x: np.maximum(x, 0),
    "leaky_relu": lambda x: np.where(x > 0, x, 0.01 * x),
    "elu": lambda x: np.where(x >= 0, x, np.exp(x) - 1),
}


@pytest.mark.parametrize("name", list(ANALYTIC))
def test_activation_derivatives_match_the_formulas(name):
    from tutor.playground.activations import activation_curves

    xs = np.linspace(-5, 5, 101)
    xs = xs[np.abs(xs) > 1e-9]  # away from the kink
    curves = activation_curves(name, xs)
    np.testing.assert_allclose(curves.values, VALUES[name](xs), rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(curves.derivatives, ANALYTIC[name](xs), rtol=1e-10, atol=1e-12)


def test_sigmoid_derivative_peaks_at_a_quarter():
    from tutor.playground.activations import activation_curves

    curves = activation_curves("sigmoid")
    assert curves.max_derivative == pytest.approx(0.25)
    assert np.all(curves.derivatives <= 0.25)
    with pytest.raises(ValueError):
        activation_curves("softplus")


def test_sigmoid_gradient_vanishes_with_normal_init():
    from tutor.playground.vanishing import gradient_norms

    for seed in range(3):
        g = gradient_norms("sigmoid", "normal", depth=10, width=32, seed=seed)
        assert len(g.norms) == 10
        assert g.norms[0] < g.norms[-1] / 10, g.norms
        # and with Xavier the sigmoid loses its quarter per layer unopposed
        x = gradient_norms("sigmoid", "xavier", depth=10, width=32, seed=seed)
        assert x.norms[0] < x.norms[-1] / 1000, x.norms


def test_tanh_xavier_and_relu_keep_gradients_comparable():
    from tutor.playground.vanishing import gradient_norms

    for activation, init in (("tanh", "xavier"), ("relu", "xavier"), ("relu", "normal")):
        for seed in range(3):
            g = gradient_norms(activation, init, depth=8, seed=seed)
            assert 0.1 < g.first_over_last < 10, (activation, init, g.norms)


def test_gradient_norms_come_from_the_reference():
    import torch

    from tutor.playground.vanishing import gradient_norms, init_weights
    from tutor.reference.vanishing import layer_gradient_norms

    g = gradient_norms("tanh", "normal", depth=3, width=5, seed=7, batch=4)
    rng = np.random.default_rng(7)
    x = rng.standard_normal((4, 5))
    ws = init_weights("normal", 3, 5, rng)
    expected = layer_gradient_norms(torch.tensor(x), [torch.tensor(w) for w in ws], "tanh")
    np.testing.assert_allclose(g.norms, expected.numpy())
    with pytest.raises(ValueError):
        gradient_norms("softsign")
    with pytest.raises(ValueError):
        gradient_norms("relu", "uniform")


# --- parameter counting -----------------------------------------------------------------

def test_dense_counts_from_the_lectures():
    from tutor.playground.parameters import PRESETS, count_dense

    for sizes, total in we.DENSE_PARAMS.items():
        c = count_dense(sizes)
        assert c.total == total == sum(row.params for row in c.layers)
    assert count_dense([10, 2, 1]).total == 25
    assert count_dense([10, 25, 25, 1]).total == 951
    assert set(we.DENSE_PARAMS) <= set(PRESETS.values())


def test_image_example_memory():
    from tutor.playground.parameters import count_dense

    c = count_dense([30000, 1000, 10])
    assert c.total == 30_011_010
    assert c.bytes_float32 == 120_044_040 and c.bytes_float64 == 240_088_080
    assert c.human_float32 == "120.0 MB" and c.human_float64 == "240.1 MB"


def test_vgg16_table_sums_to_the_reference():
    from tutor.playground.parameters import vgg16_layers, vgg16_total

    rows = vgg16_layers()
    assert sum(r.params for r in rows) == 138_357_544 == vgg16_total() == we.VGG16_PARAMS
    assert sum(r.kind == "conv" for r in rows) == 13
    assert sum(r.kind == "dense" for r in rows) == 3
    assert sum(r.kind == "pool" for r in rows) == 5
    fc6 = next(r for r in rows if r.name == "fc6")
    assert fc6.params == 25088 * 4096 + 4096
    assert sum(r.params for r in vgg16_layers(10)) == vgg16_total(10)


def test_conv_params_ignore_image_size():
    from tutor.playground.parameters import conv_params, human_bytes

    assert conv_params(3, 32, 5) == 32 * 5 * 5 * 3 + 32 == 2432
    assert human_bytes(999) == "999 B" and human_bytes(2_400_000_000) == "2.4 GB"


# --- rnn --------------------------------------------------------------------------------

def test_rnn_worked_example():
    from tutor.playground.rnn import rnn_worked_example

    e = rnn_worked_example()
    assert e.x1.tolist() == [1.0, 0.0, 0.0, 0.0]
    np.testing.assert_allclose(e.a1, [0.6, 0.2, 0.9], atol=1e-12)
    assert np.round(e.h1, 2).tolist() == [0.54, 0.20, 0.72]
    assert np.round(e.y1, 2).tolist() == [0.32, 0.21, 0.24, 0.22]
    assert e.y1.sum() == pytest.approx(1.0)
    np.testing.assert_allclose(e.h1, np.tanh(e.a1))
    assert [s.name for s in e.steps] == ["x₁", "a₁", "h₁", "y₁"]


def test_rnn_rejects_the_three_entry_input():
    from tutor.playground.rnn import rnn_worked_example

    with pytest.raises(ValueError):
        rnn_worked_example(x1=[1, 0, 0])
    e = rnn_worked_example(x1=[0, 0, 1, 0])
    np.testing.assert_allclose(e.a1, we.RNN_WX[:, 2])


# --- convolution ------------------------------------------------------------------------

def test_kernels_and_shapes():
    from tutor.playground.cnn import DIGIT_3, KERNELS, apply_kernel, max_pool, output_size

    assert DIGIT_3.shape == (12, 12) and set(np.unique(DIGIT_3)) == {0.0, 1.0}
    np.testing.assert_array_equal(KERNELS["sharpen"], [[0, -1, 0], [-1, 5, -1], [0, -1, 0]])
    np.testing.assert_array_equal(KERNELS["edge"], [[0, 1, 0], [1, -4, 1], [0, 1, 0]])
    np.testing.assert_allclose(KERNELS["blur"] * 9, np.ones((3, 3)))
    for name in ("blur", "sharpen", "edge"):
        assert apply_kernel(DIGIT_3, name).shape == (10, 10)
    np.testing.assert_allclose(apply_kernel(DIGIT_3, "identity"), DIGIT_3[1:-1, 1:-1])
    assert max_pool(DIGIT_3, 2).shape == (6, 6)
    assert output_size(12, 3) == 10 and output_size(224, 3, pad=1) == 224
    assert output_size(28, 5) == 24 and output_size(12, 2, stride=2) == 6


def test_lesson_example_is_a_cross_correlation():
    from tutor.playground.cnn import apply_kernel, max_pool

    image = np.array([[1, 2, 0, 1], [0, 1, 3, 1], [2, 1, 0, 0], [1, 0, 1, 2]], dtype=float)
    np.testing.assert_allclose(apply_kernel(image, "edge"), [[2, -10], [-1, 5]])
    np.testing.assert_allclose(max_pool(image, 2), [[2, 3], [2, 2]])
    asym = np.array([[1.0, 0.0], [0.0, 0.0]])  # not flipped: picks the top-left pixel
    np.testing.assert_allclose(apply_kernel(image, asym), image[:-1, :-1])


def test_kernel_properties_on_the_digit():
    from tutor.playground.cnn import DIGIT_3, apply_kernel

    blurred = apply_kernel(DIGIT_3, "blur")
    assert 0.0 <= blurred.min() and blurred.max() <= 1.0
    flat = np.ones((5, 5))
    np.testing.assert_allclose(apply_kernel(flat, "edge"), 0.0)
    np.testing.assert_allclose(apply_kernel(flat, "sharpen"), 1.0)


def test_render_shades():
    from tutor.playground.cnn import DIGIT_3, render_shades

    text = render_shades(DIGIT_3)
    lines = text.splitlines()
    assert len(lines) == 12 and all(len(line) == 24 for line in lines)
    assert set(text) <= set(" ░▒▓█\n")
    assert lines[0].strip() == "" and "█" in lines[1]
    single = render_shades(np.array([[0.0, 0.25, 0.5, 0.75, 1.0]]), double=False)
    assert single == " ░▒▓█"
    assert render_shades(np.zeros((2, 2)), double=False) == "  \n  "


# --- training, losses, regularisation, momentum, batch norm ------------------------------

def test_two_layer_net_learns_xor_with_a_sensible_learning_rate():
    from tutor.playground.training import train_two_layer

    good = train_two_layer(lr=2.0, epochs=1500)
    assert good.solved and good.losses[-1] < good.losses[0] / 10
    slow = train_two_layer(lr=0.1, epochs=300)
    assert not slow.solved


def test_softmax_stability():
    from tutor.playground.losses import softmax_stability

    s = softmax_stability((1000.0, 999.0, 998.0), label=0)
    assert not s.naive_finite
    np.testing.assert_allclose(s.shifted, [0.665241, 0.244728, 0.090031], atol=1e-6)
    np.testing.assert_allclose(s.reference, s.shifted)
    assert s.cross_entropy == pytest.approx(-np.log(s.shifted[0]))
    small = softmax_stability((1.0, 0.0, -1.0))
    assert small.naive_finite
    np.testing.assert_allclose(small.naive, s.shifted)


def test_dropout_keeps_the_mean():
    from tutor.playground.regularization import dropout_demo, penalties

    d = dropout_demo(p=0.5, n=20000, seed=1)
    assert d.scale == 2.0
    assert 0.45 < d.kept.mean() < 0.55
    np.testing.assert_allclose(d.out[d.kept], 2.0 * d.x[d.kept])
    assert d.mean_out == pytest.approx(d.mean_in, rel=0.05)
    test = dropout_demo(p=0.5, n=10, train=False)
    np.testing.assert_array_equal(test.out, test.x)
    p = penalties([-2.0, 0.5, 1.0], alpha=0.1, r=0.25)
    assert p.l1 == pytest.approx(0.35) and p.l2 == pytest.approx(0.05 * 5.25)
    assert p.elastic_net == pytest.approx(0.25 * p.l1 + 0.75 * p.l2)


def test_momentum_beats_plain_descent_in_the_ravine():
    from tutor.playground.momentum import descent_paths

    paths = descent_paths()
    assert paths.sgd.shape == paths.momentum.shape == (61, 2)
    assert paths.sgd_cost[0] == paths.momentum_cost[0] == pytest.approx(60.0)
    assert paths.momentum_cost[-1] < paths.sgd_cost[-1] / 100
    same = descent_paths(mu=0.0, steps=5)
    np.testing.assert_allclose(same.sgd, same.momentum)


def test_batchnorm_steps():
    from tutor.playground.batchnorm import batchnorm_steps

    b = batchnorm_steps()
    assert b.mean[0] == 3.0 and b.var[0] == 3.5
    np.testing.assert_allclose(b.y, b.x_hat, atol=1e-12)
    np.testing.assert_allclose(b.y.mean(axis=0), 0.0, atol=1e-12)
    np.testing.assert_allclose(np.round(b.x_hat[:, 0], 3), [-1.069, -0.535, 0.0, 1.604])
    shifted = batchnorm_steps(gamma=2.0, beta=1.0)
    np.testing.assert_allclose(shifted.y, 2.0 * b.x_hat + 1.0, atol=1e-12)


# --- the new lessons: triplet, practice, deeper, autoencoder, capstone ---------------------------

def test_triplet_demo_hinge_and_gradients():
    from tutor.playground.triplet import triplet_demo

    active = triplet_demo(0.0, 1.0, 1.2, 1.0)
    assert active.d == pytest.approx(1.0 - 1.44 + 1.0)
    assert active.loss == pytest.approx(active.d)
    assert (active.d_anchor, active.d_positive, active.d_negative) == pytest.approx((2 * (1.2 - 1.0), 2.0, -2.4))
    satisfied = triplet_demo(0.0, 1.0, 3.0, 1.0)
    assert satisfied.loss == 0 and satisfied.d_anchor == satisfied.d_negative == 0
    assert satisfied.sweep_loss.min() == 0 and satisfied.sweep_loss.max() > 0
    with pytest.raises(ValueError, match="margin"):
        triplet_demo(margin=-1)


def test_schedules_follow_the_formulas():
    from tutor.playground.practice import schedules

    s = schedules(lr0=0.2, drop=0.5, every=10, k=0.1, epochs=30)
    assert s.step[9] == 0.2 and s.step[10] == 0.1 and s.step[29] == 0.05
    assert s.exponential[0] == 0.2 and s.exponential[10] == pytest.approx(0.2 * np.exp(-1.0))
    with pytest.raises(ValueError):
        schedules(every=0)


def test_small_batches_get_further_in_the_same_epochs():
    from tutor.playground.practice import batch_noise

    noise = batch_noise(batch_sizes=(10, 300), epochs=2)
    assert noise.steps == {10: 30, 300: 1}
    assert noise.losses[10][0] == noise.losses[300][0]          # the same start
    assert noise.losses[10][-1] < noise.losses[300][-1]


def test_shallow_and_deep_are_the_slides_sizes():
    from tutor.playground.practice import shallow_vs_deep

    result = shallow_vs_deep(steps=20)
    assert (result.shallow_weights, result.deep_weights) == (40, 30)
    assert (result.shallow_params, result.deep_params) == (49, 39)
    assert 0 <= result.shallow_accuracy <= 1 and 0 <= result.deep_accuracy <= 1


def test_the_residual_net_keeps_the_first_layers_gradient():
    from tutor.playground.deeper import residual_vs_plain

    r = residual_vs_plain("sigmoid", depth=20)
    assert len(r.plain) == len(r.residual) == 20
    assert r.plain[0] / r.plain[-1] < 1e-6 < 0.01 < r.residual[0] / r.residual[-1]


def test_transfer_reports_three_accuracies():
    from tutor.playground.deeper import transfer

    t = transfer(labels_per_class=3, steps=60)
    assert t.pretrain_accuracy > 0.9
    assert 0.2 < t.transfer_accuracy <= 1 and 0.2 < t.scratch_accuracy <= 1
    with pytest.raises(ValueError):
        transfer(labels_per_class=0)


def test_digit_codes_next_to_pca():
    from tutor.playground.autoencoder import digit_codes

    codes = digit_codes(steps=150, shown=50)
    assert codes.codes.shape == codes.pca.shape == (50, 2)
    assert np.abs(codes.codes).max() <= 1                        # tanh codes
    assert set(codes.labels) <= set(range(10))
    # a trained autoencoder rebuilds about as well as PCA's two components
    assert codes.autoencoder_error < 1.5 * codes.pca_error


CAPSTONE_REPORTING = """

import numpy as np
from layers import affine_forward
from tutor_progress import report


def predict(X, W1, b1, W2, b2):
    return (np.maximum(affine_forward(X, W1, b1)[0], 0) @ W2 + b2).argmax(axis=1)


def train_classifier(X, y, hidden_size, num_classes, epochs, lr, batch_size, rng):
    for epoch in range(3):
        report(epoch=epoch, loss=1.0 / (epoch + 1), accuracy=np.float64(0.5), note="words are dropped")
    return course_train_classifier(X, y, hidden_size, num_classes, epochs, lr, batch_size, rng)
"""


def capstone_reporting(solution: str) -> str:
    """A learner's train.py: the course's training steps, in train.py itself (only the
    exercises' own modules travel to the sandbox, so a helper module of another name would
    not), wrapped by a train_classifier that uses layers.py and reports three epochs."""
    assert "def train_classifier(" in solution
    return solution.replace("def train_classifier(", "def course_train_classifier(") + CAPSTONE_REPORTING


def test_capstone_runs_the_learners_own_code_with_its_reports(tmp_path):
    """The learner's train.py imports their layers.py and reports progress; graded on held-out digits."""
    import shutil

    from tutor.playground.capstone import curves, train_in_sandbox

    root = pathlib.Path(__file__).resolve().parents[1]
    shutil.copy(root / "solutions" / "layers.py", tmp_path / "layers.py")
    solution = (root / "solutions" / "train.py").read_text(encoding="utf-8")
    (tmp_path / "train.py").write_text(capstone_reporting(solution), encoding="utf-8")
    live = []
    run = train_in_sandbox(tmp_path, on_progress=live.append)
    assert run.passed and run.score == run.max_score, run.message
    assert live == run.reports and len(live) == 3
    assert curves(live) == {"loss": [1.0, 0.5, 1 / 3], "accuracy": [0.5, 0.5, 0.5]}
    (tmp_path / "train.py").unlink()
    with pytest.raises(ValueError, match="no train.py"):
        train_in_sandbox(tmp_path)
