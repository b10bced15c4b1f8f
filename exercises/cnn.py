"""Convolution and pooling: the building blocks of convolutional networks.

A convolution slides one small kernel over the whole image, so the same few
weights detect a pattern wherever it appears (blur, sharpen and edge kernels are
the classic examples). Pooling shrinks the feature maps and buys some translation
invariance. Like every deep-learning library, "convolution" here means
cross-correlation: the kernel is not flipped.
"""
import numpy as np


def convolve2d(image, kernel):
    """"Valid" 2-D cross-correlation of one image with one kernel:

        out[i, j] = Σₘ Σₙ image[i + m, j + n] · kernel[m, n]

    image: (H, W).  kernel: (kh, kw).
    Returns: (H − kh + 1, W − kw + 1): only positions where the kernel fits entirely.
    """
    raise NotImplementedError


def conv_forward(x, w, b, stride=1, pad=0):
    """A convolution layer over a batch of multi-channel images:

        out[n, f, i, j] = b[f] + Σ_c Σₘ Σₖ xₚ[n, c, i·s + m, j·s + k] · w[f, c, m, k]

    where xₚ is x zero-padded by `pad` pixels on every side of H and W, s = stride.
    x: (N, C, H, W).  w: (F, C, HH, WW).  b: (F,).
    Output size: H' = 1 + (H + 2·pad − HH) // stride, W' likewise.
    Returns: (out, cache) with out (N, F, H', W'); keep x, w, b, stride and pad.
    """
    raise NotImplementedError


def conv_backward(dout, cache):
    """Gradients of the convolution layer, given dout of shape (N, F, H', W').

    Every output element is a sum of products: it sends dout times the input
    patch to the kernel, and dout times the kernel back to the input patch.
    Compute the gradient of the padded input, then strip the padding.
    Returns: (dx, dw, db) shaped like x, w, b.
    """
    raise NotImplementedError


def max_pool_forward(x, size=2, stride=2):
    """Max pooling over size × size windows moved by `stride`, channel by channel:

        out[n, c, i, j] = max of x[n, c, i·s : i·s + size, j·s : j·s + size]

    x: (N, C, H, W), no padding.
    Output size: H' = 1 + (H − size) // stride, W' likewise.
    Returns: (out, cache) with out (N, C, H', W'); keep x (or where each max was).
    """
    raise NotImplementedError


def max_pool_backward(dout, cache):
    """dx for max pooling: each window's gradient goes entirely to the input that
    was its maximum; every other input of the window gets 0. (With ties, giving it
    to any one of the tied maxima is correct.)
    Returns: dx shaped like x.
    """
    raise NotImplementedError
