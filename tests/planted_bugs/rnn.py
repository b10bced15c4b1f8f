"""Planted bugs in rnn.py."""
from . import WRONG_BACKWARD, bug

STEP_FORWARD = """
def rnn_step_forward(x, h_prev, Wx, Wh, b):
    h_next = np.tanh(x @ Wx + h_prev @ Wh + b)
    return h_next, (x, h_prev, Wx, Wh, h_next)
"""

# rnn_forward / rnn_backward bugs keep the module's own step functions and only rely on
# rnn_forward's cache being the list of step caches, which they build themselves.
RNN_FORWARD = """
def rnn_forward(x, h0, Wx, Wh, b):
    N, T, _ = x.shape
    h, caches, h_prev = np.empty((N, T, h0.shape[1])), [], h0
    for t in range(T):
        h_prev, cache = rnn_step_forward(x[:, t], h_prev, Wx, Wh, b)
        h[:, t] = h_prev
        caches.append(cache)
    return h, caches
"""

BUGS = [
    # --- one step --------------------------------------------------------------------------------
    bug("rnn.rnn_step_forward", "forgets the bias", "mismatch", """
        def rnn_step_forward(x, h_prev, Wx, Wh, b):
            h_next = np.tanh(x @ Wx + h_prev @ Wh)
            return h_next, (x, h_prev, Wx, Wh, h_next)
        """, also=("rnn.rnn_step_backward", "rnn.rnn_forward", "rnn.rnn_backward")),
    bug("rnn.rnn_step_forward", "h_prev @ Wh.T: the recurrent weight transposed", "mismatch", """
        def rnn_step_forward(x, h_prev, Wx, Wh, b):
            h_next = np.tanh(x @ Wx + h_prev @ Wh.T + b)
            return h_next, (x, h_prev, Wx, Wh, h_next)
        """, also=("rnn.rnn_step_backward", "rnn.rnn_forward", "rnn.rnn_backward")),
    bug("rnn.rnn_step_forward", "sigmoid instead of tanh", "mismatch", """
        def rnn_step_forward(x, h_prev, Wx, Wh, b):
            h_next = 1 / (1 + np.exp(-(x @ Wx + h_prev @ Wh + b)))
            return h_next, (x, h_prev, Wx, Wh, h_next)
        """, also=("rnn.rnn_step_backward", "rnn.rnn_forward", "rnn.rnn_backward")),
    bug("rnn.rnn_step_backward", "forgets tanh's derivative", (WRONG_BACKWARD, "known_mistake"), STEP_FORWARD + """
        def rnn_step_backward(dh_next, cache):
            x, h_prev, Wx, Wh, h_next = cache
            da = dh_next
            return da @ Wx.T, da @ Wh.T, x.T @ da, h_prev.T @ da, da.sum(axis=0)
        """, also=("rnn.rnn_backward",)),
    # dWh is square (H, H): only its values can show the transpose.
    bug("rnn.rnn_step_backward", "dWh = da^T h_prev: transposed", "transposed", STEP_FORWARD + """
        def rnn_step_backward(dh_next, cache):
            x, h_prev, Wx, Wh, h_next = cache
            da = dh_next * (1 - h_next ** 2)
            return da @ Wx.T, da @ Wh.T, x.T @ da, da.T @ h_prev, da.sum(axis=0)
        """, message=("transpose",), also=("rnn.rnn_backward",)),
    bug("rnn.rnn_step_backward", "db is the mean over the batch", "factor", STEP_FORWARD + """
        def rnn_step_backward(dh_next, cache):
            x, h_prev, Wx, Wh, h_next = cache
            da = dh_next * (1 - h_next ** 2)
            return da @ Wx.T, da @ Wh.T, x.T @ da, h_prev.T @ da, da.mean(axis=0)
        """, message=("db is 1/4 of the expected",), also=("rnn.rnn_backward",)),
    # --- unrolled -------------------------------------------------------------------------------
    bug("rnn.rnn_forward", "every step starts from h0", "mismatch", """
        def rnn_forward(x, h0, Wx, Wh, b):
            N, T, _ = x.shape
            h, caches = np.empty((N, T, h0.shape[1])), []
            for t in range(T):
                h_t, cache = rnn_step_forward(x[:, t], h0, Wx, Wh, b)
                h[:, t] = h_t
                caches.append(cache)
            return h, caches
        """, also=("rnn.rnn_backward",)),
    bug("rnn.rnn_forward", "returns only the last hidden state", ("shape",), """
        def rnn_forward(x, h0, Wx, Wh, b):
            h, caches = h0, []
            for t in range(x.shape[1]):
                h, cache = rnn_step_forward(x[:, t], h, Wx, Wh, b)
                caches.append(cache)
            return h, caches
        """, message=("shape",), also=("rnn.rnn_backward",)),
    bug("rnn.rnn_backward", "BPTT without carrying dh_prev to the previous step", (WRONG_BACKWARD, "known_mistake"), RNN_FORWARD + """
        def rnn_backward(dh, cache):
            N, T, H = dh.shape
            dxs, dWx, dWh, db = [], 0, 0, 0
            for t in reversed(range(T)):
                dx_t, dh_prev, dWx_t, dWh_t, db_t = rnn_step_backward(dh[:, t], cache[t])
                dxs.append(dx_t)
                dWx, dWh, db = dWx + dWx_t, dWh + dWh_t, db + db_t
            return np.stack(dxs[::-1], axis=1), dh_prev, dWx, dWh, db
        """),
    bug("rnn.rnn_backward", "keeps only the last step's weight gradients", WRONG_BACKWARD, RNN_FORWARD + """
        def rnn_backward(dh, cache):
            N, T, H = dh.shape
            dxs, dh_prev = [], np.zeros((N, H))
            for t in reversed(range(T)):
                dx_t, dh_prev, dWx, dWh, db = rnn_step_backward(dh[:, t] + dh_prev, cache[t])
                dxs.append(dx_t)
            return np.stack(dxs[::-1], axis=1), dh_prev, dWx, dWh, db
        """),
    bug("rnn.rnn_backward", "dh0 is dh[:, 0] instead of the gradient carried past step 0", WRONG_BACKWARD,
        RNN_FORWARD + """
        def rnn_backward(dh, cache):
            N, T, H = dh.shape
            dxs, dWx, dWh, db, dh_prev = [], 0, 0, 0, np.zeros((N, H))
            for t in reversed(range(T)):
                dx_t, dh_prev, dWx_t, dWh_t, db_t = rnn_step_backward(dh[:, t] + dh_prev, cache[t])
                dxs.append(dx_t)
                dWx, dWh, db = dWx + dWx_t, dWh + dWh_t, db + db_t
            return np.stack(dxs[::-1], axis=1), dh[:, 0].copy(), dWx, dWh, db
        """),
    # --- softmax ----------------------------------------------------------------------------------
    bug("rnn.softmax", "exp without subtracting the max", ("edge_cases", "nonfinite"), """
        def softmax(z):
            e = np.exp(z)
            return e / e.sum(axis=-1, keepdims=True)
        """, message=("1000", "edge", "overflow", "nan", "inf")),
    bug("rnn.softmax", "subtracts the global max, not each row's", ("edge_cases", "nonfinite"), """
        def softmax(z):
            e = np.exp(z - z.max())
            return e / e.sum(axis=-1, keepdims=True)
        """, message=("1000", "edge", "nan", "inf", "underflow")),
    bug("rnn.softmax", "max without keepdims: the shapes do not broadcast", "exception", """
        def softmax(z):
            e = np.exp(z - z.max(axis=-1))
            return e / e.sum(axis=-1)
        """, message=("broadcast", "ValueError")),
    bug("rnn.softmax", "normalises along the first axis", ("mismatch", "known_mistake"), """
        def softmax(z):
            e = np.exp(z - z.max(axis=0, keepdims=True))
            return e / e.sum(axis=0, keepdims=True)
        """),
]
