"""solutions/ (NumPy) against reference/ (PyTorch) on every function of the contract.

Forward outputs are compared at OUTPUT_RTOL; for a backward, the solution runs its own
forward and backward, the reference its own, on the same upstream gradient, and the
gradients are compared at GRADIENT_RTOL. Shapes are drawn by hypothesis, non-square,
with batches of one and more. Edge cases (kinks, |x| = 1000, non-default alpha) and the
random functions (dropout, Xavier) are checked by their properties.
"""
import warnings

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

import reference
import solutions
from reference import (activations as r_act, autoencoder as r_ae, backprop as r_bp, cnn as r_cnn,
                       initialization as r_init, layers as r_layers, optim as r_optim, param_count as r_pc,
                       perceptron as r_perc, regularization as r_reg, resnet as r_res, rnn as r_rnn,
                       train as r_train, vanishing as r_van)
from solutions import (activations as s_act, autoencoder as s_ae, backprop as s_bp, cnn as s_cnn,
                       initialization as s_init, layers as s_layers, optim as s_optim, param_count as s_pc,
                       perceptron as s_perc, regularization as s_reg, resnet as s_res, rnn as s_rnn,
                       train as s_train, vanishing as s_van)
from tutor.manifest import GRADIENT_RTOL, OUTPUT_RTOL

fast = settings(max_examples=25, deadline=None)
seeds = st.integers(0, 2**32 - 1)
batch = st.integers(1, 4)                                             # N = 1 included
sizes = st.lists(st.integers(2, 6), min_size=3, max_size=3, unique=True)  # distinct: no square fits


# --- converting and comparing ------------------------------------------------------------

def to_torch(v, device):
    """NumPy arrays become float64 (or int64) tensors on `device`; Python numbers stay numbers."""
    if isinstance(v, np.ndarray):
        dtype = torch.int64 if v.dtype.kind in "iu" else torch.float64
        return torch.as_tensor(v, dtype=dtype, device=device)
    if isinstance(v, (list, tuple)):
        return type(v)(to_torch(a, device) for a in v)
    return v


def to_numpy(v):
    if isinstance(v, torch.Tensor):
        return v.detach().cpu().numpy()
    if isinstance(v, (list, tuple)):
        return type(v)(to_numpy(a) for a in v)
    return v


def rel_error(a, b):
    """max |a - b| / max(|a| + |b|), as the manifest defines it."""
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    return np.max(np.abs(a - b), initial=0) / max(np.max(np.abs(a) + np.abs(b), initial=0), 1e-300)


def assert_close(got, want, rtol):
    """`got` from the solution, `want` from the reference: tuples compared item by item."""
    if isinstance(want, tuple):
        assert isinstance(got, tuple) and len(got) == len(want), (type(got), len(want))
        for i, (g, w) in enumerate(zip(got, want)):
            assert np.shape(g) == np.shape(w), f"item {i}: shape {np.shape(g)}, want {np.shape(w)}"
            assert rel_error(g, w) <= rtol, f"item {i}: relative error {rel_error(g, w):.2e}"
    else:
        assert np.shape(got) == np.shape(want), f"shape {np.shape(got)}, want {np.shape(want)}"
        assert rel_error(got, want) <= rtol, f"relative error {rel_error(got, want):.2e}"


# Overflow, division by zero and NaN must not happen; underflow to 0 is the right answer
# (sigmoid(-1000) and softmax's e^-2000 are below the smallest float64).
LOUD = dict(over="raise", divide="raise", invalid="raise", under="ignore")


def copies(args):
    return [a.copy() if isinstance(a, np.ndarray) else a for a in args]


def assert_untouched(args, before):
    for a, b in zip(args, before):
        if isinstance(a, np.ndarray):
            assert np.array_equal(a, b), "the solution modified its input"


def check_function(sol_fn, ref_fn, args, device, rtol=OUTPUT_RTOL, **options):
    """Every returned value of the solution matches the reference's."""
    before = copies(args)
    got = sol_fn(*args, **options)
    assert_untouched(args, before)
    want = to_numpy(ref_fn(*to_torch(args, device), **options))
    assert_close(got, want, rtol)
    return got


