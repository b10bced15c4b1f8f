"""Reference: backpropagation on small graphs, f = (x + y)·z and a two-layer net."""
import torch

from ._graph import gradients, record


def _as_tensor(v):
    # Python numbers become float64 tensors; tensors keep their dtype and device.
    return v if isinstance(v, torch.Tensor) else torch.as_tensor(v, dtype=torch.float64)


def xyz_forward(x, y, z):
    """f = (x + y) * z, for Python scalars or same-shape tensors -> (f, cache)."""
    return record(lambda x, y, z: (x + y) * z, _as_tensor(x), _as_tensor(y), _as_tensor(z))


def xyz_backward(df, cache):
    """(dx, dy, dz); at x=-2, y=5, z=-4 with df=1: (-4, -4, 3)."""
    return gradients(df, cache)


def _two_layer(X, W1, w2):
    h = torch.sigmoid(X @ W1)
    return torch.sigmoid(h @ w2)


def two_layer_forward(X, W1, w2):
    """out = sigmoid(sigmoid(X @ W1) @ w2): X (N, D), W1 (D, H), w2 (H,) -> out (N,)."""
    return record(_two_layer, X, W1, w2)


def two_layer_backward(dout, cache):
    """(dX, dW1, dw2)."""
    return gradients(dout, cache)
