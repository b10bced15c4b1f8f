"""Planted bugs in layers.py: affine, losses, dropout, batch norm."""
from . import KNOWN, WRONG_BACKWARD, bug

AFFINE_FORWARD = """
def affine_forward(x, w, b):
    return x @ w + b, (x, w, b)
"""

DROPOUT_FORWARD = """
def dropout_forward(x, p, train, rng):
    if not train:
        return x.copy(), (None, p)
    keep = rng.random(x.shape) >= p
    return x * keep / (1 - p), (keep, p)
"""

BATCHNORM_FORWARD = """
def batchnorm_forward(x, gamma, beta, eps=1e-5):
    mean = x.mean(axis=0)
    var = x.var(axis=0)
    std = np.sqrt(var + eps)
    x_hat = (x - mean) / std
    return gamma * x_hat + beta, (x, x_hat, gamma, mean, std)
"""

BUGS = [
    # --- affine ---------------------------------------------------------------------------
    bug("layers.affine_forward", "forgets the bias", "mismatch", """
        def affine_forward(x, w, b):
            return x @ w, (x, w)
        """),
    bug("layers.affine_forward", "computes (x w)^T as w^T x^T", "transposed", """
        def affine_forward(x, w, b):
            return w.T @ x.T + b[:, None], (x, w)
        """, message=("transpose",)),
    bug("layers.affine_forward", "returns out alone, without the cache", "not_array", """
        def affine_forward(x, w, b):
            return x @ w + b
        """, also=("layers.affine_backward",)),
    bug("layers.affine_backward", "dw = dout^T x: transposed", "transposed", AFFINE_FORWARD + """
        def affine_backward(dout, cache):
            x, w, b = cache
            return dout @ w.T, dout.T @ x, dout.sum(axis=0)
        """, message=("transpose",)),
    bug("layers.affine_backward", "db is the mean over the batch, not the sum", "factor", AFFINE_FORWARD + """
        def affine_backward(dout, cache):
            x, w, b = cache
            return dout @ w.T, x.T @ dout, dout.mean(axis=0)
        """, message=("1/4 of the expected", "1/7 of the expected")),
    bug("layers.affine_backward", "dx with the wrong sign", "sign", AFFINE_FORWARD + """
        def affine_backward(dout, cache):
            x, w, b = cache
            return -dout @ w.T, x.T @ dout, dout.sum(axis=0)
        """, message=("negative of the expected",)),
    # --- losses ---------------------------------------------------------------------------
    bug("layers.mse_loss", "gradient without the factor 2", "factor", """
        def mse_loss(pred, y):
            diff = pred - y
            return np.mean(diff ** 2), diff / diff.size
        """, message=("half the expected", "missing factor 2")),
    bug("layers.mse_loss", "sum instead of mean", "factor", """
        def mse_loss(pred, y):
            diff = pred - y
            return np.sum(diff ** 2), 2 * diff
        """, message=("12 times",)),
    bug("layers.mse_loss", "gradient divided by the batch size only", ("factor", "mismatch", "known_mistake"), """
        def mse_loss(pred, y):
            diff = pred - y
            return np.mean(diff ** 2), 2 * diff / len(pred)
        """),
    bug("layers.softmax_cross_entropy", "dscores not divided by N", "factor", """
        def softmax_cross_entropy(scores, y):
            shifted = scores - scores.max(axis=1, keepdims=True)
            p = np.exp(shifted) / np.exp(shifted).sum(axis=1, keepdims=True)
            N = len(y)
            loss = -np.log(p[np.arange(N), y]).mean()
            p[np.arange(N), y] -= 1
            return loss, p
        """, message=("4 times", "missing / 4")),
    bug("layers.softmax_cross_entropy", "exp without subtracting the max", ("edge_cases", "nonfinite"), """
        def softmax_cross_entropy(scores, y):
            e = np.exp(scores)
            p = e / e.sum(axis=1, keepdims=True)
            N = len(y)
            loss = -np.log(p[np.arange(N), y]).mean()
            p[np.arange(N), y] -= 1
            return loss, p / N
        """, message=("1000", "edge", "overflow", "nan", "inf")),
    bug("layers.softmax_cross_entropy", "dscores with the sign flipped", "sign", """
        def softmax_cross_entropy(scores, y):
            shifted = scores - scores.max(axis=1, keepdims=True)
            p = np.exp(shifted) / np.exp(shifted).sum(axis=1, keepdims=True)
            N = len(y)
            loss = -np.log(p[np.arange(N), y]).mean()
            p[np.arange(N), y] -= 1
            return loss, -p / N
        """, message=("negative of the expected",)),
    # --- dropout ----------------------------------------------------------------------------
    bug("layers.dropout_forward", "p used as the keep probability", "property", """
        def dropout_forward(x, p, train, rng):
            if not train:
                return x.copy(), None
            mask = (rng.random(x.shape) < p) / (1 - p)
            return x * mask, mask
        """, message=("drop",), also=("layers.dropout_backward",)),
    bug("layers.dropout_forward", "kept units scaled by p instead of 1/(1-p)", "property", """
        def dropout_forward(x, p, train, rng):
            if not train:
                return x.copy(), None
            mask = (rng.random(x.shape) >= p) * p
            return x * mask, mask
        """, message=("1 / (1 - p)", "scale"), also=("layers.dropout_backward",)),
    bug("layers.dropout_forward", "old-style scaling by (1-p) in evaluation mode", ("property", "edge_cases"), """
        def dropout_forward(x, p, train, rng):
            if not train:
                return x * (1 - p), None
            mask = rng.random(x.shape) >= p
            return x * mask, mask
        """, message=("train", "identity", "scale"), also=("layers.dropout_backward",)),
    bug("layers.dropout_forward", "zeroes the dropped units of x in place", "modified_input", """
        def dropout_forward(x, p, train, rng):
            if not train:
                return x, None
            mask = (rng.random(x.shape) >= p) / (1 - p)
            x *= mask
            return x, mask
        """, message=("input array x",), also=("layers.dropout_backward",)),
    bug("layers.dropout_backward", "draws a new mask instead of reusing the forward's", "property", DROPOUT_FORWARD + """
        def dropout_backward(dout, cache):
            keep, p = cache
            if keep is None:
                return dout.copy()
            fresh = np.random.default_rng(0).random(dout.shape) >= p
            return dout * fresh / (1 - p)
        """, message=("mask",)),
    bug("layers.dropout_backward", "forgets the 1/(1-p) scale", "property", DROPOUT_FORWARD + """
        def dropout_backward(dout, cache):
            keep, p = cache
            if keep is None:
                return dout.copy()
            return dout * keep
        """, message=("1 - p", "scale")),
    bug("layers.dropout_backward", "scales by 1/(1-p) in evaluation mode too", ("property", "edge_cases"), """
        def dropout_forward(x, p, train, rng):
            keep = rng.random(x.shape) >= p if train else np.ones(x.shape, dtype=bool)
            return (x * keep / (1 - p) if train else x.copy()), (keep, p)

        def dropout_backward(dout, cache):
            keep, p = cache
            return dout * keep / (1 - p)
        """, message=("train", "dout")),
    # --- batch norm --------------------------------------------------------------------------
    bug("layers.batchnorm_forward", "unbiased variance (ddof=1)", KNOWN, """
        def batchnorm_forward(x, gamma, beta, eps=1e-5):
            mean = x.mean(axis=0)
            var = x.var(axis=0, ddof=1)
            x_hat = (x - mean) / np.sqrt(var + eps)
            return gamma * x_hat + beta, (x_hat, gamma, var, eps)
        """, also=("layers.batchnorm_backward",)),
    bug("layers.batchnorm_forward", "eps outside the square root", KNOWN, """
        def batchnorm_forward(x, gamma, beta, eps=1e-5):
            mean = x.mean(axis=0)
            var = x.var(axis=0)
            x_hat = (x - mean) / (np.sqrt(var) + eps)
            return gamma * x_hat + beta, (x_hat, gamma, var, eps)
        """, also=("layers.batchnorm_backward",)),
    bug("layers.batchnorm_forward", "normalises each sample over its features (axis 1)", ("mismatch", "known_mistake"), """
        def batchnorm_forward(x, gamma, beta, eps=1e-5):
            mean = x.mean(axis=1, keepdims=True)
            var = x.var(axis=1, keepdims=True)
            x_hat = (x - mean) / np.sqrt(var + eps)
            return gamma * x_hat + beta, (x_hat, gamma, var, eps)
        """, also=("layers.batchnorm_backward",)),
    bug("layers.batchnorm_backward", "dx ignores that x moves the mean and variance", WRONG_BACKWARD,
        BATCHNORM_FORWARD + """
        def batchnorm_backward(dout, cache):
            x, x_hat, gamma, mean, std = cache
            return dout * gamma / std, (dout * x_hat).sum(axis=0), dout.sum(axis=0)
        """),
    bug("layers.batchnorm_backward", "dbeta is the mean over the batch", "factor", BATCHNORM_FORWARD + """
        def batchnorm_backward(dout, cache):
            x, x_hat, gamma, mean, std = cache
            dx_hat = dout * gamma
            dx = (dx_hat - dx_hat.mean(axis=0) - x_hat * (dx_hat * x_hat).mean(axis=0)) / std
            return dx, (dout * x_hat).sum(axis=0), dout.mean(axis=0)
        """, message=("1/6 of the expected", "1/8 of the expected")),
    bug("layers.batchnorm_backward", "dgamma from x instead of x_hat", WRONG_BACKWARD, BATCHNORM_FORWARD + """
        def batchnorm_backward(dout, cache):
            x, x_hat, gamma, mean, std = cache
            dx_hat = dout * gamma
            dx = (dx_hat - dx_hat.mean(axis=0) - x_hat * (dx_hat * x_hat).mean(axis=0)) / std
            return dx, (dout * x).sum(axis=0), dout.sum(axis=0)
        """),
]

