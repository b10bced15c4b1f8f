"""Planted bugs for issue 11: every diagnosis that must never mislead.

Randomness not from rng, masks shared between units, constant factors the batch does not
explain, swapped axes, a backward that ran on the learner's own wrong forward, two bugs in
one backward, the mistakes the lessons predict, and a wrong number of parameters.
"""
from . import KNOWN, bug
from .activations import ELU_FORWARD, LEAKY_FORWARD, SIGMOID_FORWARD, TANH_FORWARD
from .backprop import XYZ_FORWARD
from .cnn import CONV_FORWARD
from .layers import AFFINE_FORWARD, BATCHNORM_FORWARD
from .rnn import RNN_FORWARD, STEP_FORWARD

RNG = "rng"
NOT_JUDGED = "wrong_forward"
# The module's own dropout_backward reads solutions/' cache layout, not these forwards'.
DROPOUT_BACKWARD = ("layers.dropout_backward",)

STEP_BACKWARD = """
def rnn_step_backward(dh_next, cache):
    x, h_prev, Wx, Wh, h_next = cache
    da = dh_next * (1 - h_next ** 2)
    return da @ Wx.T, da @ Wh.T, x.T @ da, h_prev.T @ da, da.sum(axis=0)
"""

TWO_LAYER_BACKWARD = """
def two_layer_backward(dout, cache):
    X, W1, w2, h, out = cache
    dz2 = dout * out * (1 - out)
    dh = np.outer(dz2, w2)
    dz1 = dh * h * (1 - h)
    return dz1 @ W1.T, X.T @ dz1, h.T @ dz2
"""

BATCHNORM_BACKWARD = """
def batchnorm_backward(dout, cache):
    x, x_hat, gamma, mean, std = cache
    N = x.shape[0]
    dx_hat = dout * gamma
    dx = (N * dx_hat - dx_hat.sum(axis=0) - x_hat * (dx_hat * x_hat).sum(axis=0)) / (N * std)
    return dx, (dout * x_hat).sum(axis=0), dout.sum(axis=0)
"""

ELU_BACKWARD = """
def elu_backward(dout, cache):
    x, out, alpha = cache
    return dout * np.where(x >= 0, 1.0, out + alpha)
"""

TANH_BACKWARD = """
def tanh_backward(dout, cache):
    x, out = cache
    return dout * (1 - out ** 2)
"""

SIGMOID_BACKWARD = """
def sigmoid_backward(dout, cache):
    x, out = cache
    return dout * out * (1 - out)
"""