def check_layer(sol, ref, name, args, device, rng, **options):
    """NAME_forward's output, then NAME_backward's gradients for one upstream gradient."""
    forward, backward = name + "_forward", name + "_backward"
    before = copies(args)
    out, cache = getattr(sol, forward)(*args, **options)
    assert_untouched(args, before)
    ref_out, ref_cache = getattr(ref, forward)(*to_torch(args, device), **options)
    assert_close(out, to_numpy(ref_out), OUTPUT_RTOL)
    dout = rng.standard_normal(np.shape(out))
    grads = getattr(sol, backward)(dout, cache)
    want = to_numpy(getattr(ref, backward)(to_torch(dout, device), ref_cache))
    assert_close(grads, want, GRADIENT_RTOL)
    return out, grads


def test_every_contract_function_is_covered():
    """A guard: this file names every function of every module (59 today)."""
    import ast
    import pathlib

    source = pathlib.Path(__file__).read_text()
    root = pathlib.Path(reference.__file__).parent
    names = [n.name for path in sorted(root.glob("[!_]*.py"))
             for n in ast.parse(path.read_text()).body
             if isinstance(n, ast.FunctionDef) and not n.name.startswith("_")]
    layer = lambda n: '"' + n.removesuffix("_forward").removesuffix("_backward") + '"'  # noqa: E731
    missing = [n for n in names if n not in source and layer(n) not in source]
    assert len(names) >= 59 and not missing, missing
    assert pathlib.Path(solutions.__file__).parent.joinpath("optim.py").exists()


# --- perceptron --------------------------------------------------------------------------

@fast
@given(seed=seeds, n=batch, d=st.integers(2, 5))
def test_perceptron_functions(device, seed, n, d):
    rng = np.random.default_rng(seed)
    X, w, b = rng.standard_normal((n, d)), rng.standard_normal(d), float(rng.standard_normal())
    check_function(s_perc.step, r_perc.step, [np.array([-1.0, 0.0, 1e-300, 2.0])], device)
    check_function(s_perc.perceptron_predict, r_perc.perceptron_predict, [X, w, b], device)
    check_function(s_perc.sigmoid_neuron, r_perc.sigmoid_neuron, [X, w, b], device)


LOGIC = {"AND": [0, 0, 0, 1], "OR": [0, 1, 1, 1]}


@pytest.mark.parametrize("gate", LOGIC)
@pytest.mark.parametrize("lr, epochs", [(1.0, 10), (0.5, 3), (0.1, 20)])
def test_perceptron_train_exactly(device, gate, lr, epochs):
    X, y = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float), np.array(LOGIC[gate], dtype=float)
    w, b = s_perc.perceptron_train(X, y, lr, epochs)
    ref_w, ref_b = to_numpy(r_perc.perceptron_train(*to_torch([X, y], device), lr=lr, epochs=epochs))
    assert np.array_equal(w, ref_w) and float(b) == float(ref_b)
    if lr == 1.0:
        assert np.array_equal(s_perc.perceptron_predict(X, w, b), y)  # it learns the gate


def test_perceptron_train_exactly_on_random_data(device):
    rng = np.random.default_rng(0)
    X = rng.integers(-3, 4, (9, 3)).astype(float)  # integers: every update is exact
    y = (X @ [1.0, -2.0, 0.5] > 0.5).astype(float)
    w, b = s_perc.perceptron_train(X, y, 1.0, 5)
    ref_w, ref_b = to_numpy(r_perc.perceptron_train(*to_torch([X, y], device), lr=1.0, epochs=5))
    assert np.array_equal(w, ref_w) and float(b) == float(ref_b)


# --- backprop ----------------------------------------------------------------------------

def test_xyz_with_the_lecture_numbers():
    f, cache = s_bp.xyz_forward(-2.0, 5.0, -4.0)
    assert f == -12 and tuple(s_bp.xyz_backward(1.0, cache)) == (-4, -4, 3)


