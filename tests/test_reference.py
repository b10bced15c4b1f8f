"""reference/ against torch's own modules and functions, forward and backward, on every device.

The reference is the grader's ground truth, so each function is checked against the
torch built-in it stands for (nn.Linear, nn.RNN, F.conv2d, ...), with gradients from
autograd through that built-in, plus the numbers the lectures print.
"""
import warnings

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, settings
from hypothesis import strategies as st
from torch import nn

from reference import (activations, autoencoder, backprop, cnn, initialization, layers, optim, param_count,
                       perceptron, regularization, resnet, rnn, train, vanishing)
from tutor import worked_examples as ex

F64 = torch.float64
fast = settings(max_examples=25, deadline=None)
seeds = st.integers(0, 2**32 - 1)


def rel_error(a, b):
    """max |a - b| / max(|a| + |b|): the manifest's relative error."""
    a, b = torch.as_tensor(a).double().cpu(), torch.as_tensor(b).double().cpu()
    return ((a - b).abs().max() / (a.abs() + b.abs()).max().clamp_min(1e-300)).item()


def assert_close(actual, expected, rtol=1e-7):
    assert actual.shape == expected.shape, (actual.shape, expected.shape)
    assert rel_error(actual, expected) <= rtol


def randn(gen, *shape, device):
    return torch.randn(*shape, generator=gen, dtype=F64).to(device)


def leaf(t):
    return t.detach().clone().requires_grad_(True)


def torch_grads(out, inputs, dout):
    """Autograd through a built-in: the gradients we compare the reference's with."""
    return torch.autograd.grad(out, inputs, dout)


# --- the lecture numbers ------------------------------------------------------------

def test_xyz_gives_the_lecture_numbers(device):
    x, y, z = (torch.tensor(v, dtype=F64, device=device) for v in ex.XYZ)
    f, cache = backprop.xyz_forward(x, y, z)
    assert f.item() == ex.XYZ_F
    grads = backprop.xyz_backward(torch.tensor(1.0, dtype=F64, device=device), cache)
    assert tuple(g.item() for g in grads) == ex.XYZ_GRADS
    assert all(g.device.type == device for g in grads)


def test_xyz_takes_python_scalars():
    f, cache = backprop.xyz_forward(*ex.XYZ)
    assert f.dtype == F64 and f.item() == ex.XYZ_F
    assert tuple(g.item() for g in backprop.xyz_backward(1, cache)) == ex.XYZ_GRADS


@pytest.mark.parametrize("sizes, count", ex.DENSE_PARAMS.items())
def test_dense_params_match_the_lectures(sizes, count):
    assert param_count.dense_params(list(sizes)) == count


def test_vgg16_has_138_million_parameters():
    assert param_count.vgg16_params() == ex.VGG16_PARAMS
    # Only the last layer depends on the classes: 4096 weights and a bias each.
    assert param_count.vgg16_params(10) == ex.VGG16_PARAMS - 990 * 4097


def test_conv2d_and_rnn_params_by_formula():
    assert param_count.conv2d_params(3, 64, 3) == 64 * 3 * 3 * 3 + 64
    assert param_count.conv2d_params(2, 5, (3, 4)) == 5 * 2 * 3 * 4 + 5
    D, H, O = 4, 3, 5
    assert param_count.rnn_params(D, H, O) == D * H + H * H + H + H * O + O


def test_rnn_worked_example(device):
    t = lambda a: torch.as_tensor(a, dtype=F64, device=device)  # noqa: E731
    h1, _ = rnn.rnn_step_forward(t(ex.RNN_X1[None]), t(ex.RNN_H0[None]), t(ex.RNN_WX.T),
                                 t(ex.RNN_WH.T), t(np.zeros(3)))
    y1 = rnn.softmax(h1 @ t(ex.RNN_WY.T))
    assert np.allclose(torch.atanh(h1).cpu().numpy(), ex.RNN_A1)
    assert np.array_equal(h1[0].cpu().numpy().round(2), ex.RNN_H1)
    assert np.array_equal(y1[0].cpu().numpy().round(2), ex.RNN_Y1)


# --- dense layers, RNN, convolution against torch.nn -----------------------------------

