"""Autoencoders: learning without labels.

An autoencoder squeezes its input through a narrow layer, the code, and tries to
rebuild the input from it. Nothing tells it what to keep: to rebuild well through
K < D numbers it must find what matters in the data. Trained on images of digits
with K = 2, the codes of the same digit land near each other, much as the first two
principal components of PCA do, but bent to fit the data.
"""
import numpy as np


def autoencoder_forward(x, w_enc, b_enc, w_dec, b_dec):
    """Encode, then decode:

        code  = tanh(x w_enc + b_enc)      (N, K)   the bottleneck
        recon = code w_dec + b_dec         (N, D)   the rebuilt input

    x: (N, D).  w_enc: (D, K).  b_enc: (K,).  w_dec: (K, D).  b_dec: (D,).  K < D.
    Returns: (recon, cache); keep x, w_enc, w_dec and code.
    """
    raise NotImplementedError


def autoencoder_backward(dout, cache):
    """Gradients of the autoencoder, given dout = ∂L/∂recon of shape (N, D).

    The decoder is an affine layer; then tanh, whose derivative 1 − code² is
    written with its own output; then the encoder, another affine layer.
    Returns: (dx, dw_enc, db_enc, dw_dec, db_dec) shaped like x, w_enc, b_enc, w_dec, b_dec.
    """
    raise NotImplementedError


def encode(x, w_enc, b_enc):
    """The code alone, without the decoder:

        code = tanh(x w_enc + b_enc)

    x: (N, D).  w_enc: (D, K).  b_enc: (K,).
    Returns: (N, K) array: each sample's position in the learned K-dimensional space.
    """
    raise NotImplementedError
