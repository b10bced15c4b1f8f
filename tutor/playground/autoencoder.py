"""The autoencoder playground: 2-D codes of the 8×8 digits, next to PCA.

``digit_codes`` trains a 64 → K → 64 autoencoder (tanh code, linear decoder, the
contract's) on the training digits with autograd and Adam, then encodes the held-out
digits with the reference ``autoencoder.encode``; PCA's first K components of the same
digits come from an SVD. Both report their reconstruction error.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ._torch import numpy as to_numpy


@dataclass(frozen=True)
class DigitCodes:
    steps: int
    labels: np.ndarray            # (M,) the held-out digits' labels (never used in training)
    codes: np.ndarray             # (M, K) the autoencoder's codes
    pca: np.ndarray               # (M, K) PCA's projections
    autoencoder_error: float      # mean squared reconstruction error on the held-out digits
    pca_error: float


def digit_codes(steps: int = 300, k: int = 2, seed: int = 0, shown: int = 200) -> DigitCodes:
    """Train the autoencoder for `steps` full-batch Adam steps; codes of `shown` held-out digits."""
    import torch

    from tutor import digits
    from tutor.reference import autoencoder as ref

    if not 0 <= steps <= 5000 or not 1 <= k <= 8:
        raise ValueError("0 to 5000 steps and a code of 1 to 8 numbers")
    X, _ = digits.train_split()
    Xh, yh = digits.held_out_split()
    Xh, yh = Xh[:shown], yh[:shown]
    rng = np.random.default_rng(seed)
    mean = X.mean(axis=0)
    params = [torch.tensor(rng.normal(0, np.sqrt(2 / (64 + k)), (64, k)), requires_grad=True),
              torch.zeros(k, dtype=torch.float64, requires_grad=True),
              torch.tensor(rng.normal(0, np.sqrt(2 / (64 + k)), (k, 64)), requires_grad=True),
              torch.tensor(mean.copy(), requires_grad=True)]
    Xt = torch.tensor(X)
    optimiser = torch.optim.Adam(params, lr=0.02)
    for _ in range(steps):
        optimiser.zero_grad()
        recon, _ = ref.autoencoder_forward(Xt, *params)
        # record() detaches its output; the loss needs the graph, so rebuild it here.
        recon = torch.tanh(Xt @ params[0] + params[1]) @ params[2] + params[3]
        ((recon - Xt) ** 2).mean().backward()
        optimiser.step()
    with torch.no_grad():
        Xht = torch.tensor(Xh)
        codes = to_numpy(ref.encode(Xht, params[0], params[1]))
        error = float(((ref.autoencoder_forward(Xht, *params)[0] - Xht) ** 2).mean())
    centred = X - mean
    _, _, vt = np.linalg.svd(centred, full_matrices=False)
    basis = vt[:k].T
    pca = (Xh - mean) @ basis
    pca_error = float((((Xh - mean) @ basis @ basis.T + mean - Xh) ** 2).mean())
    return DigitCodes(steps, yh.copy(), codes, pca, error, pca_error)


__all__ = ["DigitCodes", "digit_codes"]