@fast
@given(seed=seeds, shape=st.sampled_from([(1,), (3,), (2, 5), (4, 3, 2)]))
def test_xyz_on_arrays(device, seed, shape):
    rng = np.random.default_rng(seed)
    check_layer(s_bp, r_bp, "xyz", [rng.standard_normal(shape) for _ in range(3)], device, rng)


@fast
@given(seed=seeds, n=batch, dims=sizes)
def test_two_layer(device, seed, n, dims):
    rng = np.random.default_rng(seed)
    d, h, _ = dims
    args = [rng.standard_normal((n, d)), rng.standard_normal((d, h)), rng.standard_normal(h)]
    check_layer(s_bp, r_bp, "two_layer", args, device, rng)


# --- activations -------------------------------------------------------------------------

ACTIVATIONS = [("sigmoid", {}), ("tanh", {}), ("relu", {}), ("leaky_relu", {}), ("leaky_relu", {"alpha": 0.3}),
               ("elu", {}), ("elu", {"alpha": 0.5})]


@pytest.mark.parametrize("name, options", ACTIVATIONS)
@fast
@given(seed=seeds, n=batch, d=st.integers(2, 6))
def test_activation(device, name, options, seed, n, d):
    rng = np.random.default_rng(seed)
    check_layer(s_act, r_act, name, [3 * rng.standard_normal((n, d))], device, rng, **options)


# (name, options, slope left of 0, slope right of 0)
KINKS = [("relu", {}, 0.0, 1.0), ("leaky_relu", {}, 0.01, 1.0), ("leaky_relu", {"alpha": 0.3}, 0.3, 1.0),
         ("elu", {}, 1.0, 1.0), ("elu", {"alpha": 0.5}, 0.5, 1.0)]


@pytest.mark.parametrize("name, options, left, right", KINKS)
def test_activation_at_the_kink(device, name, options, left, right):
    x = np.array([[-1.5, 0.0, 2.0], [0.0, -0.25, 0.5]])
    at_kink = x == 0
    rng = np.random.default_rng(0)
    out, cache = getattr(s_act, name + "_forward")(x, **options)
    assert np.all(out[at_kink] == 0)
    dout = rng.standard_normal(x.shape)
    dx = getattr(s_act, name + "_backward")(dout, cache)
    ref_out, ref_cache = getattr(r_act, name + "_forward")(to_torch(x, device), **options)
    ref_dx = to_numpy(getattr(r_act, name + "_backward")(to_torch(dout, device), ref_cache))
    assert rel_error(dx[~at_kink], ref_dx[~at_kink]) <= GRADIENT_RTOL
    # At x = 0 either one-sided derivative is correct.
    assert all(np.isclose(g, left * d) or np.isclose(g, right * d) for g, d in zip(dx[at_kink], dout[at_kink]))


def test_sigmoid_at_1000_is_finite_and_quiet(device):
    x = np.array([[-1000.0, -30.0, 0.0], [30.0, 1000.0, 710.0]])
    with warnings.catch_warnings(), np.errstate(**LOUD):
        warnings.simplefilter("error")
        out, cache = s_act.sigmoid_forward(x)
        dx = s_act.sigmoid_backward(np.ones_like(x), cache)
    assert np.all(np.isfinite(out)) and np.all(np.isfinite(dx))
    ref_out, ref_cache = r_act.sigmoid_forward(to_torch(x, device))
    assert rel_error(out, to_numpy(ref_out)) <= OUTPUT_RTOL
    assert rel_error(dx, to_numpy(r_act.sigmoid_backward(to_torch(np.ones_like(x), device), ref_cache))) <= GRADIENT_RTOL


# --- initialization ----------------------------------------------------------------------

@pytest.mark.parametrize("n_in, n_out", [(300, 500), (1000, 40)])
def test_xavier_normal_by_its_statistics(n_in, n_out):
    w = s_init.xavier_normal(n_in, n_out, np.random.default_rng(0))
    ref = to_numpy(r_init.xavier_normal(n_in, n_out, np.random.default_rng(0)))
    std = np.sqrt(2 / (n_in + n_out))
    for sample in (w, ref):
        assert sample.shape == (n_in, n_out) and sample.dtype == np.float64
        assert abs(sample.mean()) < 4 * std / np.sqrt(sample.size)
        assert sample.std() == pytest.approx(std, rel=0.02)
    again = s_init.xavier_normal(n_in, n_out, np.random.default_rng(0))
    assert np.array_equal(w, again), "randomness must come only from rng"


