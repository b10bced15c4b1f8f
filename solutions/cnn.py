"""Convolution and pooling, with loops kept readable rather than fast."""
import numpy as np


def convolve2d(image, kernel):
    kh, kw = kernel.shape
    H, W = image.shape
    out = np.empty((H - kh + 1, W - kw + 1))
    for i in range(out.shape[0]):
        for j in range(out.shape[1]):
            out[i, j] = np.sum(image[i:i + kh, j:j + kw] * kernel)
    return out


def conv_forward(x, w, b, stride=1, pad=0):
    N, C, H, W = x.shape
    F, _, HH, WW = w.shape
    xp = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    H_out, W_out = (H + 2 * pad - HH) // stride + 1, (W + 2 * pad - WW) // stride + 1
    out = np.empty((N, F, H_out, W_out))
    for i in range(H_out):
        for j in range(W_out):
            window = xp[:, :, i * stride:i * stride + HH, j * stride:j * stride + WW]
            out[:, :, i, j] = np.tensordot(window, w, axes=([1, 2, 3], [1, 2, 3])) + b
    return out, (x, w, stride, pad)


def conv_backward(dout, cache):
    x, w, stride, pad = cache
    _, _, HH, WW = w.shape
    xp = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    dxp, dw = np.zeros_like(xp), np.zeros_like(w)
    for i in range(dout.shape[2]):
        for j in range(dout.shape[3]):
            rows, cols = slice(i * stride, i * stride + HH), slice(j * stride, j * stride + WW)
            dxp[:, :, rows, cols] += np.tensordot(dout[:, :, i, j], w, axes=(1, 0))
            dw += np.tensordot(dout[:, :, i, j], xp[:, :, rows, cols], axes=(0, 0))
    H, W = x.shape[2:]
    return dxp[:, :, pad:pad + H, pad:pad + W], dw, dout.sum(axis=(0, 2, 3))


def max_pool_forward(x, size=2, stride=2):
    N, C, H, W = x.shape
    H_out, W_out = (H - size) // stride + 1, (W - size) // stride + 1
    out = np.empty((N, C, H_out, W_out))
    for i in range(H_out):
        for j in range(W_out):
            out[:, :, i, j] = x[:, :, i * stride:i * stride + size, j * stride:j * stride + size].max(axis=(2, 3))
    return out, (x, size, stride)


def max_pool_backward(dout, cache):
    x, size, stride = cache
    dx = np.zeros_like(x)
    N, C = x.shape[:2]
    for i in range(dout.shape[2]):
        for j in range(dout.shape[3]):
            window = x[:, :, i * stride:i * stride + size, j * stride:j * stride + size].reshape(N, C, -1)
            # The gradient goes to one maximum per window (the first, on ties), as in torch.
            k = window.argmax(axis=2)
            n, c = np.indices((N, C))
            dx[n, c, i * stride + k // size, j * stride + k % size] += dout[:, :, i, j]
    return dx
