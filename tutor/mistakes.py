"""Known mistakes: the wrong answers the lessons and hints predict, each with its own words.

Rule data, read by the engine (tutor/engine/judge.py) when a returned value is wrong: a
mistake predicts, from a case's inputs, the value a learner who made it would return; when
the learner's value is that one, the report names the mistake instead of a bare relative
error. Keyed by exercise id like the manifest (kept beside it, not in its entries, so that
the manifest stays one entry per exercise); every predicted value is computed here, in the
trusted parent, with NumPy only.

`predict(inputs)` gets the case's keyword arguments (the backward's upstream gradient as
"dout", no rng) and returns {output name: wrong value}; the message may use {got} and
{expected} (that output's values, for single numbers).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np


@dataclass(frozen=True)
class Mistake:
    name: str
    predict: Callable[[dict], dict]
    message: str


# -- predictions -------------------------------------------------------------------------------

def _pairs(sizes):
    return list(zip(sizes, sizes[1:]))


def _kernel(size):
    return (size, size) if isinstance(size, (int, np.integer)) else tuple(size)


def _correlate(image, kernel):
    kh, kw = kernel.shape
    rows, cols = image.shape[0] - kh + 1, image.shape[1] - kw + 1
    return np.array([[np.sum(image[i:i + kh, j:j + kw] * kernel) for j in range(cols)] for i in range(rows)])


def _conv(x, w, b, stride=1, pad=0):
    x = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    n, _, height, width = x.shape
    f, _, kh, kw = w.shape
    rows, cols = (height - kh) // stride + 1, (width - kw) // stride + 1
    out = np.zeros((n, f, rows, cols))
    for i in range(rows):
        for j in range(cols):
            window = x[:, :, i * stride:i * stride + kh, j * stride:j * stride + kw]
            out[:, :, i, j] = np.einsum("nchw,fchw->nf", window, w) + b
    return out


def _batchnorm(x, gamma, beta, eps=1e-5, ddof=0, eps_outside=False):
    mean = x.mean(axis=0)
    std = x.std(axis=0, ddof=ddof) + eps if eps_outside else np.sqrt(x.var(axis=0, ddof=ddof) + eps)
    return gamma * (x - mean) / std + beta


def _vgg(num_classes, biases=True):
    total, channels = 0, 3
    for filters in (64, 64, 128, 128, 256, 256, 256, 512, 512, 512, 512, 512, 512):
        total += channels * filters * 9 + (filters if biases else 0)
        channels = filters
    for a, b in ((512 * 7 * 7, 4096), (4096, 4096), (4096, num_classes)):
        total += a * b + (b if biases else 0)
    return total


def _sigmoid(x):
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, 1 / (1 + e), e / (1 + e))


def _softmax(z, axis):
    e = np.exp(z - z.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


_SLOPES = {"sigmoid": (_sigmoid, lambda h: h * (1 - h)), "tanh": (np.tanh, lambda h: 1 - h ** 2),
           "relu": (lambda a: np.maximum(a, 0), lambda h: (h > 0) * 1.0)}


def _gradient_norms(x, weights, activation):
    """vanishing.layer_gradient_norms, last layer first (what a learner gets by not reversing)."""
    act, slope = _SLOPES[activation]
    hs = [x]
    for w in weights:
        hs.append(act(hs[-1] @ w))
    dh, norms = np.ones_like(hs[-1]), []
    for layer in reversed(range(len(weights))):
        dz = dh * slope(hs[layer + 1])
        norms.append(np.linalg.norm(hs[layer].T @ dz))
        dh = dz @ weights[layer].T
    return np.array(norms)


def _mse_over_batch(pred, y):
    diff = pred - y
    n = len(pred)
    return {"loss": np.sum(diff ** 2) / n, "dpred": 2 * diff / n}


def _two_layer_pre_activation(i):
    """two_layer_backward with σ' taken from the pre-activation z2 instead of the output."""
    h = _sigmoid(i["X"] @ i["W1"])
    z2 = h @ i["w2"]
    dz2 = i["dout"] * z2 * (1 - z2)
    dz1 = np.outer(dz2, i["w2"]) * h * (1 - h)
    return {"dX": dz1 @ i["W1"].T, "dW1": i["X"].T @ dz1, "dw2": h.T @ dz2}


def _step_without_tanh(i, da=None):
    """rnn_step_backward without undoing the tanh: da = dh_next."""
    da = i["dout"] if da is None else da
    return {"dx": da @ i["Wx"].T, "dh_prev": da @ i["Wh"].T, "dWx": i["x"].T @ da, "dWh": i["h_prev"].T @ da,
            "db": da.sum(axis=0)}