# --- vanishing ---------------------------------------------------------------------------

@pytest.mark.parametrize("activation", ["sigmoid", "tanh", "relu"])
@fast
@given(seed=seeds, n=batch, widths=st.lists(st.integers(2, 6), min_size=2, max_size=5))
def test_layer_gradient_norms(device, activation, seed, n, widths):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((n, widths[0]))
    weights = [rng.standard_normal((a, b)) for a, b in zip(widths, widths[1:])]
    norms = check_function(s_van.layer_gradient_norms, r_van.layer_gradient_norms,
                           [x, weights, activation], device, rtol=GRADIENT_RTOL)
    assert norms.shape == (len(weights),)


# --- param_count: exact integers -----------------------------------------------------------

def assert_same_int(got, want):
    assert isinstance(got, (int, np.integer)) and got == want, (got, want)


@fast
@given(layer_sizes=st.lists(st.integers(1, 50), min_size=2, max_size=5))
def test_dense_params(layer_sizes):
    assert_same_int(s_pc.dense_params(layer_sizes), r_pc.dense_params(layer_sizes))


@fast
@given(c_in=st.integers(1, 16), c_out=st.integers(1, 16),
       kernel=st.one_of(st.integers(1, 7), st.tuples(st.integers(1, 7), st.integers(1, 7))))
def test_conv2d_params(c_in, c_out, kernel):
    assert_same_int(s_pc.conv2d_params(c_in, c_out, kernel), r_pc.conv2d_params(c_in, c_out, kernel))


@fast
@given(d=st.integers(1, 30), h=st.integers(1, 30), o=st.integers(1, 30))
def test_rnn_params(d, h, o):
    assert_same_int(s_pc.rnn_params(d, h, o), r_pc.rnn_params(d, h, o))


@pytest.mark.parametrize("num_classes", [1000, 10, 2])
def test_vgg16_params(num_classes):
    assert_same_int(s_pc.vgg16_params(num_classes), r_pc.vgg16_params(num_classes))
    assert s_pc.vgg16_params() == 138_357_544


# --- rnn -----------------------------------------------------------------------------------

@fast
@given(seed=seeds, n=batch, dims=sizes)
def test_rnn_step(device, seed, n, dims):
    rng = np.random.default_rng(seed)
    d, h, _ = dims
    args = [rng.standard_normal(s) for s in ((n, d), (n, h), (d, h), (h, h), (h,))]
    check_layer(s_rnn, r_rnn, "rnn_step", args, device, rng)


@fast
@given(seed=seeds, n=batch, t=st.integers(1, 5), dims=sizes)
def test_rnn(device, seed, n, t, dims):
    rng = np.random.default_rng(seed)
    d, h, _ = dims
    args = [rng.standard_normal(s) for s in ((n, t, d), (n, h), (d, h), (h, h), (h,))]
    args[2:] = [0.5 * a for a in args[2:]]  # keep tanh out of saturation so gradients are not all ~0
    check_layer(s_rnn, r_rnn, "rnn", args, device, rng)


@fast
@given(seed=seeds, shape=st.sampled_from([(1, 4), (3, 5), (2, 3, 6), (7,)]))
def test_softmax(device, seed, shape):
    rng = np.random.default_rng(seed)
    check_function(s_rnn.softmax, r_rnn.softmax, [3 * rng.standard_normal(shape)], device)


def test_softmax_at_1000(device):
    z = np.array([[1000.0, 0.0, -1000.0], [1000.0, 1000.0, 999.0]])
    with np.errstate(**LOUD):
        check_function(s_rnn.softmax, r_rnn.softmax, [z], device)


# --- layers --------------------------------------------------------------------------------

