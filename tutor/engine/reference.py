"""Expected values from the PyTorch reference, in the trusted parent only.

torch is imported on first use, so `import tutor.engine` stays light. Arrays go to the
reference as float64 (int64 for integer arrays) tensors on the GPU when there is one;
results come back as NumPy float64.
"""
from __future__ import annotations

import importlib
from functools import lru_cache

import numpy as np

from tutor.engine.worker import ragged
from tutor.engine.worker.protocol import RngSeed


@lru_cache(maxsize=None)
def torch():
    import torch as module

    from tutor.engine.threads import limit_torch

    limit_torch(module)    # a grading process keeps to one thread (threads.py)
    return module


@lru_cache(maxsize=None)
def device() -> str:
    return "cuda" if torch().cuda.is_available() else "cpu"


def reference_function(package: str, qualified: str):
    """`layers.affine_forward` from the reference package (tutor.reference, or reference in a checkout)."""
    module_name, _, name = qualified.rpartition(".")
    try:
        module = importlib.import_module(f"{package}.{module_name}")
    except ModuleNotFoundError:
        if package != "tutor.reference":
            raise
        module = importlib.import_module(f"reference.{module_name}")
    return getattr(module, name)


def to_torch(value):
    t = torch()
    if isinstance(value, np.ndarray):
        if value.dtype.kind == "f":
            return t.tensor(value, dtype=t.float64, device=device())
        if value.dtype.kind in "iu":
            return t.tensor(value, dtype=t.int64, device=device())
        if value.dtype.kind == "b":
            return t.tensor(value, dtype=t.bool, device=device())
        raise TypeError(f"cannot give the reference an array of {value.dtype}")
    if isinstance(value, RngSeed):
        return t.Generator(device=device()).manual_seed(value.seed)
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, list) and any(isinstance(v, np.ndarray) for v in value):
        return [to_torch(v) for v in value]
    return value


def to_numpy(value) -> np.ndarray:
    t = torch()
    if isinstance(value, t.Tensor):
        return value.detach().to("cpu", t.float64).numpy()
    return np.asarray(value, dtype=np.float64)


def as_values(result, count: int) -> list[np.ndarray]:
    """A reference result as `count` float64 arrays (a single value when count is 1)."""
    if count == 1:
        return [to_numpy(result)]
    if not isinstance(result, (tuple, list)) or len(result) != count:
        raise ValueError(f"the reference returned {type(result).__name__}, expected {count} values")
    return [to_numpy(v) for v in result]


def compute(package: str, exercise, inputs: dict, dout: np.ndarray | None = None,
            make_dout=None) -> tuple[list[np.ndarray], np.ndarray | None]:
    """(expected values in the order of exercise.outputs, the dout used or None).

    For kind "backward", `dout` is the upstream gradient, or `make_dout(shape)` makes one
    shaped like the reference forward's out.
    """
    tensors = {name: to_torch(value) for name, value in inputs.items()}
    count = len(exercise.outputs)
    if exercise.kind == "backward":
        forward = reference_function(package, qualified_forward(exercise))
        backward = reference_function(package, exercise.id)
        out, cache = forward(**tensors)
        if dout is None:
            dout = make_dout(tuple(out.shape))
        return as_values(backward(to_torch(dout), cache), count), dout
    result = reference_function(package, exercise.id)(**tensors)
    if getattr(exercise, "encode", None):     # a list of batches, encoded as the child encodes it
        result = ragged.encode(exercise.encode, [to_numpy(v) for v in result])
    if exercise.kind == "forward":
        result = result[0]
    return as_values(result, count), None


def qualified_forward(exercise) -> str:
    return exercise.forward if "." in exercise.forward else f"{exercise.module}.{exercise.forward}"