def _rnn_without_carry(i):
    """rnn_backward where each step gets only dh[:, t], not the gradient carried from step t + 1."""
    x, h, Wx, Wh, b = i["x"], i["h0"], i["Wx"], i["Wh"], i["b"]
    states = [h]
    for t in range(x.shape[1]):
        states.append(np.tanh(x[:, t] @ Wx + states[-1] @ Wh + b))
    dx, dWx, dWh, db = np.zeros_like(x), np.zeros_like(Wx), np.zeros_like(Wh), np.zeros_like(b)
    dh_prev = None
    for t in reversed(range(x.shape[1])):
        da = i["dout"][:, t] * (1 - states[t + 1] ** 2)
        dx[:, t] = da @ Wx.T
        dWx, dWh, db = dWx + x[:, t].T @ da, dWh + states[t].T @ da, db + da.sum(axis=0)
        dh_prev = da @ Wh.T
    return {"dx": dx, "dh0": dh_prev, "dWx": dWx, "dWh": dWh, "db": db}


MISTAKES: dict[str, tuple[Mistake, ...]] = {
    "param_count.dense_params": (
        Mistake("weights only", lambda i: {"count": sum(a * b for a, b in _pairs(i["layer_sizes"]))},
                "you counted the weights but forgot the biases, the most common mistake here ({got} instead of "
                "{expected}): every layer after the input has one bias per unit"),
        Mistake("a bias for the input too", lambda i: {"count": sum(a * b for a, b in _pairs(i["layer_sizes"]))
                                                                + sum(i["layer_sizes"])},
                "you gave the input units biases too ({got} instead of {expected}): only the layers after the "
                "input have biases"),
    ),
    "param_count.conv2d_params": (
        Mistake("weights only", lambda i: {"count": i["out_channels"] * i["in_channels"]
                                                    * np.prod(_kernel(i["kernel_size"]))},
                "you forgot the biases ({got} instead of {expected}): one per output channel"),
        Mistake("a square of the first side", lambda i: {"count": i["out_channels"] * (
            i["in_channels"] * _kernel(i["kernel_size"])[0] ** 2 + 1)},
                "you squared the kernel's first side ({got} instead of {expected}): a (kh, kw) kernel has kh · kw "
                "weights per input channel"),
        Mistake("a bias per input channel", lambda i: {"count": i["out_channels"] * i["in_channels"]
                                                                * np.prod(_kernel(i["kernel_size"])) + i["in_channels"]},
                "you gave one bias per input channel ({got} instead of {expected}): there is one per output channel"),
    ),
    "param_count.rnn_params": (
        Mistake("no Wh", lambda i: {"count": i["input_size"] * i["hidden_size"] + i["hidden_size"]
                                             + i["hidden_size"] * i["output_size"] + i["output_size"]},
                "you left out the recurrent weights Wh, hidden_size × hidden_size ({got} instead of {expected})"),
        Mistake("no biases", lambda i: {"count": i["input_size"] * i["hidden_size"] + i["hidden_size"] ** 2
                                                 + i["hidden_size"] * i["output_size"]},
                "you forgot the biases b and by ({got} instead of {expected})"),
        Mistake("no read-out", lambda i: {"count": i["input_size"] * i["hidden_size"] + i["hidden_size"] ** 2
                                                   + i["hidden_size"]},
                "you counted the recurrence only ({got} instead of {expected}): add the read-out Wy and by"),
    ),
    "param_count.vgg16_params": (
        Mistake("no biases", lambda i: {"count": _vgg(i.get("num_classes", 1000), biases=False)},
                "you counted the weights but forgot every bias ({got} instead of {expected})"),
        Mistake("512 features", lambda i: {"count": _vgg(i.get("num_classes", 1000)) - 512 * 48 * 4096},
                "your first dense layer sees 512 inputs ({got} instead of {expected}): five poolings leave "
                "7 × 7 × 512 = 25,088 features"),
    ),
    "backprop.xyz_backward": (
        Mistake("no chain", lambda i: {"dx": np.ones_like(np.asarray(i["x"], float)),
                                       "dy": np.ones_like(np.asarray(i["y"], float))},
                "your dx and dy are the add gate's local slope 1 without the chain rule: multiply by the "
                "upstream gradient (dq = df · z, then dx = dy = dq)"),
        Mistake("no df", lambda i: {"dx": np.asarray(i["z"], float) + 0 * i["dout"],
                                    "dy": np.asarray(i["z"], float) + 0 * i["dout"],
                                    "dz": np.asarray(i["x"] + i["y"], float) + 0 * i["dout"]},
                "you left out the upstream gradient df: multiply every local derivative by it (df is not "
                "always 1)"),
        Mistake("q for z", lambda i: {"dx": i["dout"] * (i["x"] + i["y"])},
                "your dx uses q = x + y where the multiply gate gives z: ∂f/∂q is z (a multiply gate swaps "
                "its inputs)"),
    ),
    "backprop.two_layer_backward": (
        Mistake("sigma' of the pre-activation", _two_layer_pre_activation,
                "you took the output sigmoid's derivative from its input z: σ'(z) = σ(z)(1 − σ(z)) uses the "
                "output, dz2 = dout · out · (1 − out)"),
    ),
    "rnn.rnn_step_backward": (
        Mistake("tanh not undone", _step_without_tanh,
                "you did not undo the tanh: first da = dh_next · (1 − h_next²), then the affine gradients"),
    ),
    "rnn.rnn_backward": (
        Mistake("no carry", _rnn_without_carry,
                "each step got only dh[:, t]: add the gradient carried back from step t + 1 (dh[:, t] + dh_prev)"),
    ),
    "layers.batchnorm_forward": (
        Mistake("unbiased variance", lambda i: {"out": _batchnorm(i["x"], i["gamma"], i["beta"], i.get("eps", 1e-5),
                                                                  ddof=1)},
                "you used the unbiased variance (divided by N − 1): training-mode batch norm divides by N "
                "(np.var's default, ddof=0)"),
        Mistake("eps outside the root", lambda i: {"out": _batchnorm(i["x"], i["gamma"], i["beta"],
                                                                     i.get("eps", 1e-5), eps_outside=True)},
                "you added eps to the standard deviation: it belongs inside the square root, √(σ² + ε)"),
        Mistake("over the rows", lambda i: {"out": _batchnorm(i["x"].T, 1.0, 0.0, i.get("eps", 1e-5)).T
                                                   * i["gamma"] + i["beta"]},
                "you normalised each sample (row) over the features: batch norm normalises every feature "
                "(column) over the batch, axis 0"),
    ),
    "cnn.convolve2d": (
        Mistake("flipped kernel", lambda i: {"out": _correlate(i["image"], i["kernel"][::-1, ::-1])},
                "you flipped the kernel (a mathematical convolution): here, as in deep-learning libraries, "
                "convolution means cross-correlation, with the kernel as it is"),
    ),
    "cnn.conv_forward": (
        Mistake("flipped kernel", lambda i: {"out": _conv(i["x"], i["w"][:, :, ::-1, ::-1], i["b"],
                                                          i.get("stride", 1), i.get("pad", 0))},
                "you flipped the kernels (a mathematical convolution): conv_forward is a cross-correlation, "
                "like torch.nn.functional.conv2d"),
    ),
    "optim.momentum_step": (
        Mistake("uphill velocity", lambda i: {"w_new": i["w"] - (i["mu"] * i["v"] + i["lr"] * i["dw"]),
                                              "v_new": i["mu"] * i["v"] + i["lr"] * i["dw"]},
                "you used the variant v′ = μv + η∇, w′ = w − v′ (v pointing uphill): the exercise uses the "
                "lecture's v′ = μv − η∇, w′ = w + v′"),
        Mistake("learning rate outside", lambda i: {"w_new": i["w"] - i["lr"] * (i["mu"] * i["v"] + i["dw"])},
                "you used the variant v′ = μv + ∇, w′ = w − ηv′ (η outside): the exercise uses the lecture's "
                "v′ = μv − η∇, w′ = w + v′"),
    ),
    "layers.mse_loss": (
        Mistake("one half", lambda i: {"loss": 0.5 * np.mean((i["pred"] - i["y"]) ** 2)},
                "you used ½ · mean (one deck's convention): the exercise's mse_loss is the mean of the squares, "
                "with no ½"),
        Mistake("mean over the batch", lambda i: _mse_over_batch(i["pred"], i["y"]),
                "you divided by the batch size only: the mean runs over every element (diff.size)"),
    ),
    "optim.sgd_step": (
        Mistake("uphill", lambda i: {"w": i["w"] + i["lr"] * i["dw"]},
                "you stepped uphill (w + lr · dw): the gradient points uphill, so step against it, w − lr · dw"),
    ),
    "rnn.softmax": (
        Mistake("first axis", lambda i: {"out": _softmax(i["z"], 0)},
                "you normalised along the first axis: softmax runs along the last axis (axis=-1), one "
                "distribution per row"),
    ),
    "vanishing.layer_gradient_norms": (
        Mistake("last layer first", lambda i: {"norms": _gradient_norms(i["x"], i["weights"], i["activation"])},
                "your norms are in reverse order, the last layer first: reverse the list so the first layer "
                "comes first"),
    ),
    "regularization.elastic_net_penalty": (
        Mistake("r swapped", lambda i: {"value": (1 - i["r"]) * i["alpha"] * np.abs(i["w"]).sum()
                                        + i["r"] * i["alpha"] / 2 * np.sum(i["w"] ** 2)},
                "you swapped r and 1 − r: r weights the L1 part, 1 − r the L2 part"),
        Mistake("alpha on L1 only", lambda i: {"value": i["r"] * i["alpha"] * np.abs(i["w"]).sum()
                                               + (1 - i["r"]) / 2 * np.sum(i["w"] ** 2),
                                               "dw": i["r"] * i["alpha"] * np.sign(i["w"]) + (1 - i["r"]) * i["w"]},
                "alpha multiplies both parts: you left it off the L2 part"),
    ),
    "perceptron.step": (
        Mistake("step(0) = 1", lambda i: {"out": (np.asarray(i["z"]) >= 0).astype(float)},
                "step(0) must be 0: the threshold is strict (z > 0), not z >= 0"),
    ),
    "activations.leaky_relu_forward": (
        Mistake("alpha fixed", lambda i: {"out": np.where(i["x"] > 0, i["x"], 0.01 * i["x"])},
                "you used the default slope 0.01 instead of the alpha you were given"),
    ),
    "activations.leaky_relu_backward": (
        Mistake("alpha fixed", lambda i: {"dx": i["dout"] * np.where(i["x"] > 0, 1.0, 0.01)},
                "your backward uses the default slope 0.01: keep the forward's alpha in the cache"),
    ),
    "activations.elu_forward": (
        Mistake("alpha outside", lambda i: {"out": np.where(i["x"] >= 0, i["x"],
                                                            i.get("alpha", 1.0) * np.exp(np.minimum(i["x"], 0)) - 1)},
                "alpha multiplies the whole bracket: alpha · (eˣ − 1), not alpha · eˣ − 1"),
    ),
    "activations.elu_backward": (
        Mistake("alpha fixed", lambda i: {"dx": i["dout"] * np.where(i["x"] >= 0, 1.0, np.exp(np.minimum(i["x"], 0)))},
                "your backward uses alpha = 1: keep the forward's alpha in the cache"),
    ),
    "activations.tanh_backward": (
        Mistake("tanh not squared", lambda i: {"dx": i["dout"] * (1 - np.tanh(i["x"]))},
                "tanh′(x) is 1 − tanh(x)², not 1 − tanh(x): square it"),
        Mistake("tanh of the output", lambda i: {"dx": i["dout"] * (1 - np.tanh(np.tanh(i["x"])) ** 2)},
                "you took tanh of the forward's output again: with out = tanh(x) cached, dx = dout · (1 − out²)"),
    ),
    "activations.sigmoid_backward": (
        Mistake("sigma(1 - x)", lambda i: {"dx": i["dout"] * _sigmoid(i["x"]) * (1 - i["x"])},
                "σ′(x) is σ(x) · (1 − σ(x)): you used 1 − x instead of 1 − σ(x)"),
        Mistake("sigmoid of the output", lambda i: {"dx": i["dout"] * _sigmoid(_sigmoid(i["x"]))
                                                    * (1 - _sigmoid(_sigmoid(i["x"])))},
                "you applied σ to the forward's output again: with out = σ(x) cached, dx = dout · out · (1 − out)"),
    ),
    "regularization.l2_penalty": (
        Mistake("no half", lambda i: {"value": i["alpha"] * np.sum(i["w"] ** 2)},
                "the L2 penalty here is alpha / 2 · Σw² (the ½ makes its gradient alpha · w): you left out the ½"),
    ),
}


