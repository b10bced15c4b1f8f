"""Planted bugs in cnn.py."""
from . import KNOWN, WRONG_BACKWARD, bug

CONV_FORWARD = """
def conv_forward(x, w, b, stride=1, pad=0):
    N, C, H, W = x.shape
    F, _, HH, WW = w.shape
    xp = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    Ho, Wo = (H + 2 * pad - HH) // stride + 1, (W + 2 * pad - WW) // stride + 1
    out = np.zeros((N, F, Ho, Wo))
    for i in range(Ho):
        for j in range(Wo):
            win = xp[:, :, i * stride:i * stride + HH, j * stride:j * stride + WW]
            out[:, :, i, j] = np.einsum("nchw,fchw->nf", win, w) + b
    return out, (x, w, b, stride, pad)
"""

POOL_FORWARD = """
def max_pool_forward(x, size=2, stride=2):
    N, C, H, W = x.shape
    Ho, Wo = (H - size) // stride + 1, (W - size) // stride + 1
    out = np.zeros((N, C, Ho, Wo))
    for i in range(Ho):
        for j in range(Wo):
            out[:, :, i, j] = x[:, :, i * stride:i * stride + size, j * stride:j * stride + size].max(axis=(2, 3))
    return out, (x, size, stride)
"""


def conv_backward(body: str) -> str:
    """A conv_backward whose loop body (at the innermost level) is `body`."""
    return CONV_FORWARD + """
def conv_backward(dout, cache):
    x, w, b, stride, pad = cache
    N, C, H, W = x.shape
    F, _, HH, WW = w.shape
    xp = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    dxp, dw = np.zeros_like(xp), np.zeros_like(w)
    for i in range(dout.shape[2]):
        for j in range(dout.shape[3]):
            r, c = slice(i * stride, i * stride + HH), slice(j * stride, j * stride + WW)
""" + body


def pool_backward(body: str) -> str:
    return POOL_FORWARD + """
def max_pool_backward(dout, cache):
    x, size, stride = cache
    dx = np.zeros_like(x)
    N, C, H, W = x.shape
    for n in range(N):
        for ch in range(C):
            for i in range(dout.shape[2]):
                for j in range(dout.shape[3]):
                    win = x[n, ch, i * stride:i * stride + size, j * stride:j * stride + size]
""" + body