@fast
@given(seed=seeds, n=batch, dims=sizes)
def test_affine(device, seed, n, dims):
    rng = np.random.default_rng(seed)
    d, m, _ = dims
    args = [rng.standard_normal(s) for s in ((n, d), (d, m), (m,))]
    check_layer(s_layers, r_layers, "affine", args, device, rng)


@fast
@given(seed=seeds, shape=st.sampled_from([(1,), (5,), (1, 3), (4, 2), (2, 3, 4)]))
def test_mse_loss(device, seed, shape):
    rng = np.random.default_rng(seed)
    args = [rng.standard_normal(shape), rng.standard_normal(shape)]
    check_function(s_layers.mse_loss, r_layers.mse_loss, args, device)


@fast
@given(seed=seeds, n=batch, c=st.integers(2, 7))
def test_softmax_cross_entropy(device, seed, n, c):
    rng = np.random.default_rng(seed)
    args = [3 * rng.standard_normal((n, c)), rng.integers(0, c, n)]
    check_function(s_layers.softmax_cross_entropy, r_layers.softmax_cross_entropy, args, device)


def test_softmax_cross_entropy_at_1000(device):
    scores, y = np.array([[1000.0, 0.0, -1000.0], [1000.0, 1000.0, 0.0]]), np.array([2, 0])
    with np.errstate(**LOUD), warnings.catch_warnings():
        warnings.simplefilter("error")
        loss, _ = check_function(s_layers.softmax_cross_entropy, r_layers.softmax_cross_entropy, [scores, y], device)
    assert np.isfinite(loss)


@fast
@given(seed=seeds, n=batch, d=st.integers(2, 6), eps=st.sampled_from([1e-5, 1e-2]))
def test_batchnorm(device, seed, n, d, eps):
    rng = np.random.default_rng(seed)
    args = [2 + 3 * rng.standard_normal((n, d)), rng.standard_normal(d), rng.standard_normal(d)]
    check_layer(s_layers, r_layers, "batchnorm", args, device, rng, eps=eps)


def test_dropout_in_eval_mode_is_the_identity(device):
    x, dout = np.random.default_rng(0).standard_normal((2, 3, 4, 5))
    for module, t in ((s_layers, lambda a: a), (r_layers, lambda a: to_torch(a, device))):
        out, cache = module.dropout_forward(t(x), 0.5, False, np.random.default_rng(1))
        assert np.array_equal(to_numpy(out), x)
        assert np.array_equal(to_numpy(module.dropout_backward(t(dout), cache)), dout)


@pytest.mark.parametrize("p", [0.0, 0.2, 0.5, 0.9])
def test_dropout_in_training_mode(device, p):
    rng = np.random.default_rng(2)
    x, dout = rng.standard_normal((2, 100, 60))
    for module, t in ((s_layers, lambda a: a), (r_layers, lambda a: to_torch(a, device))):
        before = x.copy()
        out, cache = module.dropout_forward(t(x), p, True, np.random.default_rng(3))
        out = to_numpy(out)
        assert np.array_equal(x, before)
        kept = out != 0
        assert np.allclose(out[kept], x[kept] / (1 - p)), "kept units are scaled by 1 / (1 - p)"
        assert abs((1 - kept.mean()) - p) < 0.03, "units are dropped with probability p"
        dx = to_numpy(module.dropout_backward(t(dout), cache))
        assert np.allclose(dx, dout * kept / (1 - p)), "the backward reuses the forward's mask"


# --- cnn -----------------------------------------------------------------------------------

@fast
@given(seed=seeds, hw=st.tuples(st.integers(3, 8), st.integers(3, 8)), k=st.tuples(st.integers(1, 3), st.integers(1, 3)))
def test_convolve2d(device, seed, hw, k):
    rng = np.random.default_rng(seed)
    check_function(s_cnn.convolve2d, r_cnn.convolve2d, [rng.standard_normal(hw), rng.standard_normal(k)], device)


@fast
@given(seed=seeds, n=st.integers(1, 2), c=st.integers(1, 3), f=st.integers(1, 3),
       hw=st.tuples(st.integers(3, 7), st.integers(3, 7)), k=st.tuples(st.integers(1, 3), st.integers(1, 3)),
       stride=st.integers(1, 3), pad=st.integers(0, 2))