@fast
@given(seed=seeds, n=st.integers(1, 4), d=st.integers(1, 5), m=st.integers(1, 5))
def test_affine_matches_nn_linear(device, seed, n, d, m):
    gen = torch.Generator().manual_seed(seed)
    linear = nn.Linear(d, m, dtype=F64, device=device)
    x, dout = randn(gen, n, d, device=device), randn(gen, n, m, device=device)
    xl = leaf(x)
    expected = linear(xl)
    out, cache = layers.affine_forward(x, linear.weight.detach().T, linear.bias.detach())
    assert_close(out, expected)
    dx, dW, db = torch_grads(expected, (xl, linear.weight, linear.bias), dout)
    got = layers.affine_backward(dout, cache)
    for g, e in zip(got, (dx, dW.T, db)):
        assert_close(g, e, 1e-6)


def _rnn_with_one_bias(d, h, device):
    """nn.RNN keeps two biases that are always summed: zero b_hh so b_ih is our b."""
    net = nn.RNN(d, h, batch_first=True, dtype=F64, device=device)
    with torch.no_grad():
        net.bias_hh_l0.zero_()
    return net


@fast
@given(seed=seeds, n=st.integers(1, 3), t=st.integers(1, 4), d=st.integers(1, 4), h=st.integers(1, 4))
def test_rnn_forward_matches_nn_rnn(device, seed, n, t, d, h):
    gen = torch.Generator().manual_seed(seed)
    net = _rnn_with_one_bias(d, h, device)
    x, h0, dh = randn(gen, n, t, d, device=device), randn(gen, n, h, device=device), randn(gen, n, t, h, device=device)
    xl, h0l = leaf(x), leaf(h0)
    expected, _ = net(xl, h0l[None])
    params = (net.weight_ih_l0.detach().T, net.weight_hh_l0.detach().T, net.bias_ih_l0.detach())
    out, cache = rnn.rnn_forward(x, h0, *params)
    assert_close(out, expected)
    dx, dh0, dWih, dWhh, db = torch_grads(expected, (xl, h0l, net.weight_ih_l0, net.weight_hh_l0, net.bias_ih_l0), dh)
    for g, e in zip(rnn.rnn_backward(dh, cache), (dx, dh0, dWih.T, dWhh.T, db)):
        assert_close(g, e, 1e-6)


def test_rnn_step_matches_nn_rnn_cell(device):
    gen = torch.Generator().manual_seed(0)
    cell = nn.RNNCell(3, 4, dtype=F64, device=device)
    with torch.no_grad():
        cell.bias_hh.zero_()
    x, h, dh = randn(gen, 2, 3, device=device), randn(gen, 2, 4, device=device), randn(gen, 2, 4, device=device)
    xl, hl = leaf(x), leaf(h)
    expected = cell(xl, hl)
    out, cache = rnn.rnn_step_forward(x, h, cell.weight_ih.detach().T, cell.weight_hh.detach().T, cell.bias_ih.detach())
    assert_close(out, expected)
    want = torch_grads(expected, (xl, hl, cell.weight_ih, cell.weight_hh, cell.bias_ih), dh)
    for g, e in zip(rnn.rnn_step_backward(dh, cache), (want[0], want[1], want[2].T, want[3].T, want[4])):
        assert_close(g, e, 1e-6)


@fast
@given(seed=seeds, n=st.integers(1, 2), c=st.integers(1, 3), f=st.integers(1, 3),
       hw=st.tuples(st.integers(3, 7), st.integers(3, 7)), k=st.tuples(st.integers(1, 3), st.integers(1, 3)),
       stride=st.integers(1, 3), pad=st.integers(0, 2))
def test_conv_matches_f_conv2d(device, seed, n, c, f, hw, k, stride, pad):
    gen = torch.Generator().manual_seed(seed)
    x, w, b = randn(gen, n, c, *hw, device=device), randn(gen, f, c, *k, device=device), randn(gen, f, device=device)
    xl, wl, bl = leaf(x), leaf(w), leaf(b)
    expected = F.conv2d(xl, wl, bl, stride=stride, padding=pad)
    out, cache = cnn.conv_forward(x, w, b, stride, pad)
    assert_close(out, expected)
    dout = randn(gen, *expected.shape, device=device)
    for g, e in zip(cnn.conv_backward(dout, cache), torch_grads(expected, (xl, wl, bl), dout)):
        assert_close(g, e, 1e-6)


