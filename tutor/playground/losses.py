"""The softmax playground: why softmax subtracts the largest logit first.

``softmax_stability`` computes softmax twice: naively, e^zᵢ / ∑ e^zⱼ, which overflows
(inf / inf = nan) for logits around 1000 in float64; and shifted, e^(zᵢ − max z) / ∑ ...,
which gives the same probabilities whenever both are finite. The reference softmax and
cross-entropy (``tutor.reference``) are computed alongside.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ._torch import numpy as to_numpy, scalar, tensor


@dataclass(frozen=True)
class SoftmaxStability:
    logits: np.ndarray
    naive: np.ndarray            # e^z / ∑e^z straight: nan/inf when e^z overflows
    naive_finite: bool
    shifted: np.ndarray          # with max z subtracted first: always finite
    reference: np.ndarray        # tutor.reference.rnn.softmax
    label: int
    cross_entropy: float         # −log softmax(z)[label], by the reference
    squared_error: float         # ∑ (softmax(z) − onehot(label))², for comparison


def softmax_stability(logits=(1000.0, 999.0, 998.0), label: int = 0) -> SoftmaxStability:
    """Naive and shifted softmax of one vector of logits, and its losses for `label`."""
    from tutor.reference import layers as ref_layers
    from tutor.reference import rnn as ref_rnn

    z = np.asarray(logits, dtype=np.float64).reshape(-1)
    if z.size < 2:
        raise ValueError("give at least two logits")
    if not 0 <= label < z.size:
        raise ValueError(f"label must be between 0 and {z.size - 1}")
    with np.errstate(over="ignore", invalid="ignore"):
        e = np.exp(z)
        naive = e / e.sum()
    shifted_e = np.exp(z - z.max())
    shifted = shifted_e / shifted_e.sum()
    reference = to_numpy(ref_rnn.softmax(tensor(z)))
    import torch

    loss, _ = ref_layers.softmax_cross_entropy(tensor(z[None]), torch.tensor([label]))
    onehot = np.zeros_like(z)
    onehot[label] = 1.0
    return SoftmaxStability(z, naive, bool(np.all(np.isfinite(naive))), shifted, reference, label,
                            scalar(loss), float(((shifted - onehot) ** 2).sum()))


__all__ = ["SoftmaxStability", "softmax_stability"]
