"""The backprop playground: f = (x + y)·z, forward values and the backward pass step by step.

The gradients come from the PyTorch reference (``tutor.reference.backprop``, which asks
autograd) and, for the inner node q, from autograd directly; the local rules are the
chain-rule bookkeeping a learner writes by hand.
"""
from __future__ import annotations

from dataclasses import dataclass

from ._torch import scalar, tensor


@dataclass(frozen=True)
class Node:
    name: str      # "x", "y", "z", "q" or "f"
    expr: str      # how it is computed: "input", "x + y", "q · z"
    value: float   # forward value


@dataclass(frozen=True)
class BackwardStep:
    node: str      # which node receives its gradient
    gradient: float  # ∂f/∂node
    rule: str      # the local rule, e.g. "∂f/∂q = z"
    working: str   # the rule with numbers, e.g. "∂f/∂q = z = -4"


@dataclass(frozen=True)
class XyzGraph:
    x: float
    y: float
    z: float
    nodes: tuple[Node, ...]              # forward order: x, y, z, q, f
    backward: tuple[BackwardStep, ...]   # backward order: f, q, z, x, y
    f: float
    gradients: dict[str, float]          # {"x": ∂f/∂x, "y": ∂f/∂y, "z": ∂f/∂z, "q": ∂f/∂q}


def _fmt(v: float) -> str:
    return f"{v:g}"


def xyz_graph(x: float = -2.0, y: float = 5.0, z: float = -4.0) -> XyzGraph:
    """Forward and backward pass of f = (x + y)·z with q = x + y.

    The lecture's values x=-2, y=5, z=-4 give q = 3, f = -12, ∂f/∂q = z = -4,
    ∂f/∂z = q = 3 and ∂f/∂x = ∂f/∂y = ∂f/∂q · 1 = -4.
    """
    import torch

    from tutor.reference import backprop as ref

    f_t, cache = ref.xyz_forward(tensor(x), tensor(y), tensor(z))
    dx, dy, dz = ref.xyz_backward(1.0, cache)
    # ∂f/∂q for the inner node: autograd on the same graph, with q kept as a leaf.
    q_leaf = (tensor(x) + tensor(y)).requires_grad_(True)
    with torch.enable_grad():
        (dq,) = torch.autograd.grad(q_leaf * tensor(z), q_leaf)

    q, f = float(x) + float(y), scalar(f_t)
    g = {"x": scalar(dx), "y": scalar(dy), "z": scalar(dz), "q": scalar(dq)}
    nodes = (
        Node("x", "input", float(x)),
        Node("y", "input", float(y)),
        Node("z", "input", float(z)),
        Node("q", "x + y", q),
        Node("f", "q · z", f),
    )
    steps = (
        BackwardStep("f", 1.0, "∂f/∂f = 1", "∂f/∂f = 1 (the start of every backward pass)"),
        BackwardStep("q", g["q"], "∂f/∂q = z", f"∂f/∂q = z = {_fmt(float(z))}"),
        BackwardStep("z", g["z"], "∂f/∂z = q", f"∂f/∂z = q = {_fmt(q)}"),
        BackwardStep("x", g["x"], "∂f/∂x = ∂f/∂q · ∂q/∂x = z · 1",
                     f"∂f/∂x = {_fmt(g['q'])} · 1 = {_fmt(g['x'])}"),
        BackwardStep("y", g["y"], "∂f/∂y = ∂f/∂q · ∂q/∂y = z · 1",
                     f"∂f/∂y = {_fmt(g['q'])} · 1 = {_fmt(g['y'])}"),
    )
    return XyzGraph(float(x), float(y), float(z), nodes, steps, f, g)


__all__ = ["BackwardStep", "Node", "XyzGraph", "xyz_graph"]