def test_convolve2d_is_valid_cross_correlation(device):
    image = torch.arange(20, dtype=F64, device=device).reshape(4, 5)
    kernel = torch.tensor([[1.0, 0.0], [0.0, -1.0]], dtype=F64, device=device)  # not symmetric: a flip shows
    out = cnn.convolve2d(image, kernel)
    assert out.shape == (3, 4)
    assert torch.all(out == image[:-1, :-1] - image[1:, 1:])


@fast
@given(seed=seeds, n=st.integers(1, 2), c=st.integers(1, 3), hw=st.tuples(st.integers(3, 8), st.integers(3, 8)),
       size=st.integers(1, 3), stride=st.integers(1, 3))
def test_max_pool_matches_f_max_pool2d(device, seed, n, c, hw, size, stride):
    gen = torch.Generator().manual_seed(seed)
    x = randn(gen, n, c, *hw, device=device)
    xl = leaf(x)
    expected = F.max_pool2d(xl, size, stride)
    out, cache = cnn.max_pool_forward(x, size, stride)
    assert_close(out, expected)
    dout = randn(gen, *expected.shape, device=device)
    assert_close(cnn.max_pool_backward(dout, cache), torch_grads(expected, xl, dout)[0], 1e-6)


@fast
@given(seed=seeds, n=st.integers(2, 5), d=st.integers(1, 4), eps=st.sampled_from([1e-5, 1e-3]))
def test_batchnorm_matches_f_batch_norm_in_training_mode(device, seed, n, d, eps):
    gen = torch.Generator().manual_seed(seed)
    x, gamma, beta, dout = (randn(gen, *s, device=device) for s in ((n, d), (d,), (d,), (n, d)))
    x = 3 * x + 2  # a mean and a spread to normalise away
    xl, gl, bl = leaf(x), leaf(gamma), leaf(beta)
    expected = F.batch_norm(xl, None, None, gl, bl, training=True, eps=eps)
    out, cache = layers.batchnorm_forward(x, gamma, beta, eps)
    assert_close(out, expected)
    for g, e in zip(layers.batchnorm_backward(dout, cache), torch_grads(expected, (xl, gl, bl), dout)):
        assert_close(g, e, 1e-6)


def test_batchnorm_takes_a_batch_of_one(device):
    # F.batch_norm refuses N = 1 in training; the contract's formula gives x̂ = 0, out = beta.
    x, gamma, beta = (torch.ones(1, 3, dtype=F64, device=device), torch.full((3,), 2.0, dtype=F64, device=device),
                      torch.arange(3, dtype=F64, device=device))
    out, cache = layers.batchnorm_forward(x, gamma, beta)
    assert torch.equal(out[0], beta)
    assert torch.all(layers.batchnorm_backward(torch.ones_like(out), cache)[0] == 0)


# --- losses -------------------------------------------------------------------------------

@fast
@given(seed=seeds, n=st.integers(1, 5), c=st.integers(2, 6))
def test_softmax_cross_entropy_matches_f_cross_entropy(device, seed, n, c):
    gen = torch.Generator().manual_seed(seed)
    scores = randn(gen, n, c, device=device)
    y = torch.randint(c, (n,), generator=gen).to(device)
    sl = leaf(scores)
    expected = F.cross_entropy(sl, y)
    loss, dscores = layers.softmax_cross_entropy(scores, y)
    assert_close(loss, expected)
    assert_close(dscores, torch_grads(expected, sl, None)[0], 1e-6)


def test_cross_entropy_and_softmax_stay_finite_at_1000(device):
    scores = torch.tensor([[1000.0, 0.0, -1000.0], [1000.0, 1000.0, 0.0]], dtype=F64, device=device)
    y = torch.tensor([2, 0], device=device)
    loss, dscores = layers.softmax_cross_entropy(scores, y)
    assert loss.item() == pytest.approx((2000 + np.log(2)) / 2)
    assert torch.isfinite(dscores).all()
    p = rnn.softmax(scores)
    assert torch.isfinite(p).all() and torch.allclose(p.sum(-1), torch.ones(2, dtype=F64, device=device))