BUGS = [
    # --- convolve2d ------------------------------------------------------------------------------
    bug("cnn.convolve2d", "flips the kernel (true convolution)", KNOWN, """
        def convolve2d(image, kernel):
            kh, kw = kernel.shape
            H, W = image.shape
            flipped = kernel[::-1, ::-1]
            out = np.zeros((H - kh + 1, W - kw + 1))
            for i in range(out.shape[0]):
                for j in range(out.shape[1]):
                    out[i, j] = np.sum(image[i:i + kh, j:j + kw] * flipped)
            return out
        """),
    bug("cnn.convolve2d", "output one pixel too small (H - kh)", "shape", """
        def convolve2d(image, kernel):
            kh, kw = kernel.shape
            H, W = image.shape
            out = np.zeros((H - kh, W - kw))
            for i in range(out.shape[0]):
                for j in range(out.shape[1]):
                    out[i, j] = np.sum(image[i:i + kh, j:j + kw] * kernel)
            return out
        """, message=("shape",)),
    # --- conv_forward ------------------------------------------------------------------------------
    bug("cnn.conv_forward", "ignores the padding", ("edge_cases", "shape"), """
        def conv_forward(x, w, b, stride=1, pad=0):
            N, C, H, W = x.shape
            F, _, HH, WW = w.shape
            Ho, Wo = (H - HH) // stride + 1, (W - WW) // stride + 1
            out = np.zeros((N, F, Ho, Wo))
            for i in range(Ho):
                for j in range(Wo):
                    win = x[:, :, i * stride:i * stride + HH, j * stride:j * stride + WW]
                    out[:, :, i, j] = np.einsum("nchw,fchw->nf", win, w) + b
            return out, (x, w, b, stride, pad)
        """, message=("pad", "edge", "shape"), also=("cnn.conv_backward",)),
    bug("cnn.conv_forward", "output size without the + 1", "shape", """
        def conv_forward(x, w, b, stride=1, pad=0):
            N, C, H, W = x.shape
            F, _, HH, WW = w.shape
            xp = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
            Ho, Wo = (H + 2 * pad - HH) // stride, (W + 2 * pad - WW) // stride
            out = np.zeros((N, F, Ho, Wo))
            for i in range(Ho):
                for j in range(Wo):
                    win = xp[:, :, i * stride:i * stride + HH, j * stride:j * stride + WW]
                    out[:, :, i, j] = np.einsum("nchw,fchw->nf", win, w) + b
            return out, (x, w, b, stride, pad)
        """, message=("shape",), also=("cnn.conv_backward",)),
    bug("cnn.conv_forward", "forgets the bias", "mismatch", """
        def conv_forward(x, w, b, stride=1, pad=0):
            N, C, H, W = x.shape
            F, _, HH, WW = w.shape
            xp = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
            Ho, Wo = (H + 2 * pad - HH) // stride + 1, (W + 2 * pad - WW) // stride + 1
            out = np.zeros((N, F, Ho, Wo))
            for i in range(Ho):
                for j in range(Wo):
                    win = xp[:, :, i * stride:i * stride + HH, j * stride:j * stride + WW]
                    out[:, :, i, j] = np.einsum("nchw,fchw->nf", win, w)
            return out, (x, w, b, stride, pad)
        """, also=("cnn.conv_backward",)),
    bug("cnn.conv_forward", "ignores the stride", ("edge_cases", "shape"), """
        def conv_forward(x, w, b, stride=1, pad=0):
            N, C, H, W = x.shape
            F, _, HH, WW = w.shape
            xp = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
            Ho, Wo = H + 2 * pad - HH + 1, W + 2 * pad - WW + 1
            out = np.zeros((N, F, Ho, Wo))
            for i in range(Ho):
                for j in range(Wo):
                    win = xp[:, :, i:i + HH, j:j + WW]
                    out[:, :, i, j] = np.einsum("nchw,fchw->nf", win, w) + b
            return out, (x, w, b, stride, pad)
        """, message=("stride", "edge", "shape"), also=("cnn.conv_backward",)),
    # --- conv_backward ------------------------------------------------------------------------------
    bug("cnn.conv_backward", "db is the mean, not the sum", "factor", conv_backward("""
            dxp[:, :, r, c] += np.einsum("nf,fchw->nchw", dout[:, :, i, j], w)
            dw += np.einsum("nf,nchw->fchw", dout[:, :, i, j], xp[:, :, r, c])
    return dxp[:, :, pad:pad + H, pad:pad + W], dw, dout.mean(axis=(0, 2, 3))
"""), message=("constant factor", "1/")),
    bug("cnn.conv_backward", "returns the padded dx", ("edge_cases", "shape"), conv_backward("""
            dxp[:, :, r, c] += np.einsum("nf,fchw->nchw", dout[:, :, i, j], w)
            dw += np.einsum("nf,nchw->fchw", dout[:, :, i, j], xp[:, :, r, c])
    return dxp, dw, dout.sum(axis=(0, 2, 3))
"""), message=("pad", "edge", "shape")),
    bug("cnn.conv_backward", "assigns dx windows instead of accumulating", WRONG_BACKWARD, conv_backward("""
            dxp[:, :, r, c] = np.einsum("nf,fchw->nchw", dout[:, :, i, j], w)
            dw += np.einsum("nf,nchw->fchw", dout[:, :, i, j], xp[:, :, r, c])
    return dxp[:, :, pad:pad + H, pad:pad + W], dw, dout.sum(axis=(0, 2, 3))
""")),
    bug("cnn.conv_backward", "dw from the unpadded x", ("edge_cases", WRONG_BACKWARD, "mismatch", "exception"), conv_backward("""
            dxp[:, :, r, c] += np.einsum("nf,fchw->nchw", dout[:, :, i, j], w)
            dw += np.einsum("nf,nchw->fchw", dout[:, :, i, j], x[:, :, r, c])
    return dxp[:, :, pad:pad + H, pad:pad + W], dw, dout.sum(axis=(0, 2, 3))
""")),
    # --- max pooling -----------------------------------------------------------------------------------
    bug("cnn.max_pool_forward", "average pooling", "mismatch", """
        def max_pool_forward(x, size=2, stride=2):
            N, C, H, W = x.shape
            Ho, Wo = (H - size) // stride + 1, (W - size) // stride + 1
            out = np.zeros((N, C, Ho, Wo))
            for i in range(Ho):
                for j in range(Wo):
                    out[:, :, i, j] = x[:, :, i * stride:i * stride + size, j * stride:j * stride + size].mean(axis=(2, 3))
            return out, (x, size, stride)
        """, also=("cnn.max_pool_backward",)),
    bug("cnn.max_pool_forward", "hard-codes 2x2 windows with stride 2", ("edge_cases", "shape"), """
        def max_pool_forward(x, size=2, stride=2):
            N, C, H, W = x.shape
            out = x[:, :, :H // 2 * 2, :W // 2 * 2].reshape(N, C, H // 2, 2, W // 2, 2).max(axis=(3, 5))
            return out, (x, size, stride)
        """, message=("edge", "size", "stride", "shape"), also=("cnn.max_pool_backward",)),
    bug("cnn.max_pool_backward", "spreads the gradient over the whole window", WRONG_BACKWARD, pool_backward("""
                    dx[n, ch, i * stride:i * stride + size, j * stride:j * stride + size] += dout[n, ch, i, j]
    return dx
""")),
    bug("cnn.max_pool_backward", "assigns instead of accumulating (overlapping windows)", "edge_cases",
        pool_backward("""
                    k = np.unravel_index(np.argmax(win), win.shape)
                    dx[n, ch, i * stride + k[0], j * stride + k[1]] = dout[n, ch, i, j]
    return dx
"""), message=("edge", "overlap", "stride")),
    bug("cnn.max_pool_backward", "gives the gradient to every tied maximum", ("edge_cases",), pool_backward("""
                    dx[n, ch, i * stride:i * stride + size, j * stride:j * stride + size] += (win == win.max()) * dout[n, ch, i, j]
    return dx
"""), message=("edge", "tie")),
]