def predicted(exercise_id: str, inputs: dict, output: str) -> list[tuple[Mistake, np.ndarray]]:
    """The wrong values the known mistakes of an exercise predict for one output (those that apply)."""
    found = []
    for mistake in MISTAKES.get(exercise_id, ()):
        try:
            with np.errstate(all="ignore"):      # a mistake may overflow where the right answer does not
                values = mistake.predict(inputs)
        except Exception:  # noqa: BLE001 - a mistake that does not apply to this case's inputs
            continue
        if output in values:
            found.append((mistake, np.asarray(values[output], dtype=np.float64)))
    return found


def match(exercise_id: str, inputs: dict, output: str, got: np.ndarray, expected: np.ndarray,
          rtol: float) -> Mistake | None:
    """The known mistake `got` is the result of (its message filled in), or None."""
    from tutor.engine.compare import agrees

    for mistake, value in predicted(exercise_id, inputs, output):
        if value.shape != np.shape(expected) or agrees(value, expected, rtol):
            continue      # on this case the mistake gives the right answer: it says nothing
        if agrees(np.asarray(got, dtype=np.float64).reshape(value.shape) if np.size(got) == value.size else got,
                  value, max(rtol, 1e-9)):
            return Mistake(mistake.name, mistake.predict, mistake.message.format(got=number(got), expected=number(expected)))
    return None


def number(value) -> str:
    value = np.asarray(value)
    if value.size == 1:
        item = float(value.reshape(()))
        return f"{int(item):,}" if item.is_integer() else f"{item:.6g}"
    return "the values shown"