@fast
@given(seed=seeds, shape=st.sampled_from([(1,), (3,), (2, 5), (4, 1, 3)]))
def test_mse_matches_f_mse_loss(device, seed, shape):
    gen = torch.Generator().manual_seed(seed)
    pred, y = randn(gen, *shape, device=device), randn(gen, *shape, device=device)
    pl = leaf(pred)
    expected = F.mse_loss(pl, y)
    loss, dpred = layers.mse_loss(pred, y)
    assert_close(loss, expected)
    assert_close(dpred, torch_grads(expected, pl, None)[0], 1e-6)


# --- activations --------------------------------------------------------------------------

BUILTINS = {
    "sigmoid": (activations.sigmoid_forward, activations.sigmoid_backward, torch.sigmoid, {}),
    "tanh": (activations.tanh_forward, activations.tanh_backward, torch.tanh, {}),
    "relu": (activations.relu_forward, activations.relu_backward, torch.relu, {}),
    "leaky_relu": (activations.leaky_relu_forward, activations.leaky_relu_backward, F.leaky_relu, {}),
    "leaky_relu alpha=0.2": (activations.leaky_relu_forward, activations.leaky_relu_backward,
                             lambda x: F.leaky_relu(x, 0.2), {"alpha": 0.2}),
    "elu": (activations.elu_forward, activations.elu_backward, F.elu, {}),
    "elu alpha=0.5": (activations.elu_forward, activations.elu_backward, lambda x: F.elu(x, 0.5), {"alpha": 0.5}),
}


@pytest.mark.parametrize("name", BUILTINS)
def test_activation_matches_torch(device, name):
    forward, backward, builtin, options = BUILTINS[name]
    gen = torch.Generator().manual_seed(1)
    x, dout = 3 * randn(gen, 4, 7, device=device), randn(gen, 4, 7, device=device)
    xl = leaf(x)
    expected = builtin(xl)
    out, cache = forward(x, **options)
    assert_close(out, expected)
    assert_close(backward(dout, cache), torch_grads(expected, xl, dout)[0], 1e-6)


def test_softmax_matches_torch_softmax(device):
    z = randn(torch.Generator().manual_seed(2), 2, 3, 5, device=device)
    assert_close(rnn.softmax(z), torch.softmax(z, dim=-1))


def test_sigmoid_is_finite_and_quiet_at_1000(device):
    x = torch.tensor([-1000.0, 0.0, 1000.0], dtype=F64, device=device)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out, cache = activations.sigmoid_forward(x)
        dx = activations.sigmoid_backward(torch.ones_like(x), cache)
    assert out.tolist() == [0.0, 0.5, 1.0]
    assert dx.tolist() == [0.0, 0.25, 0.0]


# --- small nets and neurons against nn.Sequential ------------------------------------------

def test_two_layer_matches_sequential(device):
    gen = torch.Generator().manual_seed(3)
    net = nn.Sequential(nn.Linear(3, 5, bias=False), nn.Sigmoid(), nn.Linear(5, 1, bias=False), nn.Sigmoid())
    net = net.to(device=device, dtype=F64)
    X, dout = randn(gen, 4, 3, device=device), randn(gen, 4, device=device)
    Xl = leaf(X)
    expected = net(Xl)[:, 0]
    W1, w2 = net[0].weight.detach().T, net[2].weight.detach()[0]
    out, cache = backprop.two_layer_forward(X, W1, w2)
    assert_close(out, expected)
    dX, dW1, dw2 = torch_grads(expected, (Xl, net[0].weight, net[2].weight), dout)
    for g, e in zip(backprop.two_layer_backward(dout, cache), (dX, dW1.T, dw2[0])):
        assert_close(g, e, 1e-6)


@pytest.mark.parametrize("activation, module", [("sigmoid", nn.Sigmoid), ("tanh", nn.Tanh), ("relu", nn.ReLU)])
def test_layer_gradient_norms_match_sequential(device, activation, module):
    gen = torch.Generator().manual_seed(4)
    sizes = [3, 6, 5, 4, 2]
    net = nn.Sequential(*[m for a, b in zip(sizes, sizes[1:]) for m in (nn.Linear(a, b, bias=False), module())])
    net = net.to(device=device, dtype=F64)
    x = randn(gen, 7, 3, device=device)
    net(x).sum().backward()
    expected = torch.stack([m.weight.grad.norm() for m in net if isinstance(m, nn.Linear)])
    weights = [m.weight.detach().T for m in net if isinstance(m, nn.Linear)]
    norms = vanishing.layer_gradient_norms(x, weights, activation)
    assert norms.shape == (4,)
    assert_close(norms, expected, 1e-6)