def test_conv(device, seed, n, c, f, hw, k, stride, pad):
    rng = np.random.default_rng(seed)
    args = [rng.standard_normal((n, c, *hw)), rng.standard_normal((f, c, *k)), rng.standard_normal(f)]
    check_layer(s_cnn, r_cnn, "conv", args, device, rng, stride=stride, pad=pad)


@fast
@given(seed=seeds, n=st.integers(1, 2), c=st.integers(1, 3), hw=st.tuples(st.integers(3, 8), st.integers(3, 8)),
       size=st.integers(1, 3), stride=st.integers(1, 3))
def test_max_pool(device, seed, n, c, hw, size, stride):
    rng = np.random.default_rng(seed)
    check_layer(s_cnn, r_cnn, "max_pool", [rng.standard_normal((n, c, *hw))], device, rng, size=size, stride=stride)


def test_max_pool_with_ties_sends_each_window_gradient_to_one_maximum():
    x = np.zeros((1, 2, 4, 6))
    x[0, 1, :2, :2] = [[3.0, 3.0], [1.0, 3.0]]
    out, cache = s_cnn.max_pool_forward(x, 2, 2)
    dout = np.random.default_rng(0).standard_normal(out.shape)
    dx = s_cnn.max_pool_backward(dout, cache)
    windows = dx.reshape(1, 2, 2, 2, 3, 2).transpose(0, 1, 2, 4, 3, 5).reshape(1, 2, 2, 3, 4)
    assert np.allclose(windows.sum(-1), dout)  # all of each window's gradient, once
    assert np.count_nonzero(windows) == dout.size  # to one of the tied maxima
    assert dx[0, 1, 1, 0] == 0  # never to a non-maximum


# --- regularization ------------------------------------------------------------------------

PENALTIES = [("l1_penalty", ()), ("l2_penalty", ()), ("elastic_net_penalty", (0.3,)), ("elastic_net_penalty", (0.0,)),
             ("elastic_net_penalty", (1.0,))]


@pytest.mark.parametrize("name, extra", PENALTIES)
@fast
@given(seed=seeds, shape=st.sampled_from([(4,), (1, 3), (3, 5)]), alpha=st.sampled_from([0.01, 0.5, 2.0]))
def test_penalty(device, name, extra, seed, shape, alpha):
    rng = np.random.default_rng(seed)
    check_function(getattr(s_reg, name), getattr(r_reg, name), [rng.standard_normal(shape), alpha, *extra], device)


@pytest.mark.parametrize("name, extra, l1_share", [("l1_penalty", (), 1.0), ("elastic_net_penalty", (0.4,), 0.4)])
def test_l1_at_the_kink(device, name, extra, l1_share):
    w, alpha = np.array([[0.0, -1.0], [2.0, 0.0]]), 0.5
    value, dw = getattr(s_reg, name)(w, alpha, *extra)
    ref_value, ref_dw = to_numpy(getattr(r_reg, name)(to_torch(w, device), alpha, *extra))
    assert rel_error(value, ref_value) <= OUTPUT_RTOL
    at_kink = w == 0
    assert rel_error(dw[~at_kink], ref_dw[~at_kink]) <= GRADIENT_RTOL
    # Either one-sided derivative (±alpha) or the reference's subgradient 0.
    allowed = [-l1_share * alpha, 0.0, l1_share * alpha]
    assert all(np.isclose(g, allowed).any() for g in dw[at_kink])


# --- optim ---------------------------------------------------------------------------------

@fast
@given(seed=seeds, shape=st.sampled_from([(3,), (2, 5)]), lr=st.sampled_from([0.01, 0.5]), mu=st.sampled_from([0.0, 0.9]))
def test_optimisers(device, seed, shape, lr, mu):
    rng = np.random.default_rng(seed)
    w, dw, v = rng.standard_normal((3, *shape))
    check_function(s_optim.sgd_step, r_optim.sgd_step, [w, dw, lr], device)
    check_function(s_optim.momentum_step, r_optim.momentum_step, [w, dw, v, lr, mu], device)


# --- the new sections -------------------------------------------------------------------------

