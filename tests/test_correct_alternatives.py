"""Correct answers written differently from solutions/ get full marks.

The grader compares results, never code: a loop instead of a vectorised expression,
einsum instead of @, a dict for a cache, another (equally stable) formula, the other
one-sided derivative at a kink, must all pass. Each alternative replaces functions of
solutions/<module>.py; every exercise of that module must keep full marks.
"""
import pathlib
import sys
from dataclasses import dataclass

import pytest

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))  # tests/planted_bugs, any import mode
from planted_bugs import functions, patched_source  # noqa: E402
from tutor.engine import Grader  # noqa: E402
from tutor.manifest import select  # noqa: E402


@dataclass(frozen=True)
class Alternative:
    module: str
    description: str
    source: str


ALTERNATIVES = [
    # --- perceptron ------------------------------------------------------------------------------
    Alternative("perceptron", "np.heaviside step, loop-free predict, enumerate-based training", """
        def step(z):
            return np.heaviside(np.asarray(z, dtype=float), 0.0)

        def perceptron_predict(X, w, b):
            return np.where(np.einsum("nd,d->n", X, w) + b > 0, 1.0, 0.0)

        def perceptron_train(X, y, lr=1.0, epochs=10):
            w = np.zeros(X.shape[1])
            b = 0.0
            for epoch in range(epochs):
                for i in range(len(X)):
                    error = y[i] - (1.0 if X[i].dot(w) + b > 0 else 0.0)
                    if error:
                        w = w + lr * error * X[i]
                        b += lr * error
            return w, b

        def sigmoid_neuron(X, w, b):
            return 0.5 * (1 + np.tanh(0.5 * (X @ w + b)))
        """),
    # --- backprop --------------------------------------------------------------------------------
    Alternative("backprop", "dict caches and a sigmoid via tanh", """
        def xyz_forward(x, y, z):
            q = np.add(x, y)
            return np.multiply(q, z), {"q": q, "z": z}

        def xyz_backward(df, cache):
            dq = df * cache["z"]
            return dq, dq.copy() if hasattr(dq, "copy") else dq, df * cache["q"]

        def two_layer_forward(X, W1, w2):
            sig = lambda a: 0.5 * (1 + np.tanh(a / 2))
            h = sig(X @ W1)
            out = sig(h @ w2)
            return out, {"X": X, "W1": W1, "w2": w2, "h": h, "out": out}

        def two_layer_backward(dout, cache):
            c = cache
            dz2 = dout * c["out"] * (1 - c["out"])
            dh = dz2[:, None] * c["w2"][None, :]
            dz1 = dh * c["h"] * (1 - c["h"])
            return dz1 @ c["W1"].T, np.einsum("nd,nh->dh", c["X"], dz1), np.einsum("nh,n->h", c["h"], dz2)
        """),
    # --- layers: affine --------------------------------------------------------------------------
    Alternative("layers", "einsum affine layer with a dict cache", """
        def affine_forward(x, w, b):
            return np.einsum("nd,dm->nm", x, w) + b, {"x": x, "w": w}

        def affine_backward(dout, cache):
            x, w = cache["x"], cache["w"]
            return np.einsum("nm,dm->nd", dout, w), np.einsum("nd,nm->dm", x, dout), np.einsum("nm->m", dout)
        """),
    # --- layers: losses ------------------------------------------------------------------------------
    Alternative("layers", "logsumexp cross-entropy, mse with np.square and np.average", """
        def mse_loss(pred, y):
            diff = np.subtract(pred, y)
            return float(np.average(np.square(diff))), np.multiply(2.0 / np.size(diff), diff)

        def softmax_cross_entropy(scores, y):
            N = scores.shape[0]
            m = np.max(scores, axis=1, keepdims=True)
            lse = m + np.log(np.sum(np.exp(scores - m), axis=1, keepdims=True))
            loss = np.sum(lse[:, 0] - scores[np.arange(N), y]) / N
            one_hot = np.zeros_like(scores)
            one_hot[np.arange(N), y] = 1.0
            return loss, (np.exp(scores - lse) - one_hot) / N
        """),
    # --- layers: dropout -----------------------------------------------------------------------------
    Alternative("layers", "dropout with rng.binomial and the train flag kept in a dict", """
        def dropout_forward(x, p, train, rng):
            if not train:
                return np.array(x, copy=True), {"train": False}
            keep = rng.binomial(1, 1 - p, size=x.shape)
            return x * keep / (1 - p), {"train": True, "keep": keep, "p": p}

        def dropout_backward(dout, cache):
            if not cache["train"]:
                return dout * 1.0
            return dout * cache["keep"] / (1 - cache["p"])
        """),
    # --- layers: batch norm ----------------------------------------------------------------------------
    Alternative("layers", "batch norm backward through the staged graph (mean, centre, var, std)", """
        def batchnorm_forward(x, gamma, beta, eps=1e-5):
            N = x.shape[0]
            mu = np.sum(x, axis=0) / N
            xc = x - mu
            var = np.sum(xc ** 2, axis=0) / N
            std = np.sqrt(var + eps)
            inv = 1.0 / std
            x_hat = xc * inv
            return gamma * x_hat + beta, dict(xc=xc, std=std, inv=inv, x_hat=x_hat, gamma=gamma, N=N)

        def batchnorm_backward(dout, cache):
            c = cache
            dbeta = dout.sum(axis=0)
            dgamma = np.sum(dout * c["x_hat"], axis=0)
            dx_hat = dout * c["gamma"]
            dinv = np.sum(dx_hat * c["xc"], axis=0)
            dxc = dx_hat * c["inv"]
            dstd = -dinv / c["std"] ** 2
            dvar = 0.5 * dstd / c["std"]
            dxc += 2.0 * c["xc"] * dvar / c["N"]
            dx = dxc - np.sum(dxc, axis=0) / c["N"]
            return dx, dgamma, dbeta
        """),
    # --- optim ---------------------------------------------------------------------------------------------
    Alternative("optim", "np.subtract and np.add with explicit new arrays", """
        def sgd_step(w, dw, lr):
            return np.subtract(w, np.multiply(lr, dw))

        def momentum_step(w, dw, v, lr, mu):
            v_new = np.multiply(mu, v)
            v_new = v_new - lr * dw
            return np.add(w, v_new), v_new
        """),
    # --- activations -------------------------------------------------------------------------------------
    Alternative("activations", "stable two-branch sigmoid with masks, tanh via 2σ(2x) − 1, dict caches", """
        def _sigmoid(x):
            out = np.empty_like(x, dtype=float)
            pos = x >= 0
            out[pos] = 1.0 / (1.0 + np.exp(-x[pos]))
            e = np.exp(x[~pos])
            out[~pos] = e / (1.0 + e)
            return out

        def sigmoid_forward(x):
            s = _sigmoid(x)
            return s, {"s": s}

        def sigmoid_backward(dout, cache):
            s = cache["s"]
            return dout * (s - s * s)

        def tanh_forward(x):
            t = 2.0 * _sigmoid(2.0 * x) - 1.0
            return t, {"t": t}

        def tanh_backward(dout, cache):
            return dout * (1.0 - np.square(cache["t"]))
        """),
    Alternative("activations", "the other one-sided derivative at the kinks, maximum-based leaky ReLU", """
        def relu_forward(x):
            return x * (x > 0), x

        def relu_backward(dout, cache):
            return np.where(cache >= 0, dout, 0.0)

        def leaky_relu_forward(x, alpha=0.01):
            return np.maximum(x, alpha * x), (x, alpha)

        def leaky_relu_backward(dout, cache):
            x, alpha = cache
            return dout * np.where(x >= 0, 1.0, alpha)

        def elu_forward(x, alpha=1.0):
            out = x.astype(float)
            neg = x <= 0
            out[neg] = alpha * np.expm1(x[neg])
            return out, (out, neg, alpha)

        def elu_backward(dout, cache):
            out, neg, alpha = cache
            # left of 0 the slope is alpha·eˣ = out + alpha, taken at 0 too: the left derivative
            return dout * np.where(neg, out + alpha, 1.0)
        """),
    # --- initialization ------------------------------------------------------------------------------------
    Alternative("initialization", "standard normal scaled by the std", """
        def xavier_normal(n_in, n_out, rng):
            return rng.standard_normal((n_in, n_out)) * (2.0 / (n_in + n_out)) ** 0.5
        """),
    # --- vanishing ----------------------------------------------------------------------------------------
    Alternative("vanishing", "derivatives from the pre-activations, norms via sqrt of sums", """
        def layer_gradient_norms(x, weights, activation):
            def act(a):
                if activation == "sigmoid":
                    return 0.5 * (1 + np.tanh(a / 2))
                if activation == "tanh":
                    return np.tanh(a)
                return np.maximum(a, 0)

            def slope(a):
                if activation == "sigmoid":
                    s = act(a)
                    return s * (1 - s)
                if activation == "tanh":
                    return 1 / np.cosh(a) ** 2
                return (a > 0) * 1.0

            inputs, pre = [], []
            h = x
            for W in weights:
                inputs.append(h)
                pre.append(h @ W)
                h = act(pre[-1])
            grad = np.ones_like(h)
            result = [0.0] * len(weights)
            for l in range(len(weights) - 1, -1, -1):
                da = grad * slope(pre[l])
                result[l] = np.sqrt(np.sum((inputs[l].T @ da) ** 2))
                grad = da @ weights[l].T
            return np.asarray(result)
        """),
    # --- param_count ---------------------------------------------------------------------------------------
    Alternative("param_count", "closed forms and an explicit VGG16 layer list", """
        def dense_params(layer_sizes):
            sizes = list(layer_sizes)
            return int(np.dot(sizes[:-1], sizes[1:]) + sum(sizes[1:]))

        def conv2d_params(in_channels, out_channels, kernel_size):
            if np.ndim(kernel_size) == 0:
                kernel_size = (kernel_size, kernel_size)
            return (int(np.prod(kernel_size)) * in_channels + 1) * out_channels

        def rnn_params(input_size, hidden_size, output_size):
            return (input_size + hidden_size + 1) * hidden_size + (hidden_size + 1) * output_size

        def vgg16_params(num_classes=1000):
            convs = [(3, 64), (64, 64), (64, 128), (128, 128), (128, 256), (256, 256), (256, 256),
                     (256, 512), (512, 512), (512, 512), (512, 512), (512, 512), (512, 512)]
            total = sum(9 * a * b + b for a, b in convs)
            for a, b in [(25088, 4096), (4096, 4096), (4096, num_classes)]:
                total += a * b + b
            return total
        """),
    # --- rnn ---------------------------------------------------------------------------------------------------
    Alternative("rnn", "dict caches, BPTT over a list of states, softmax via logsumexp", """
        def rnn_step_forward(x, h_prev, Wx, Wh, b):
            h_next = np.tanh(np.einsum("nd,dh->nh", x, Wx) + h_prev @ Wh + b)
            return h_next, {"x": x, "h_prev": h_prev, "Wx": Wx, "Wh": Wh, "h_next": h_next}

        def rnn_step_backward(dh_next, cache):
            c = cache
            da = dh_next * (1 - c["h_next"] * c["h_next"])
            return (da @ c["Wx"].T, da @ c["Wh"].T, c["x"].T @ da, c["h_prev"].T @ da,
                    np.sum(da, axis=0))

        def rnn_forward(x, h0, Wx, Wh, b):
            states, caches = [], []
            h = h0
            for t in range(x.shape[1]):
                h, c = rnn_step_forward(x[:, t, :], h, Wx, Wh, b)
                states.append(h)
                caches.append(c)
            return np.stack(states, axis=1), {"steps": caches, "D": x.shape[2]}

        def rnn_backward(dh, cache):
            N, T, H = dh.shape
            dx = np.zeros((N, T, cache["D"]))
            grads = None
            carry = np.zeros((N, H))
            for t in range(T - 1, -1, -1):
                dx_t, carry, *weights = rnn_step_backward(dh[:, t, :] + carry, cache["steps"][t])
                dx[:, t, :] = dx_t
                grads = weights if grads is None else [g + w for g, w in zip(grads, weights)]
            return (dx, carry, *grads)

        def softmax(z):
            m = np.max(z, axis=-1, keepdims=True)
            lse = m + np.log(np.sum(np.exp(z - m), axis=-1, keepdims=True))
            return np.exp(z - lse)
        """),
    # --- regularization ------------------------------------------------------------------------------------------
    Alternative("regularization", "one-sided subgradient of |w| at 0, penalties written out", """
        def l1_penalty(w, alpha):
            return alpha * np.abs(w).sum(), np.where(w > 0, alpha, -alpha)

        def l2_penalty(w, alpha):
            return 0.5 * alpha * np.vdot(w, w), alpha * w

        def elastic_net_penalty(w, alpha, r):
            value = alpha * (r * np.abs(w).sum() + (1 - r) * 0.5 * np.sum(w * w))
            grad = alpha * (r * np.sign(w) + (1 - r) * w)
            return value, grad
        """),
    # --- cnn -----------------------------------------------------------------------------------------------------
    Alternative("cnn", "plain loops everywhere (no vectorisation at all)", """
        def convolve2d(image, kernel):
            H, W = image.shape
            kh, kw = kernel.shape
            out = np.zeros((H - kh + 1, W - kw + 1))
            for i in range(H - kh + 1):
                for j in range(W - kw + 1):
                    total = 0.0
                    for a in range(kh):
                        for c in range(kw):
                            total += image[i + a, j + c] * kernel[a, c]
                    out[i, j] = total
            return out

        def conv_forward(x, w, b, stride=1, pad=0):
            N, C, H, W = x.shape
            F, _, HH, WW = w.shape
            xp = np.zeros((N, C, H + 2 * pad, W + 2 * pad))
            xp[:, :, pad:pad + H, pad:pad + W] = x
            Ho, Wo = (H + 2 * pad - HH) // stride + 1, (W + 2 * pad - WW) // stride + 1
            out = np.zeros((N, F, Ho, Wo))
            for n in range(N):
                for f in range(F):
                    for i in range(Ho):
                        for j in range(Wo):
                            window = xp[n, :, i * stride:i * stride + HH, j * stride:j * stride + WW]
                            out[n, f, i, j] = np.sum(window * w[f]) + b[f]
            return out, (xp, w, stride, pad, x.shape)

        def conv_backward(dout, cache):
            xp, w, stride, pad, shape = cache
            N, F, Ho, Wo = dout.shape
            _, _, HH, WW = w.shape
            dxp, dw, db = np.zeros_like(xp), np.zeros_like(w), np.zeros(F)
            for n in range(N):
                for f in range(F):
                    for i in range(Ho):
                        for j in range(Wo):
                            g = dout[n, f, i, j]
                            db[f] += g
                            dw[f] += g * xp[n, :, i * stride:i * stride + HH, j * stride:j * stride + WW]
                            dxp[n, :, i * stride:i * stride + HH, j * stride:j * stride + WW] += g * w[f]
            H, W = shape[2:]
            return dxp[:, :, pad:pad + H, pad:pad + W], dw, db

        def max_pool_forward(x, size=2, stride=2):
            N, C, H, W = x.shape
            Ho, Wo = (H - size) // stride + 1, (W - size) // stride + 1
            out = np.zeros((N, C, Ho, Wo))
            for n in range(N):
                for c in range(C):
                    for i in range(Ho):
                        for j in range(Wo):
                            out[n, c, i, j] = np.max(x[n, c, i * stride:i * stride + size, j * stride:j * stride + size])
            return out, {"x": x, "size": size, "stride": stride}

        def max_pool_backward(dout, cache):
            x, size, stride = cache["x"], cache["size"], cache["stride"]
            dx = np.zeros_like(x)
            N, C, Ho, Wo = dout.shape
            for n in range(N):
                for c in range(C):
                    for i in range(Ho):
                        for j in range(Wo):
                            window = x[n, c, i * stride:i * stride + size, j * stride:j * stride + size]
                            # the LAST maximal entry on ties (solutions/ takes the first)
                            flat = window.size - 1 - np.argmax(window.ravel()[::-1])
                            a, b = divmod(flat, size)
                            dx[n, c, i * stride + a, j * stride + b] += dout[n, c, i, j]
            return dx
        """),
    Alternative("cnn", "scipy-free im2col with col2im by np.add.at, and sliding_window_view", """
        def convolve2d(image, kernel):
            windows = np.lib.stride_tricks.sliding_window_view(image, kernel.shape)
            return np.einsum("ijab,ab->ij", windows, kernel)

        def _im2col_indices(C, H, W, HH, WW, stride):
            Ho, Wo = (H - HH) // stride + 1, (W - WW) // stride + 1
            c = np.repeat(np.arange(C), HH * WW)
            r = np.tile(np.repeat(np.arange(HH), WW), C)
            s = np.tile(np.arange(WW), C * HH)
            rows = r[:, None] + stride * np.repeat(np.arange(Ho), Wo)[None, :]
            cols = s[:, None] + stride * np.tile(np.arange(Wo), Ho)[None, :]
            return c[:, None], rows, cols, Ho, Wo

        def conv_forward(x, w, b, stride=1, pad=0):
            N, C, H, W = x.shape
            F, _, HH, WW = w.shape
            xp = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
            c, rows, cols, Ho, Wo = _im2col_indices(C, H + 2 * pad, W + 2 * pad, HH, WW, stride)
            col = xp[:, c, rows, cols]                        # (N, C*HH*WW, Ho*Wo)
            out = np.einsum("fk,nkp->nfp", w.reshape(F, -1), col) + b[None, :, None]
            return out.reshape(N, F, Ho, Wo), (x.shape, xp.shape, col, w, stride, pad)

        def conv_backward(dout, cache):
            shape, padded, col, w, stride, pad = cache
            N, C, H, W = shape
            F, _, HH, WW = w.shape
            d = dout.reshape(N, F, -1)
            db = d.sum(axis=(0, 2))
            dw = np.einsum("nfp,nkp->fk", d, col).reshape(w.shape)
            dcol = np.einsum("fk,nfp->nkp", w.reshape(F, -1), d)
            c, rows, cols, _, _ = _im2col_indices(C, padded[2], padded[3], HH, WW, stride)
            dxp = np.zeros(padded)
            np.add.at(dxp, (slice(None), c, rows, cols), dcol)
            return dxp[:, :, pad:pad + H, pad:pad + W], dw, db

        def max_pool_forward(x, size=2, stride=2):
            windows = np.lib.stride_tricks.sliding_window_view(x, (size, size), axis=(2, 3))
            windows = windows[:, :, ::stride, ::stride]
            return windows.max(axis=(4, 5)), (x, size, stride)

        def max_pool_backward(dout, cache):
            x, size, stride = cache
            windows = np.lib.stride_tricks.sliding_window_view(x, (size, size), axis=(2, 3))[:, :, ::stride, ::stride]
            N, C, Ho, Wo = dout.shape
            k = windows.reshape(N, C, Ho, Wo, -1).argmax(axis=-1)
            a, b = np.divmod(k, size)
            n, c, i, j = np.indices((N, C, Ho, Wo))
            dx = np.zeros_like(x)
            np.add.at(dx, (n, c, i * stride + a, j * stride + b), dout)
            return dx
        """),
    # --- renamed parameters: the grader passes arguments by position (issue 11) -----------------------
    Alternative("layers", "renamed parameters: affine_forward(X, W, bias), mse_loss(y_pred, y_true), ...", """
        def affine_forward(X, W, bias):
            return X @ W + bias, (X, W)

        def affine_backward(upstream, stash):
            X, W = stash
            return upstream @ W.T, X.T @ upstream, upstream.sum(axis=0)

        def mse_loss(y_pred, y_true):
            diff = y_pred - y_true
            return np.mean(diff ** 2), 2 * diff / diff.size

        def softmax_cross_entropy(logits, labels):
            top = logits.max(axis=1, keepdims=True)
            log_z = top + np.log(np.exp(logits - top).sum(axis=1, keepdims=True))
            log_p = logits - log_z
            n = logits.shape[0]
            grad = np.exp(log_p)
            grad[np.arange(n), labels] -= 1.0
            return float(-log_p[np.arange(n), labels].mean()), grad / n
        """),
    Alternative("layers", "dropout(inputs, drop_prob, training, generator) with a mask from uniform draws", """
        def dropout_forward(inputs, drop_prob, training, generator):
            if not training:
                return inputs.copy(), {"mask": None}
            mask = (generator.uniform(0.0, 1.0, size=inputs.shape) >= drop_prob) / (1.0 - drop_prob)
            return inputs * mask, {"mask": mask}

        def dropout_backward(upstream, stash):
            return upstream.copy() if stash["mask"] is None else upstream * stash["mask"]
        """),
    Alternative("initialization", "xavier_normal(fan_in, fan_out, generator): standard normal samples, scaled", """
        def xavier_normal(fan_in, fan_out, generator):
            return generator.standard_normal((fan_in, fan_out)) * (2.0 / (fan_in + fan_out)) ** 0.5
        """),
    Alternative("perceptron", "perceptron_train(inputs, targets, eta=1.0, n_epochs=10): renamed defaults", """
        def perceptron_train(inputs, targets, eta=1.0, n_epochs=10):
            weights, bias = np.zeros(inputs.shape[1]), 0.0
            for _ in range(n_epochs):
                for row, target in zip(inputs, targets):
                    error = target - (1.0 if row @ weights + bias > 0 else 0.0)
                    weights = weights + eta * error * row
                    bias = bias + eta * error
            return weights, bias
        """),
    Alternative("rnn", "rnn_step_forward(x_t, h, W_xh, W_hh, bias) and a renamed rnn_forward", """
        def rnn_step_forward(x_t, h, W_xh, W_hh, bias):
            h_next = np.tanh(x_t @ W_xh + h @ W_hh + bias)
            return h_next, (x_t, h, W_xh, W_hh, h_next)

        def rnn_forward(sequence, h_start, W_xh, W_hh, bias):
            steps, caches, h = [], [], h_start
            for t in range(sequence.shape[1]):
                h, cache = rnn_step_forward(sequence[:, t, :], h, W_xh, W_hh, bias)
                steps.append(h)
                caches.append(cache)
            return np.stack(steps, axis=1), caches
        """),
    Alternative("optim", "momentum_step(weights, grad, velocity, learning_rate, momentum)", """
        def sgd_step(params, grads, step_size):
            return params - step_size * grads

        def momentum_step(weights, grad, velocity, learning_rate, momentum):
            velocity = momentum * velocity - learning_rate * grad
            return weights + velocity, velocity
        """),
    Alternative("param_count", "renamed parameters: dense_params(sizes), conv2d_params(c_in, c_out, k)", """
        def dense_params(sizes):
            return int(sum((fan_in + 1) * fan_out for fan_in, fan_out in zip(sizes[:-1], sizes[1:])))

        def conv2d_params(c_in, c_out, k):
            kh, kw = (k, k) if np.ndim(k) == 0 else k
            return int(c_out * (c_in * kh * kw + 1))
        """),
    Alternative("regularization", "l1_penalty(weights, lam), l2_penalty(weights, lam)", """
        def l1_penalty(weights, lam):
            return lam * np.abs(weights).sum(), lam * np.sign(weights)

        def l2_penalty(weights, lam):
            return 0.5 * lam * np.vdot(weights, weights), lam * weights
        """),
    Alternative("activations", "leaky_relu_forward(z, slope=0.01), elu_forward(z, a=1.0)", """
        def leaky_relu_forward(z, slope=0.01):
            return np.maximum(z, slope * z) if slope <= 1 else np.minimum(z, slope * z), (z, slope)

        def leaky_relu_backward(upstream, stash):
            z, slope = stash
            return upstream * np.where(z > 0, 1.0, slope)

        def elu_forward(z, a=1.0):
            return np.where(z >= 0, z, a * np.expm1(np.minimum(z, 0))), (z, a)

        def elu_backward(upstream, stash):
            z, a = stash
            return upstream * np.where(z >= 0, 1.0, a * np.exp(np.minimum(z, 0)))
        """),
    Alternative("cnn", "conv_forward(images, filters, biases, s=1, p=0) with im2col-free einsum windows", """
        def conv_forward(images, filters, biases, s=1, p=0):
            padded = np.pad(images, ((0, 0), (0, 0), (p, p), (p, p)))
            n, _, height, width = padded.shape
            f, _, kh, kw = filters.shape
            rows, cols = (height - kh) // s + 1, (width - kw) // s + 1
            out = np.empty((n, f, rows, cols))
            for i in range(rows):
                for j in range(cols):
                    patch = padded[:, :, i * s:i * s + kh, j * s:j * s + kw]
                    out[:, :, i, j] = np.tensordot(patch, filters, axes=([1, 2, 3], [1, 2, 3])) + biases
            return out, (images, filters, biases, s, p)

        def conv_backward(upstream, stash):
            images, filters, biases, s, p = stash
            padded = np.pad(images, ((0, 0), (0, 0), (p, p), (p, p)))
            f, _, kh, kw = filters.shape
            d_padded, d_filters = np.zeros_like(padded), np.zeros_like(filters)
            for i in range(upstream.shape[2]):
                for j in range(upstream.shape[3]):
                    patch = padded[:, :, i * s:i * s + kh, j * s:j * s + kw]
                    d_filters += np.tensordot(upstream[:, :, i, j], patch, axes=([0], [0]))
                    d_padded[:, :, i * s:i * s + kh, j * s:j * s + kw] += np.tensordot(
                        upstream[:, :, i, j], filters, axes=([1], [0]))
            height, width = images.shape[2], images.shape[3]
            return d_padded[:, :, p:p + height, p:p + width], d_filters, upstream.sum(axis=(0, 2, 3))
        """),
    # --- the new sections ---------------------------------------------------------------------------
    Alternative("layers", "triplet loss with einsum distances and np.where on the hinge", """
        def triplet_loss(anchor, positive, negative, margin=0.2):
            ap, an = anchor - positive, anchor - negative
            d = np.einsum("nd,nd->n", ap, ap) - np.einsum("nd,nd->n", an, an) + margin
            n = anchor.shape[0]
            mask = np.where(d > 0, 1.0, 0.0)[:, None]
            loss = float(np.sum(np.where(d > 0, d, 0.0)) / n)
            return loss, mask * 2 * (negative - positive) / n, -mask * 2 * ap / n, mask * 2 * an / n
        """),
    Alternative("optim", "schedules with math, batches with np.array_split at multiples of batch_size", """
        def lr_step_decay(lr0, epoch, drop=0.5, every=10):
            import math
            return lr0 * math.pow(drop, math.floor(epoch / every))

        def lr_exponential_decay(lr0, epoch, k):
            import math
            return lr0 / math.exp(k * epoch)

        def minibatches(n, batch_size, rng):
            order = rng.permutation(n)
            return [b for b in np.array_split(order, range(batch_size, n, batch_size))]
        """),
    Alternative("resnet", "residual block with a dict cache and a mask", """
        def residual_forward(x, w1, b1, w2, b2):
            mask = (x @ w1 + b1) > 0
            h = (x @ w1 + b1) * mask
            return h @ w2 + b2 + x, {"x": x, "w1": w1, "w2": w2, "mask": mask, "h": h}

        def residual_backward(dout, cache):
            dh = dout @ cache["w2"].T
            da = dh * cache["mask"]
            dx = da @ cache["w1"].T
            dx += dout
            return dx, cache["x"].T @ da, np.sum(da, axis=0), cache["h"].T @ dout, np.sum(dout, axis=0)
        """),
    Alternative("train", "predict with np.argmax over the last axis", """
        def predict(X, W1, b1, W2, b2):
            hidden = X @ W1 + b1
            hidden[hidden < 0] = 0
            return np.argmax(hidden @ W2 + b2, axis=-1)
        """),
]


@pytest.fixture(scope="module")
def grade():
    graders: dict[str, Grader] = {}

    def run(module: str, source: str):
        if module not in graders:
            graders[module] = Grader(exercises=select(module))
        return graders[module].grade({module: source})

    yield run
    for grader in graders.values():
        grader.close()


def test_enough_alternatives_across_modules():
    assert len(ALTERNATIVES) >= 10
    assert len({a.module for a in ALTERNATIVES}) >= 8
    for a in ALTERNATIVES:
        names = set(functions(a.source))
        assert names, a.description
        assert {e.function for e in select(a.module)} & names, a.description


@pytest.mark.parametrize("alternative", ALTERNATIVES, ids=lambda a: f"{a.module}:{a.description[:50]}")
def test_correct_alternative_gets_full_marks(grade, alternative):
    results = grade(alternative.module, patched_source(alternative.module, functions(alternative.source)))
    wrong = [f"{r.exercise}: {r.score}/{r.max_score} [{r.diagnosis}] {r.message}\n    " + "\n    ".join(r.details[:6])
             for r in results if not (r.passed and r.score == r.max_score)]
    assert not wrong, "\n".join(wrong)