def test_sigmoid_gradients_vanish_with_depth(device):
    gen = torch.Generator().manual_seed(5)
    weights = [randn(gen, 8, 8, device=device) for _ in range(8)]
    norms = vanishing.layer_gradient_norms(randn(gen, 4, 8, device=device), weights, "sigmoid")
    assert norms[0] < norms[-1] / 10


def test_neurons_match_nn_linear(device):
    gen = torch.Generator().manual_seed(6)
    linear = nn.Linear(3, 1, dtype=F64, device=device)
    X = randn(gen, 5, 3, device=device)
    w, b = linear.weight.detach()[0], linear.bias.detach()[0]
    z = linear(X).detach()[:, 0]
    assert_close(perceptron.sigmoid_neuron(X, w, b), torch.sigmoid(z))
    assert torch.equal(perceptron.perceptron_predict(X, w, b), (z > 0).to(F64))
    assert perceptron.step(torch.tensor([-1.0, 0.0, 2.0], dtype=F64, device=device)).tolist() == [0.0, 0.0, 1.0]


AND = ([[0, 0], [0, 1], [1, 0], [1, 1]], [0, 0, 0, 1])


def test_perceptron_learns_and(device):
    X, y = (torch.tensor(a, dtype=F64, device=device) for a in AND)
    w, b = perceptron.perceptron_train(X, y)
    assert w.tolist() == [2.0, 1.0] and b.item() == -2.0  # Rosenblatt's rule, worked by hand
    assert torch.equal(perceptron.perceptron_predict(X, w, b), y)


# --- randomness, penalties, updates --------------------------------------------------------

def test_xavier_normal_has_the_right_spread(device):
    n_in, n_out = 300, 500
    for rng in (np.random.default_rng(0), torch.Generator(device=device).manual_seed(0)):
        w = initialization.xavier_normal(n_in, n_out, rng)
        assert w.shape == (n_in, n_out) and w.dtype == F64
        assert abs(w.mean().item()) < 0.003
        assert w.std().item() == pytest.approx(np.sqrt(2 / (n_in + n_out)), rel=0.02)
    assert initialization.xavier_normal(3, 2, torch.Generator(device=device)).device.type == device


def test_xavier_is_repeatable_from_a_numpy_seed():
    a = initialization.xavier_normal(4, 3, np.random.default_rng(7))
    b = initialization.xavier_normal(4, 3, np.random.default_rng(7))
    assert torch.equal(a, b)


@pytest.mark.parametrize("p", [0.0, 0.3, 0.75])
def test_dropout_in_training_mode(device, p):
    x = randn(torch.Generator().manual_seed(8), 200, 50, device=device)
    for rng in (np.random.default_rng(1), torch.Generator(device=device).manual_seed(1)):
        out, cache = layers.dropout_forward(x, p, True, rng)
        kept = out != 0
        assert torch.allclose(out[kept], x[kept] / (1 - p))
        assert abs(1 - kept.double().mean().item() - p) < 0.03
        dout = torch.ones_like(x)
        assert torch.equal(layers.dropout_backward(dout, cache), kept.to(F64) / (1 - p))


def test_dropout_is_identity_in_eval_mode(device):
    x = randn(torch.Generator().manual_seed(9), 3, 4, device=device)
    out, cache = layers.dropout_forward(x, 0.5, False, np.random.default_rng(0))
    assert torch.equal(out, x) and out.data_ptr() != x.data_ptr()
    dout = randn(torch.Generator().manual_seed(10), 3, 4, device=device)
    assert torch.equal(layers.dropout_backward(dout, cache), dout)


