"""Planted bugs in autoencoder.py."""
from . import WRONG_BACKWARD, bug

AUTOENCODER_FORWARD = """
def autoencoder_forward(x, w_enc, b_enc, w_dec, b_dec):
    code = np.tanh(x @ w_enc + b_enc)
    return code @ w_dec + b_dec, (x, w_enc, w_dec, code)
"""

BUGS = [
    bug("autoencoder.autoencoder_forward", "a tanh on the reconstruction too", "known_mistake", """
        def autoencoder_forward(x, w_enc, b_enc, w_dec, b_dec):
            code = np.tanh(x @ w_enc + b_enc)
            return np.tanh(code @ w_dec + b_dec), (x, w_enc, w_dec, code)
        """, message=("linear",), also=("autoencoder.autoencoder_backward",)),
    bug("autoencoder.autoencoder_forward", "a sigmoid code", "known_mistake", """
        def autoencoder_forward(x, w_enc, b_enc, w_dec, b_dec):
            code = 1 / (1 + np.exp(-(x @ w_enc + b_enc)))
            return code @ w_dec + b_dec, (x, w_enc, w_dec, code)
        """, message=("sigmoid",), also=("autoencoder.autoencoder_backward",)),
    bug("autoencoder.autoencoder_backward", "tanh's derivative as 1 - code", WRONG_BACKWARD, AUTOENCODER_FORWARD + """
        def autoencoder_backward(dout, cache):
            x, w_enc, w_dec, code = cache
            dz = (dout @ w_dec.T) * (1 - code)
            return dz @ w_enc.T, x.T @ dz, dz.sum(axis=0), code.T @ dout, dout.sum(axis=0)
        """),
    bug("autoencoder.autoencoder_backward", "dw_dec transposed", ("transposed", "shape"), AUTOENCODER_FORWARD + """
        def autoencoder_backward(dout, cache):
            x, w_enc, w_dec, code = cache
            dz = (dout @ w_dec.T) * (1 - code ** 2)
            return dz @ w_enc.T, x.T @ dz, dz.sum(axis=0), dout.T @ code, dout.sum(axis=0)
        """, message=("transpose",)),
    bug("autoencoder.encode", "forgets the tanh", "known_mistake", """
        def encode(x, w_enc, b_enc):
            return x @ w_enc + b_enc
        """, message=("missing the tanh",)),
    bug("autoencoder.encode", "forgets the bias", "mismatch", """
        def encode(x, w_enc, b_enc):
            return np.tanh(x @ w_enc)
        """),
]