# --- triplet_loss ---------------------------------------------------------------------------------

BUGS += [
    bug("layers.triplet_loss", "forgets the max(0, ·): satisfied triplets count negatively", "known_mistake", """
        def triplet_loss(anchor, positive, negative, margin=0.2):
            d = ((anchor - positive) ** 2).sum(1) - ((anchor - negative) ** 2).sum(1) + margin
            n = len(d)
            return d.mean(), 2 * (negative - positive) / n, -2 * (anchor - positive) / n, 2 * (anchor - negative) / n
        """, message=("max(0, ·)",)),
    bug("layers.triplet_loss", "clips the mean instead of each triplet", "known_mistake", """
        def triplet_loss(anchor, positive, negative, margin=0.2):
            d = ((anchor - positive) ** 2).sum(1) - ((anchor - negative) ** 2).sum(1) + margin
            n = len(d)
            active = float(d.mean() > 0)
            return max(0.0, d.mean()), active * 2 * (negative - positive) / n, \\
                -active * 2 * (anchor - positive) / n, active * 2 * (anchor - negative) / n
        """, message=("of the mean",)),
    bug("layers.triplet_loss", "plain distances instead of squared ones", "known_mistake", """
        def triplet_loss(anchor, positive, negative, margin=0.2):
            dp = np.linalg.norm(anchor - positive, axis=1)
            dn = np.linalg.norm(anchor - negative, axis=1)
            d = dp - dn + margin
            n = len(d)
            active = (d > 0)[:, None] / n
            ga = (anchor - positive) / dp[:, None] - (anchor - negative) / dn[:, None]
            return np.maximum(d, 0).mean(), active * ga, -active * (anchor - positive) / dp[:, None], \\
                active * (anchor - negative) / dn[:, None]
        """, message=("squared distances",)),
    bug("layers.triplet_loss", "the gradients forget the mask of active triplets", "known_mistake", """
        def triplet_loss(anchor, positive, negative, margin=0.2):
            d = ((anchor - positive) ** 2).sum(1) - ((anchor - negative) ** 2).sum(1) + margin
            n = len(d)
            return np.maximum(d, 0).mean(), 2 * (negative - positive) / n, -2 * (anchor - positive) / n, \\
                2 * (anchor - negative) / n
        """, message=("mask of d > 0",)),
    bug("layers.triplet_loss", "sums over the batch instead of averaging", "factor", """
        def triplet_loss(anchor, positive, negative, margin=0.2):
            d = ((anchor - positive) ** 2).sum(1) - ((anchor - negative) ** 2).sum(1) + margin
            active = (d > 0)[:, None] * 2.0
            return np.maximum(d, 0).sum(), active * (negative - positive), -active * (anchor - positive), \\
                active * (anchor - negative)
        """, message=("times the expected",)),
]
