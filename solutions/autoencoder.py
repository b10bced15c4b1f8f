"""An autoencoder with a tanh bottleneck."""
import numpy as np


def autoencoder_forward(x, w_enc, b_enc, w_dec, b_dec):
    code = np.tanh(x @ w_enc + b_enc)
    return code @ w_dec + b_dec, (x, w_enc, w_dec, code)


def autoencoder_backward(dout, cache):
    x, w_enc, w_dec, code = cache
    dw_dec, db_dec = code.T @ dout, dout.sum(axis=0)
    dz = (dout @ w_dec.T) * (1 - code ** 2)
    return dz @ w_enc.T, x.T @ dz, dz.sum(axis=0), dw_dec, db_dec


def encode(x, w_enc, b_enc):
    return np.tanh(x @ w_enc + b_enc)