BUGS = [
    # --- randomness only from rng --------------------------------------------------------------
    bug("initialization.xavier_normal", "draws from np.random, not from rng", RNG, """
        def xavier_normal(n_in, n_out, rng):
            return np.random.normal(0.0, np.sqrt(2 / (n_in + n_out)), size=(n_in, n_out))
        """, message=("np.random",)),
    bug("initialization.xavier_normal", "a generator of its own with a fixed seed", RNG, """
        def xavier_normal(n_in, n_out, rng):
            own = np.random.default_rng(0)
            return own.normal(0.0, np.sqrt(2 / (n_in + n_out)), size=(n_in, n_out))
        """, message=("do not come from",)),
    bug("initialization.xavier_normal", "seeds the global generator, then draws from it", RNG, """
        def xavier_normal(n_in, n_out, rng):
            np.random.seed(42)
            return np.random.standard_normal((n_in, n_out)) * np.sqrt(2 / (n_in + n_out))
        """, message=("rng",)),
    bug("layers.dropout_forward", "the mask from np.random.rand", RNG, """
        def dropout_forward(x, p, train, rng):
            if not train:
                return x.copy(), (None, p)
            keep = np.random.rand(*x.shape) >= p
            return x * keep / (1 - p), (keep, p)
        """, message=("np.random",), also=DROPOUT_BACKWARD),
    bug("layers.dropout_forward", "a fixed mask from a seeded generator of its own", RNG, """
        def dropout_forward(x, p, train, rng):
            if not train:
                return x.copy(), (None, p)
            keep = np.random.default_rng(1).random(x.shape) >= p
            return x * keep / (1 - p), (keep, p)
        """, message=("do not come from",), also=DROPOUT_BACKWARD),
    # --- dropout masks per unit ----------------------------------------------------------------
    bug("layers.dropout_forward", "one mask shared by every row", "property", """
        def dropout_forward(x, p, train, rng):
            if not train:
                return x.copy(), (None, p)
            keep = rng.random(x.shape[1]) >= p
            return x * keep / (1 - p), (keep, p)
        """, message=("shared by every row",), also=DROPOUT_BACKWARD),
    bug("layers.dropout_forward", "one mask value per row, shared by its columns", "property", """
        def dropout_forward(x, p, train, rng):
            if not train:
                return x.copy(), (None, p)
            keep = rng.random((x.shape[0], 1)) >= p
            return x * keep / (1 - p), (keep, p)
        """, message=("shared by every column",), also=DROPOUT_BACKWARD),
    # --- a factor named for what it is -----------------------------------------------------------
    bug("layers.affine_backward", "dx four times too large, whatever the batch", "factor", AFFINE_FORWARD + """
        def affine_backward(dout, cache):
            x, w, b = cache
            return 4 * dout @ w.T, x.T @ dout, dout.sum(axis=0)
        """, message=("whatever the batch size",)),
    bug("layers.softmax_cross_entropy", "dscores twice too large", "factor", """
        def softmax_cross_entropy(scores, y):
            shifted = scores - scores.max(axis=1, keepdims=True)
            logp = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
            N = len(y)
            d = np.exp(logp)
            d[np.arange(N), y] -= 1
            return -logp[np.arange(N), y].mean(), 2 * d / N
        """, message=("twice the expected",)),
    bug("layers.mse_loss", "dpred three times too large", "factor", """
        def mse_loss(pred, y):
            diff = pred - y
            return np.mean(diff ** 2), 6 * diff / diff.size
        """, message=("3 times the expected",)),
    bug("regularization.l1_penalty", "dw half the sign", "factor", """
        def l1_penalty(w, alpha):
            return alpha * np.abs(w).sum(), 0.5 * alpha * np.sign(w)
        """, message=("half the expected",), also=("regularization.elastic_net_penalty",)),
    # --- axes, not reshapes ----------------------------------------------------------------------
    bug("rnn.rnn_forward", "time-major h (T, N, H)", ("transposed", "shape"), """
        def rnn_forward(x, h0, Wx, Wh, b):
            N, T, _ = x.shape
            h, caches, h_prev = np.empty((T, N, h0.shape[1])), [], h0
            for t in range(T):
                h_prev, cache = rnn_step_forward(x[:, t], h_prev, Wx, Wh, b)
                h[t] = h_prev
                caches.append(cache)
            return h, caches
        """, message=("axes 0 and 1 are swapped",), also=("rnn.rnn_backward",)),
    bug("cnn.max_pool_forward", "height and width swapped in out", "transposed", """
        def max_pool_forward(x, size=2, stride=2):
            N, C, H, W = x.shape
            Ho, Wo = (H - size) // stride + 1, (W - size) // stride + 1
            out = np.zeros((N, C, Wo, Ho))
            for i in range(Ho):
                for j in range(Wo):
                    out[:, :, j, i] = x[:, :, i * stride:i * stride + size, j * stride:j * stride + size].max(axis=(2, 3))
            return out, (x, size, stride)
        """, message=("axes 2 and 3 are swapped",), also=("cnn.max_pool_backward",)),
    bug("rnn.rnn_backward", "dx time-major (T, N, D)", ("transposed", "shape"), RNN_FORWARD + """
        def rnn_backward(dh, cache):
            N, T, H = dh.shape
            x0, h_prev0, Wx, Wh, _ = cache[0]
            dxs, dh_prev = [], np.zeros((N, H))
            dWx, dWh, db = np.zeros_like(Wx), np.zeros_like(Wh), np.zeros(H)
            for t in reversed(range(T)):
                dx_t, dh_prev, dWx_t, dWh_t, db_t = rnn_step_backward(dh[:, t] + dh_prev, cache[t])
                dxs.append(dx_t)
                dWx, dWh, db = dWx + dWx_t, dWh + dWh_t, db + db_t
            return np.stack(dxs[::-1], axis=0), dh_prev, dWx, dWh, db
        """, message=("axes 0 and 1 are swapped",)),
    # --- the right function blamed ---------------------------------------------------------------
    bug("rnn.rnn_step_backward", "correct backward on a forward that forgets b", NOT_JUDGED, """
        def rnn_step_forward(x, h_prev, Wx, Wh, b):
            h_next = np.tanh(x @ Wx + h_prev @ Wh)
            return h_next, (x, h_prev, Wx, Wh, h_next)
        """ + STEP_BACKWARD, message=("cannot be judged until rnn_step_forward passes",),
        also=("rnn.rnn_step_forward", "rnn.rnn_forward", "rnn.rnn_backward")),
    bug("backprop.two_layer_backward", "correct backward on a forward with no output sigmoid", NOT_JUDGED, """
        def two_layer_forward(X, W1, w2):
            h = 1 / (1 + np.exp(-(X @ W1)))
            out = h @ w2
            return out, (X, W1, w2, h, out)
        """ + TWO_LAYER_BACKWARD, message=("cannot be judged",), also=("backprop.two_layer_forward",)),
    bug("activations.tanh_backward", "correct backward on tanh(2x)", NOT_JUDGED, """
        def tanh_forward(x):
            out = np.tanh(2 * x)
            return out, (x, out)
        """ + TANH_BACKWARD, message=("cannot be judged",), also=("activations.tanh_forward",)),
    bug("layers.batchnorm_backward", "correct backward on the unbiased variance", NOT_JUDGED,
        BATCHNORM_FORWARD.replace("x.var(axis=0)", "x.var(axis=0, ddof=1)") + BATCHNORM_BACKWARD,
        message=("cannot be judged",), also=("layers.batchnorm_forward",)),
    bug("activations.elu_backward", "correct backward on an elu that ignores alpha", NOT_JUDGED, """
        def elu_forward(x, alpha=1.0):
            out = np.where(x >= 0, x, np.expm1(np.minimum(x, 0)))
            return out, (x, out, alpha)
        """ + ELU_BACKWARD, message=("cannot be judged",), also=("activations.elu_forward",)),
    bug("activations.sigmoid_forward", "warns at |x| = 1000 (its backward keeps its points)", ("edge_cases", "nonfinite"), """
        def sigmoid_forward(x):
            out = 1 / (1 + np.exp(-x))
            return out, (x, out)
        """ + SIGMOID_BACKWARD, message=("edge case", "warned")),
    # --- every problem, not the first ------------------------------------------------------------
    bug("layers.affine_backward", "dw transposed and db averaged", "transposed", AFFINE_FORWARD + """
        def affine_backward(dout, cache):
            x, w, b = cache
            return dout @ w.T, dout.T @ x, dout.mean(axis=0)
        """, message=("of the expected: did you average",)),
    bug("rnn.rnn_step_backward", "dWh transposed (square) and db negated", "transposed", STEP_FORWARD + """
        def rnn_step_backward(dh_next, cache):
            x, h_prev, Wx, Wh, h_next = cache
            da = dh_next * (1 - h_next ** 2)
            return da @ Wx.T, da @ Wh.T, x.T @ da, (h_prev.T @ da).T, -da.sum(axis=0)
        """, message=("negative of the expected",), also=("rnn.rnn_backward",)),
    # --- known mistakes named --------------------------------------------------------------------
    bug("optim.momentum_step", "the uphill-velocity variant of momentum", KNOWN, """
        def momentum_step(w, dw, v, lr, mu):
            v_new = mu * v + lr * dw
            return w - v_new, v_new
        """, message=("variant",)),
    bug("optim.momentum_step", "the learning rate outside the velocity", KNOWN, """
        def momentum_step(w, dw, v, lr, mu):
            v_new = mu * v + dw
            return w - lr * v_new, v_new
        """, message=("η outside",)),
    bug("layers.mse_loss", "one half of the mean (one deck's convention)", KNOWN, """
        def mse_loss(pred, y):
            diff = pred - y
            return 0.5 * np.mean(diff ** 2), diff / diff.size
        """, message=("no ½",)),
    bug("perceptron.step", "step(0) = 1", ("edge_cases", KNOWN), """
        def step(z):
            return (np.asarray(z) >= 0).astype(float)
        """, message=("strict",), also=("perceptron.perceptron_predict", "perceptron.perceptron_train")),
    bug("activations.leaky_relu_forward", "the slope fixed at 0.01", (KNOWN, "edge_cases"), """
        def leaky_relu_forward(x, alpha=0.01):
            return np.where(x > 0, x, 0.01 * x), (x, alpha)
        """, message=("default slope",), also=("activations.leaky_relu_backward",)),
    bug("activations.sigmoid_backward", "sigma(x) (1 - x)", KNOWN, SIGMOID_FORWARD + """
        def sigmoid_backward(dout, cache):
            x, out = cache
            return dout * out * (1 - x)
        """, message=("1 − σ(x)",)),
    bug("cnn.conv_forward", "flips the kernels", KNOWN,
        CONV_FORWARD.replace("fchw->nf\", win, w)", "fchw->nf\", win, w[:, :, ::-1, ::-1])"),
        message=("flipped",), also=("cnn.conv_backward",)),
    bug("backprop.xyz_backward", "local slopes without the chain rule", KNOWN, XYZ_FORWARD + """
        def xyz_backward(df, cache):
            x, y, z = cache
            return np.ones_like(x * 1.0), np.ones_like(y * 1.0), df * (x + y)
        """, message=("chain rule",)),
    bug("backprop.xyz_backward", "q where the multiply gate gives z", KNOWN, XYZ_FORWARD + """
        def xyz_backward(df, cache):
            x, y, z = cache
            return df * (x + y), df * z, df * (x + y)
        """, message=("swaps",)),
    bug("param_count.conv2d_params", "a square kernel assumed, weights only", ("mismatch", KNOWN), """
        def conv2d_params(in_channels, out_channels, kernel_size):
            k = kernel_size if isinstance(kernel_size, int) else kernel_size[0]
            return out_channels * in_channels * k * k
        """, also=("param_count.vgg16_params",)),
    bug("initialization.xavier_normal", "He's std sqrt(2 / n_in), named", "property", """
        def xavier_normal(n_in, n_out, rng):
            return rng.standard_normal((n_in, n_out)) * np.sqrt(2 / n_in)
        """, message=("He's",)),
    bug("initialization.xavier_normal", "unscaled N(0, 1) samples", "property", """
        def xavier_normal(n_in, n_out, rng):
            return rng.standard_normal((n_in, n_out))
        """, message=("unscaled",)),
    bug("param_count.rnn_params", "the recurrence only, no read-out", KNOWN, """
        def rnn_params(input_size, hidden_size, output_size):
            return input_size * hidden_size + hidden_size * hidden_size + hidden_size
        """, message=("read-out",)),
    bug("activations.leaky_relu_backward", "alpha not kept: the default slope", (KNOWN, "edge_cases"), LEAKY_FORWARD + """
        def leaky_relu_backward(dout, cache):
            x, alpha = cache
            return dout * np.where(x > 0, 1.0, 0.01)
        """, message=("default slope",)),
    bug("activations.elu_forward", "alpha * exp(x) - 1", (KNOWN, "edge_cases"), """
        def elu_forward(x, alpha=1.0):
            out = np.where(x >= 0, x, alpha * np.exp(np.minimum(x, 0)) - 1)
            return out, (x, out, alpha)
        """, message=("whole bracket",), also=("activations.elu_backward",)),
    bug("activations.elu_backward", "alpha not kept: alpha = 1", (KNOWN, "edge_cases"), ELU_FORWARD + """
        def elu_backward(dout, cache):
            x, out, alpha = cache
            return dout * np.where(x >= 0, 1.0, np.exp(np.minimum(x, 0)))
        """, message=("alpha = 1",)),
    bug("activations.tanh_backward", "tanh of the cached output", KNOWN, TANH_FORWARD + """
        def tanh_backward(dout, cache):
            x, out = cache
            return dout * (1 - np.tanh(out) ** 2)
        """, message=("tanh of the forward's output",)),
    bug("activations.sigmoid_backward", "sigmoid of the cached output", (KNOWN, "edge_cases"), SIGMOID_FORWARD + """
        def sigmoid_backward(dout, cache):
            x, out = cache
            s = 1 / (1 + np.exp(-out))
            return dout * s * (1 - s)
        """, message=("σ to the forward's output",)),
    # --- arguments by position: a wrong number gets the contract's signature ----------------------
    bug("layers.affine_forward", "takes the bias as a keyword-only argument", "signature", """
        def affine_forward(x, w, *, b=None):
            return x @ w + (0 if b is None else b), (x, w, b)
        """, message=("affine_forward(x, w, b)",), also=("layers.affine_backward",)),
    bug("optim.sgd_step", "an extra required parameter", "signature", """
        def sgd_step(w, dw, lr, momentum):
            return w - lr * dw
        """, message=("sgd_step(w, dw, lr)",)),
    bug("regularization.l2_penalty", "swaps the order of w and alpha", ("exception", "mismatch", "shape", "signature"), """
        def l2_penalty(alpha, w):
            return alpha / 2 * np.sum(w ** 2), alpha * w
        """, also=("regularization.elastic_net_penalty",)),
    # --- more realistic mistakes -----------------------------------------------------------------
    bug("rnn.softmax", "normalises over the first axis", KNOWN, """
        def softmax(z):
            e = np.exp(z - z.max(axis=0, keepdims=True))
            return e / e.sum(axis=0, keepdims=True)
        """, message=("last axis",)),
    bug("optim.sgd_step", "steps uphill", KNOWN, """
        def sgd_step(w, dw, lr):
            return w + lr * dw
        """, message=("uphill",)),
    bug("activations.relu_backward", "the gradient with its sign flipped", "sign", """
        def relu_forward(x):
            return np.maximum(x, 0), x
        def relu_backward(dout, cache):
            return -dout * (cache > 0)
        """, message=("negative",)),
    bug("cnn.conv_backward", "db averaged over the batch and positions", ("factor", "mismatch"), CONV_FORWARD + """
        def conv_backward(dout, cache):
            x, w, b, stride, pad = cache
            N, C, H, W = x.shape
            F, _, HH, WW = w.shape
            xp = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
            dxp, dw = np.zeros_like(xp), np.zeros_like(w)
            for i in range(dout.shape[2]):
                for j in range(dout.shape[3]):
                    rows, cols = slice(i * stride, i * stride + HH), slice(j * stride, j * stride + WW)
                    dw += np.einsum("nf,nchw->fchw", dout[:, :, i, j], xp[:, :, rows, cols])
                    dxp[:, :, rows, cols] += np.einsum("nf,fchw->nchw", dout[:, :, i, j], w)
            return dxp[:, :, pad:pad + H, pad:pad + W], dw, dout.mean(axis=(0, 2, 3))
        """),
    bug("layers.batchnorm_backward", "dbeta averaged over the batch", "factor", BATCHNORM_FORWARD + """
        def batchnorm_backward(dout, cache):
            x, x_hat, gamma, mean, std = cache
            N = x.shape[0]
            dx_hat = dout * gamma
            dx = (N * dx_hat - dx_hat.sum(axis=0) - x_hat * (dx_hat * x_hat).sum(axis=0)) / (N * std)
            return dx, (dout * x_hat).sum(axis=0), dout.mean(axis=0)
        """, message=("average over the batch",)),
    bug("vanishing.layer_gradient_norms", "the last layer first", KNOWN, """
        def layer_gradient_norms(x, weights, activation):
            acts = {"sigmoid": lambda a: 1 / (1 + np.exp(-a)), "tanh": np.tanh, "relu": lambda a: np.maximum(a, 0)}
            slopes = {"sigmoid": lambda h: h * (1 - h), "tanh": lambda h: 1 - h ** 2, "relu": lambda h: (h > 0) * 1.0}
            hs = [x]
            for w in weights:
                hs.append(acts[activation](hs[-1] @ w))
            grad, norms = np.ones_like(hs[-1]), []
            for layer in reversed(range(len(weights))):
                dz = grad * slopes[activation](hs[layer + 1])
                norms.append(np.linalg.norm(hs[layer].T @ dz))
                grad = dz @ weights[layer].T
            return np.array(norms)
        """),
    bug("perceptron.perceptron_predict", "a net input of 0 predicts 1", ("edge_cases", "mismatch"), """
        def perceptron_predict(X, w, b):
            return (X @ w + b >= 0).astype(float)
        """),
]