@fast
@given(seed=seeds, n=batch, dims=sizes)
def test_residual(device, seed, n, dims):
    rng = np.random.default_rng(seed)
    d, h = dims[0], dims[1]
    args = [rng.standard_normal((n, d)), rng.standard_normal((d, h)), rng.standard_normal(h),
            rng.standard_normal((h, d)), rng.standard_normal(d)]
    check_layer(s_res, r_res, "residual", args, device, rng)


@pytest.mark.parametrize("activation", ["sigmoid", "tanh", "relu"])
@fast
@given(seed=seeds, n=batch, d=st.integers(2, 6), depth=st.integers(1, 6))
def test_residual_gradient_norms(device, activation, seed, n, d, depth):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((n, d))
    weights = [rng.standard_normal((d, d)) / np.sqrt(d) for _ in range(depth)]
    got = s_res.residual_gradient_norms(x, weights, activation)
    want = to_numpy(r_res.residual_gradient_norms(to_torch(x, device), to_torch(weights, device), activation))
    assert_close(got, want, GRADIENT_RTOL)


@fast
@given(seed=seeds, n=batch, d=st.integers(3, 8), k=st.integers(1, 2))
def test_autoencoder(device, seed, n, d, k):
    rng = np.random.default_rng(seed)
    args = [rng.standard_normal((n, d)), rng.standard_normal((d, k)), rng.standard_normal(k),
            rng.standard_normal((k, d)), rng.standard_normal(d)]
    check_layer(s_ae, r_ae, "autoencoder", args, device, rng)
    check_function(s_ae.encode, r_ae.encode, args[:3], device)


@fast
@given(seed=seeds, n=batch, d=st.integers(1, 5), margin=st.sampled_from([0.0, 0.2, 1.5]))
def test_triplet_loss(device, seed, n, d, margin):
    rng = np.random.default_rng(seed)
    args = [rng.standard_normal((n, d)) for _ in range(3)]
    check_function(s_layers.triplet_loss, r_layers.triplet_loss, args + [margin], device, GRADIENT_RTOL)


@fast
@given(lr0=st.floats(1e-4, 1.0), epoch=st.integers(0, 100), drop=st.floats(0.05, 1.0), every=st.integers(1, 20),
       k=st.floats(0.0, 0.5))
def test_schedules(lr0, epoch, drop, every, k):
    assert s_optim.lr_step_decay(lr0, epoch, drop, every) == pytest.approx(r_optim.lr_step_decay(lr0, epoch, drop, every))
    assert s_optim.lr_exponential_decay(lr0, epoch, k) == pytest.approx(r_optim.lr_exponential_decay(lr0, epoch, k))


@fast
@given(seed=seeds, n=st.integers(1, 40), size=st.integers(1, 12))
def test_minibatches(seed, n, size):
    got = s_optim.minibatches(n, size, np.random.default_rng(seed))
    want = r_optim.minibatches(n, size, np.random.default_rng(seed))
    assert [g.tolist() for g in got] == [w.tolist() for w in want]
    assert sorted(i for g in got for i in g.tolist()) == list(range(n))


@fast
@given(seed=seeds, n=batch, dims=sizes)
def test_predict(device, seed, n, dims):
    rng = np.random.default_rng(seed)
    d, h, c = dims
    args = [rng.uniform(0, 1, (n, d)), rng.standard_normal((d, h)), rng.standard_normal(h),
            rng.standard_normal((h, c)), rng.standard_normal(c)]
    check_function(s_train.predict, r_train.predict, args, device)


def test_train_classifier_draws_like_the_reference(device):
    """The same rng gives the same start and batches: the trained weights agree closely."""
    from tutor import digits

    X, y = digits.train_split()
    X, y = X[:300], y[:300]
    got = s_train.train_classifier(X, y, 8, 10, 2, 0.5, 50, np.random.default_rng(3))
    want = r_train.train_classifier(*to_torch([X, y], device), 8, 10, 2, 0.5, 50, np.random.default_rng(3))
    assert_close(tuple(got), tuple(to_numpy(w) for w in want), 1e-9)