def test_penalties(device):
    w = torch.tensor([[-2.0, 0.5, 3.0]], dtype=F64, device=device)
    alpha, r = 0.3, 0.25
    value, dw = regularization.l1_penalty(w, alpha)
    assert value.item() == pytest.approx(alpha * 5.5) and torch.allclose(dw, alpha * torch.sign(w))
    value, dw = regularization.l2_penalty(w, alpha)
    assert value.item() == pytest.approx(alpha / 2 * 13.25) and torch.allclose(dw, alpha * w)
    value, dw = regularization.elastic_net_penalty(w, alpha, r)
    assert value.item() == pytest.approx(r * alpha * 5.5 + (1 - r) * alpha / 2 * 13.25)
    assert torch.allclose(dw, r * alpha * torch.sign(w) + (1 - r) * alpha * w)


def test_optimisers(device):
    w, dw, v = (torch.tensor(a, dtype=F64, device=device) for a in ([1.0, -2.0], [0.5, 0.5], [0.1, 0.0]))
    assert torch.allclose(optim.sgd_step(w, dw, 0.1), torch.tensor([0.95, -2.05], dtype=F64, device=device))
    w_new, v_new = optim.momentum_step(w, dw, v, 0.1, 0.9)
    assert torch.allclose(v_new, torch.tensor([0.09 - 0.05, -0.05], dtype=F64, device=device))
    assert torch.allclose(w_new, w + v_new)


# --- the reference's own promises: dtype, device, inputs untouched, caches reusable ----------

def test_keeps_dtype_and_device_and_leaves_inputs_alone(device):
    gen = torch.Generator().manual_seed(11)
    x = randn(gen, 2, 3, device=device).float()
    w, b = randn(gen, 3, 4, device=device).float(), randn(gen, 4, device=device).float()
    before = x.clone()
    out, cache = layers.affine_forward(x, w, b)
    grads = layers.affine_backward(torch.ones_like(out), cache)
    again = layers.affine_backward(torch.ones_like(out), cache)  # a cache can be asked twice
    assert out.dtype == torch.float32 and out.device.type == device and not out.requires_grad
    assert all(g.dtype == torch.float32 and g.device.type == device for g in grads)
    assert all(torch.equal(g, h) for g, h in zip(grads, again))
    assert torch.equal(x, before) and x.grad is None and not x.requires_grad


def test_backward_works_under_no_grad(device):
    x = randn(torch.Generator().manual_seed(12), 2, 3, device=device)
    with torch.no_grad():
        out, cache = activations.tanh_forward(x)
        dx = activations.tanh_backward(torch.ones_like(out), cache)
    assert torch.allclose(dx, 1 - torch.tanh(x) ** 2)


# --- the new sections: residual blocks, autoencoders, the triplet loss, schedules, training ---

def _linear(a, b, device):
    return nn.Linear(a, b).to(device=device, dtype=F64)


def test_residual_block_matches_linear_layers(device):
    gen = torch.Generator().manual_seed(21)
    first, second = _linear(5, 3, device), _linear(3, 5, device)
    x = randn(gen, 4, 5, device=device)
    xl = leaf(x)
    expected = xl + second(torch.relu(first(xl)))
    out, cache = resnet.residual_forward(x, first.weight.detach().T, first.bias.detach(),
                                         second.weight.detach().T, second.bias.detach())
    assert_close(out, expected.detach())
    dout = randn(gen, 4, 5, device=device)
    dx, dw1, db1, dw2, db2 = torch_grads(expected, (xl, first.weight, first.bias, second.weight, second.bias), dout)
    for got, want in zip(resnet.residual_backward(dout, cache), (dx, dw1.T, db1, dw2.T, db2)):
        assert_close(got, want, 1e-6)


@pytest.mark.parametrize("activation", ["sigmoid", "tanh", "relu"])
def test_residual_gradient_norms_match_a_module_with_skips(device, activation):
    gen = torch.Generator().manual_seed(22)
    layers_ = [nn.Linear(4, 4, bias=False).to(device=device, dtype=F64) for _ in range(5)]
    act = {"sigmoid": torch.sigmoid, "tanh": torch.tanh, "relu": torch.relu}[activation]
    x = randn(gen, 3, 4, device=device)
    h = x
    for layer in layers_:
        h = h + act(layer(h))
    h.sum().backward()
    expected = torch.stack([layer.weight.grad.norm() for layer in layers_])
    norms = resnet.residual_gradient_norms(x, [layer.weight.detach().T for layer in layers_], activation)
    assert_close(norms, expected, 1e-6)
    if activation == "sigmoid":     # the skip keeps the first layer's gradient where sigmoid fades it
        plain = vanishing.layer_gradient_norms(x, [layer.weight.detach().T for layer in layers_], activation)
        assert norms[0] / norms[-1] > plain[0] / plain[-1]


