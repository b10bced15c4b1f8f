"""The activations playground: each activation's curve and its derivative.

Values and derivatives come from the PyTorch reference (``tutor.reference.activations``):
the derivative is the reference's backward with an upstream gradient of ones, i.e.
autograd, not a hand-written formula. ``ANALYTIC`` holds the formulas as text, for display.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ._torch import numpy as to_numpy, tensor

ACTIVATION_NAMES: tuple[str, ...] = ("sigmoid", "tanh", "relu", "leaky_relu", "elu")

# (formula, derivative) as Unicode text for the app.
ANALYTIC: dict[str, tuple[str, str]] = {
    "sigmoid": ("σ(z) = 1 / (1 + e⁻ᶻ)", "σ′(z) = σ(z)(1 − σ(z)) ≤ 1/4"),
    "tanh": ("tanh(z) = (eᶻ − e⁻ᶻ) / (eᶻ + e⁻ᶻ)", "tanh′(z) = 1 − tanh²(z) ≤ 1"),
    "relu": ("ReLU(z) = max(0, z)", "ReLU′(z) = 1 for z > 0, 0 for z < 0"),
    "leaky_relu": ("LeakyReLU(z) = z for z > 0, αz otherwise (α = 0.01)",
                   "LeakyReLU′(z) = 1 for z > 0, α for z < 0"),
    "elu": ("ELU(z) = z for z ≥ 0, α(eᶻ − 1) otherwise (α = 1)",
            "ELU′(z) = 1 for z > 0, α·eᶻ for z < 0"),
}


@dataclass(frozen=True)
class Curves:
    name: str
    xs: np.ndarray           # the inputs
    values: np.ndarray       # act(xs)
    derivatives: np.ndarray  # act′(xs), by autograd through the reference
    formula: str
    derivative_formula: str
    max_derivative: float    # largest derivative on xs (1/4 for sigmoid on a grid through 0)


def activation_curves(name: str, xs=None, alpha: float | None = None) -> Curves:
    """Values and derivatives of one activation on the inputs `xs`.

    name: one of ACTIVATION_NAMES. xs: any 1-D sequence (default 201 points on [-6, 6]).
    alpha: slope/scale for leaky_relu (default 0.01) and elu (default 1.0).
    """
    import torch

    from tutor.reference import activations as ref

    if name not in ACTIVATION_NAMES:
        raise ValueError(f"unknown activation {name!r}; choose one of {', '.join(ACTIVATION_NAMES)}")
    xs = np.linspace(-6.0, 6.0, 201) if xs is None else np.asarray(xs, dtype=np.float64).reshape(-1)
    forward = getattr(ref, f"{name}_forward")
    backward = getattr(ref, f"{name}_backward")
    x = tensor(xs)
    out, cache = forward(x) if alpha is None else forward(x, alpha=alpha)
    d = backward(torch.ones_like(x), cache)
    values, derivatives = to_numpy(out), to_numpy(d)
    formula, derivative_formula = ANALYTIC[name]
    return Curves(name, xs.copy(), values, derivatives, formula, derivative_formula,
                  float(derivatives.max()) if derivatives.size else 0.0)


__all__ = ["ACTIVATION_NAMES", "ANALYTIC", "Curves", "activation_curves"]
