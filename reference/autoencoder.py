"""Reference: an autoencoder with a tanh bottleneck."""
import torch

from ._graph import gradients, record


def _autoencoder(x, w_enc, b_enc, w_dec, b_dec):
    return torch.tanh(x @ w_enc + b_enc) @ w_dec + b_dec


def autoencoder_forward(x, w_enc, b_enc, w_dec, b_dec):
    """tanh(x @ w_enc + b_enc) @ w_dec + b_dec: x (N, D), w_enc (D, K), w_dec (K, D) -> recon (N, D)."""
    return record(_autoencoder, x, w_enc, b_enc, w_dec, b_dec)


def autoencoder_backward(dout, cache):
    """(dx, dw_enc, db_enc, dw_dec, db_dec)."""
    return gradients(dout, cache)


def encode(x, w_enc, b_enc):
    """tanh(x @ w_enc + b_enc) -> (N, K)."""
    return torch.tanh(x @ w_enc + b_enc)
