"""Planted bugs in resnet.py."""
from . import WRONG_BACKWARD, bug

RESIDUAL_FORWARD = """
def residual_forward(x, w1, b1, w2, b2):
    a = x @ w1 + b1
    h = np.maximum(a, 0)
    return x + h @ w2 + b2, (x, w1, w2, a, h)
"""

BUGS = [
    bug("resnet.residual_forward", "forgets the skip connection", "known_mistake", """
        def residual_forward(x, w1, b1, w2, b2):
            a = x @ w1 + b1
            h = np.maximum(a, 0)
            return h @ w2 + b2, (x, w1, w2, a, h)
        """, message=("adds its input back",), also=("resnet.residual_backward",)),
    bug("resnet.residual_forward", "no ReLU between the layers", "known_mistake", """
        def residual_forward(x, w1, b1, w2, b2):
            a = x @ w1 + b1
            return x + a @ w2 + b2, (x, w1, w2, a, a)
        """, message=("relu",), also=("resnet.residual_backward",)),
    bug("resnet.residual_backward", "dx misses the skip path", "known_mistake", RESIDUAL_FORWARD + """
        def residual_backward(dout, cache):
            x, w1, w2, a, h = cache
            da = (dout @ w2.T) * (a > 0)
            return da @ w1.T, x.T @ da, da.sum(axis=0), h.T @ dout, dout.sum(axis=0)
        """, message=("skip path",)),
    bug("resnet.residual_backward", "forgets the ReLU's mask", WRONG_BACKWARD, RESIDUAL_FORWARD + """
        def residual_backward(dout, cache):
            x, w1, w2, a, h = cache
            da = dout @ w2.T
            return dout + da @ w1.T, x.T @ da, da.sum(axis=0), h.T @ dout, dout.sum(axis=0)
        """),
    bug("resnet.residual_backward", "db1 averaged over the batch", "factor", RESIDUAL_FORWARD + """
        def residual_backward(dout, cache):
            x, w1, w2, a, h = cache
            da = (dout @ w2.T) * (a > 0)
            return dout + da @ w1.T, x.T @ da, da.mean(axis=0), h.T @ dout, dout.sum(axis=0)
        """, message=("1/4 of the expected", "1/6 of the expected")),
    bug("resnet.residual_gradient_norms", "backward without the identity path", "known_mistake", """
        def residual_gradient_norms(x, weights, activation):
            act, act_grad = _ACTIVATIONS[activation]
            hs, zs = [x], []
            for W in weights:
                zs.append(hs[-1] @ W)
                hs.append(hs[-1] + act(zs[-1]))
            dh = np.ones_like(hs[-1])
            norms = []
            for l in reversed(range(len(weights))):
                dz = dh * act_grad(zs[l])
                norms.append(np.linalg.norm(hs[l].T @ dz))
                dh = dz @ weights[l].T
            return np.array(norms[::-1])
        """, message=("identity path",)),
    bug("resnet.residual_gradient_norms", "last layer first", "mismatch", """
        def residual_gradient_norms(x, weights, activation):
            act, act_grad = _ACTIVATIONS[activation]
            hs, zs = [x], []
            for W in weights:
                zs.append(hs[-1] @ W)
                hs.append(hs[-1] + act(zs[-1]))
            dh = np.ones_like(hs[-1])
            norms = []
            for l in reversed(range(len(weights))):
                dz = dh * act_grad(zs[l])
                norms.append(np.linalg.norm(hs[l].T @ dz))
                dh = dh + dz @ weights[l].T
            return np.array(norms)
        """),
]