def test_autoencoder_matches_linear_layers(device):
    gen = torch.Generator().manual_seed(23)
    enc, dec = _linear(6, 2, device), _linear(2, 6, device)
    x = randn(gen, 5, 6, device=device)
    xl = leaf(x)
    expected = dec(torch.tanh(enc(xl)))
    params = (enc.weight.detach().T, enc.bias.detach(), dec.weight.detach().T, dec.bias.detach())
    recon, cache = autoencoder.autoencoder_forward(x, *params)
    assert_close(recon, expected.detach())
    assert_close(autoencoder.encode(x, *params[:2]), torch.tanh(enc(x)).detach())
    dout = randn(gen, 5, 6, device=device)
    grads = torch_grads(expected, (xl, enc.weight, enc.bias, dec.weight, dec.bias), dout)
    for got, want in zip(autoencoder.autoencoder_backward(dout, cache),
                         (grads[0], grads[1].T, grads[2], grads[3].T, grads[4])):
        assert_close(got, want, 1e-6)


def test_triplet_loss_matches_pairwise_distance(device):
    gen = torch.Generator().manual_seed(24)
    a, p, n = (leaf(randn(gen, 6, 3, device=device)) for _ in range(3))
    margin = 0.5
    d = F.pairwise_distance(a, p, eps=0) ** 2 - F.pairwise_distance(a, n, eps=0) ** 2 + margin
    expected = torch.relu(d).mean()
    loss, *grads = layers.triplet_loss(a.detach(), p.detach(), n.detach(), margin)
    assert_close(loss, expected.detach())
    for got, want in zip(grads, torch.autograd.grad(expected, (a, p, n))):
        assert_close(got, want, 1e-6)
    assert (d <= 0).any() and (d > 0).any()     # both sides of the hinge were exercised


def test_schedules_match_torch_schedulers():
    params = [torch.zeros(1, requires_grad=True)]
    step_opt, exp_opt = torch.optim.SGD(params, lr=0.3), torch.optim.SGD(params, lr=0.3)
    step = torch.optim.lr_scheduler.StepLR(step_opt, step_size=4, gamma=0.25)
    expo = torch.optim.lr_scheduler.ExponentialLR(exp_opt, gamma=float(np.exp(-0.1)))
    for epoch in range(15):
        assert optim.lr_step_decay(0.3, epoch, 0.25, 4) == pytest.approx(step_opt.param_groups[0]["lr"], rel=1e-12)
        assert optim.lr_exponential_decay(0.3, epoch, 0.1) == pytest.approx(exp_opt.param_groups[0]["lr"], rel=1e-12)
        step_opt.step(), exp_opt.step(), step.step(), expo.step()


@pytest.mark.parametrize("n, size", [(10, 3), (12, 4), (7, 10), (5, 1)])
def test_minibatches_cut_numpys_permutation(n, size):
    batches = optim.minibatches(n, size, np.random.default_rng(5))
    order = np.random.default_rng(5).permutation(n)
    assert [b.tolist() for b in batches] == [order[i:i + size].tolist() for i in range(0, n, size)]
    seeded = optim.minibatches(n, size, torch.Generator().manual_seed(5))   # the grader's stand-in
    assert [b.tolist() for b in seeded] == [b.tolist() for b in batches]


def test_predict_and_train_classifier_reach_the_grade(device):
    from tutor import digits

    X, y = (torch.as_tensor(a, device=device) for a in digits.train_split())
    Xh, yh = (torch.as_tensor(a, device=device) for a in digits.held_out_split())
    W1, b1, W2, b2 = train.train_classifier(X, y, 32, 10, 15, 0.8, 100, np.random.default_rng(0))
    assert W1.shape == (64, 32) and b2.shape == (10,) and W1.device.type == device
    predicted = train.predict(Xh, W1, b1, W2, b2)
    assert torch.equal(predicted, (torch.relu(Xh @ W1 + b1) @ W2 + b2).argmax(1))
    assert (predicted == yh).double().mean().item() >= 0.9
