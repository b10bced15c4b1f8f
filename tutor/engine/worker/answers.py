"""What the child makes of values: fresh copies of the inputs for each call, whether the
learner changed them, and what they returned as plain float64 arrays (never the learner's
objects). Standard library + NumPy: this file runs next to learner code.
"""
from __future__ import annotations

import numpy as np

from protocol import RngSeed

MAX_ELEMENTS = 1_000_000      # larger outputs are reported by shape only (every answer is far smaller)
MAX_MESSAGE_ELEMENTS = 8_000_000   # per exercise's message, well inside the protocol's frame cap
SMALL_BYTES = 1 << 14
UNSIGNED = {size: np.dtype(f"u{size}") for size in (1, 2, 4, 8)}   # made before any learner code runs


def fresh(inputs: dict) -> dict:
    """Copies the learner may modify freely; an RngSeed becomes a new Generator."""
    return {name: fresh_value(value) for name, value in inputs.items()}


def fresh_value(value):
    if isinstance(value, np.ndarray):
        return value.copy()
    if isinstance(value, RngSeed):
        return np.random.default_rng(value.seed)
    if isinstance(value, list):
        return [fresh_value(v) for v in value]
    if isinstance(value, tuple):
        return tuple(fresh_value(v) for v in value)
    return value


def modified(original: dict, passed: dict) -> list[str]:
    return [name for name, value in original.items() if not same_value(value, passed.get(name))]


def same_array(original: np.ndarray, passed) -> bool:
    """Bit for bit (NaN included). Small arrays by their bytes; large ones as unsigned integers
    of their item size, which copies nothing (two copies of the training digits cost more than
    the comparison). Only ndarray's own methods and operators: learner code in the same process
    may have replaced np.array_equal and its kin with functions of its own."""
    if not (type(passed) is np.ndarray and passed.shape == original.shape and passed.dtype == original.dtype):
        return False
    bits = UNSIGNED.get(original.itemsize)
    if original.nbytes <= SMALL_BYTES or bits is None:
        return passed.tobytes() == original.tobytes()
    return bool((original.view(bits) == passed.view(bits)).all())


def same_value(original, passed) -> bool:
    if isinstance(original, np.ndarray):
        return same_array(original, passed)
    if isinstance(original, list):
        return (type(passed) is list and len(passed) == len(original)
                and all(same_value(a, b) for a, b in zip(original, passed)))
    return True


def kind_of(value) -> str:
    if isinstance(value, (tuple, list)):
        return f"a {type(value).__name__} of {len(value)} values"
    return f"a {type(value).__name__}"


def unpack(result, names, function_name):
    """The returned values as a list matching `names`, or a message saying what is wrong."""
    if len(names) == 1:
        if isinstance(result, tuple):
            return f"{function_name} returned {kind_of(result)}; return the array {names[0]} itself"
        return [result]
    if not isinstance(result, (tuple, list)) or len(result) != len(names):
        return f"{function_name} must return {len(names)} values ({', '.join(names)}), not {kind_of(result)}"
    return list(result)


PLAIN_NUMBERS = (bool, int, float)


def same_float_array(first: np.ndarray, value) -> bool:
    """Whether value, as it would travel (float64, its shape), is first bit for bit."""
    converted = as_float_array(value)
    return not isinstance(converted, str) and same_array(first, converted)


def as_float_array(value):
    """A fresh plain float64 ndarray of the value, or a string saying why it is not one.

    Careful with learner objects: subclasses are viewed as plain ndarrays first (so no
    overridden method runs), objects with __array__ tricks are refused, lists must hold
    plain numbers only.
    """
    if isinstance(value, np.ndarray):
        base = value if type(value) is np.ndarray else np.ndarray.view(value, np.ndarray)
        kind = base.dtype.kind
        if kind in "biuf":
            return np.array(base, dtype=np.float64, copy=True)
        if kind == "c":
            return f"dtype:an array of {base.dtype}"
        return f"not_array:an array of {base.dtype}"
    if type(value) in PLAIN_NUMBERS or (isinstance(value, np.generic) and value.dtype.kind in "biuf"):
        try:
            return np.array(float(value), dtype=np.float64)
        except OverflowError:
            return "not_array:an integer too large for float64"
    if isinstance(value, np.generic) and value.dtype.kind == "c":
        return f"dtype:a {value.dtype} number"
    if type(value) in (list, tuple):
        if not plain_nested(value, depth=0):
            return f"not_array:a {type(value).__name__} that does not hold plain numbers"
        try:
            return np.array(value, dtype=np.float64)
        except (ValueError, OverflowError):
            return f"not_array:a ragged {type(value).__name__}"
    return f"not_array:a {type(value).__name__}"


def plain_nested(value, depth) -> bool:
    if depth > 8:
        return False
    if type(value) in (list, tuple):
        return all(plain_nested(v, depth + 1) for v in value)
    return type(value) in PLAIN_NUMBERS or (type(value) is np.ndarray and value.dtype.kind in "biuf")


def describe_output(value, arrays: list) -> dict:
    converted = as_float_array(value)
    if isinstance(converted, str):
        code, _, what = converted.partition(":")
        return {"bad": code, "what": what}
    if converted.size > MAX_ELEMENTS or sum(a.size for a in arrays) + converted.size > MAX_MESSAGE_ELEMENTS:
        return {"bad": "too_big", "shape": list(converted.shape)}
    arrays.append(converted)
    description = {"a": len(arrays) - 1}
    # The learner's own dtype, when it was a narrower float (the parent explains a float32 miss).
    if isinstance(value, (np.ndarray, np.generic)) and value.dtype.char in "fe":
        description["dtype"] = "float32" if value.dtype.char == "f" else "float16"
    return description
