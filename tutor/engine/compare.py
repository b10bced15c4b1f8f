"""Comparing one returned array with the expected one, and saying in words what is wrong.

`relative_error` is CS231n's: max|a - b| / max(|a| + |b|), safe where everything is 0.
`diagnose` is tried only once a value fails; it looks for the simple patterns a learner
can act on (a transpose, a factor of the batch size, a flipped sign, NaN) before giving
up with the largest difference.
"""
from __future__ import annotations

import itertools
import math
from dataclasses import dataclass

import numpy as np

TINY = 1e-300
# How close a rescaled answer must be to count as "the expected times c".
FACTOR_RTOL = 1e-6


MAX_PERMUTED_AXES = 6         # axis orders tried for a result whose axes are swapped (6! = 720)
_largest = np.maximum.reduce  # the ufunc itself: np.max and ndarray.max add a Python wrapper per call


@dataclass(frozen=True)
class Verdict:
    diagnosis: str
    message: str
    output: str | None = None     # the returned value it is about (a backward returns several)
    factor: float | None = None   # got = factor * expected, when that is what was found
    batch: int | None = None      # the case's batch size, for naming the factor across cases
    parts: tuple = ()             # one Verdict per wrong value, when a case has several
    rule: str | None = None       # the known mistake (tutor/mistakes.py) it matched
    first: tuple | None = None    # (index, got, expected) at the first value that differs


def relative_error(got: np.ndarray, expected: np.ndarray) -> float:
    with np.errstate(all="ignore"):
        scale = float(np.max(np.abs(got) + np.abs(expected), initial=0.0))
        difference = float(np.max(np.abs(got - expected), initial=0.0))
    if difference == 0.0:
        return 0.0
    return difference / max(scale, TINY)


def agrees(got: np.ndarray, expected: np.ndarray, rtol: float, exact: bool = False) -> bool:
    """Same shape (a 0-d expected also takes a single-element answer), same NaN/inf, close values."""
    got = fit_scalar(got, expected)
    if got.shape != expected.shape:
        return False
    if exact:
        return bool(np.array_equal(got, expected, equal_nan=True))
    if got.size == 0:
        return True
    # Fast path for finite values (NaN makes the comparison False and falls through). It runs
    # for every value of every case of every student: the ufunc's reduce, not np.max.
    with np.errstate(all="ignore"):
        difference = float(_largest(np.abs(got - expected), axis=None))
        if difference <= rtol * float(_largest(np.abs(got) + np.abs(expected), axis=None)) and math.isfinite(difference):
            return True
    finite = np.isfinite(expected)
    if finite.all() or not np.array_equal(np.isfinite(got), finite):
        return False
    if not np.array_equal(got[~finite], expected[~finite], equal_nan=True):
        return False
    return relative_error(got[finite], expected[finite]) <= rtol


def agrees_with_any(got: np.ndarray, candidates: list[np.ndarray], rtol: float, exact: bool = False) -> bool:
    """Elementwise, each value may match any one candidate (for kinks: either one-sided derivative)."""
    if any(agrees(got, c, rtol, exact) for c in candidates):
        return True
    got = fit_scalar(got, candidates[0])
    if exact or any(c.shape != got.shape for c in candidates) or not all(np.isfinite(c).all() for c in candidates):
        return False
    if not np.isfinite(got).all():
        return False
    scale = max(float(np.max(np.abs(got) + np.abs(c), initial=0.0)) for c in candidates)
    closest = np.min([np.abs(got - c) for c in candidates], axis=0)
    return float(np.max(closest, initial=0.0)) <= rtol * max(scale, TINY)


def fit_scalar(got: np.ndarray, expected: np.ndarray) -> np.ndarray:
    if expected.ndim == 0 and got.size == 1 and got.ndim > 0:
        return got.reshape(())
    return got


def diagnose(name: str, got: np.ndarray, expected: np.ndarray, rtol: float, batch: int | None = None,
             count: int | None = None) -> Verdict:
    """Why `got` does not agree with `expected`, for a learner: most specific pattern first."""
    got = fit_scalar(got, expected)
    if got.shape != expected.shape:
        return diagnose_shape(name, got, expected, rtol, batch)
    finite = np.isfinite(expected)
    bad = ~np.isfinite(got) & finite
    if bad.any():
        return Verdict("nonfinite", f"your {name} has {describe_count(int(bad.sum()), got.size)} NaN or inf "
                                    f"where the answer is finite")
    if got.ndim == 2 and got.shape[0] == got.shape[1] > 1 and agrees(got.T, expected, rtol):
        return Verdict("transposed", f"your {name} is the transpose of the expected (it is square, "
                                     f"{got.shape[0]}×{got.shape[1]}, so its shape could not tell)")
    order = axis_order(got, expected, rtol) if got.ndim >= 3 else None
    if order is not None:     # axes of equal length swapped: the shape could not tell
        return Verdict("transposed", f"your {name} has the expected shape {got.shape}, but {describe_axes(order)} "
                                     f"(np.transpose / moveaxis)", name)
    factor = constant_factor(got, expected)
    if factor is not None:
        verdict = name_factor(name, factor, batch, count)
        # Any two numbers differ by "a factor": for a single value only a named one means something.
        if got.size >= 3 or verdict.diagnosis == "sign" or "times the expected: off by" not in verdict.message:
            return Verdict(verdict.diagnosis, verdict.message, name, factor, batch)
    return Verdict("mismatch", mismatch_message(name, got, expected, rtol), name,
                   first=first_difference(got, expected, rtol))


def first_difference(got: np.ndarray, expected: np.ndarray, rtol: float) -> tuple:
    """(index, got, expected) at the first value outside the tolerance (the largest gap if none is)."""
    with np.errstate(all="ignore"):
        gap = np.where(np.isfinite(expected), np.abs(got - expected), -1.0)
        scale = float(np.max(np.abs(got) + np.abs(expected), initial=0.0))
    wrong = np.flatnonzero(gap > rtol * max(scale, TINY))
    flat = int(wrong[0]) if wrong.size else int(np.argmax(gap))
    index = tuple(int(i) for i in np.unravel_index(flat, got.shape)) if got.ndim else ()
    return index, float(got[index]), float(expected[index])


def mismatch_message(name: str, got: np.ndarray, expected: np.ndarray, rtol: float) -> str:
    """The relative error, the first index that differs (where a learner starts looking) and the largest."""
    finite = np.isfinite(expected)
    error = relative_error(got[finite], expected[finite]) if finite.any() else float("inf")
    if not got.ndim:
        return (f"your {name} differs from the expected (relative error {error:.1e}): "
                f"got {float(got):.6g}, expected {float(expected):.6g}")
    with np.errstate(all="ignore"):
        gap = np.where(finite, np.abs(got - expected), -1.0)
        scale = float(np.max(np.abs(got) + np.abs(expected), initial=0.0))
    largest = tuple(int(i) for i in np.unravel_index(int(np.argmax(gap)), got.shape))
    wrong = np.flatnonzero(gap > rtol * max(scale, TINY))
    first = first_difference(got, expected, rtol)[0]
    message = (f"your {name} differs from the expected (relative error {error:.1e}, "
               f"{describe_count(int(wrong.size), got.size)} wrong); first at index {index_text(first)}: "
               f"got {got[first]:.6g}, expected {expected[first]:.6g}")
    if first != largest:
        message += f"; the largest difference at index {index_text(largest)}: got {got[largest]:.6g}, expected {expected[largest]:.6g}"
    return message


def index_text(index) -> str:
    return "(" + ", ".join(str(int(i)) for i in index) + ("," if len(index) == 1 else "") + ")"


def describe_count(count: int, size: int) -> str:
    return "every value" if count == size else f"{count} of {size} values"


def diagnose_shape(name, got, expected, rtol, batch) -> Verdict:
    if got.ndim == 2 and got.shape == expected.shape[::-1] and agrees(got.T, expected, rtol):
        return Verdict("transposed", f"your {name} is the transpose of the expected: shape {got.shape}, "
                                     f"expected {expected.shape}", name)
    order = axis_order(got, expected, rtol)
    if order is not None:
        return Verdict("transposed", f"your {name} has shape {got.shape}, expected {expected.shape}: "
                                     f"{describe_axes(order)} (np.transpose / moveaxis, not reshape)", name)
    message = f"your {name} has shape {got.shape}, expected {expected.shape}"
    if got.ndim == expected.ndim + 1 and got.shape[1:] == expected.shape and agrees(got.sum(axis=0), expected, rtol):
        message += f": did you forget to sum over the batch axis (axis 0, of size {got.shape[0]})?"
    elif got.size == expected.size and got.size > 1 and agrees(got.reshape(expected.shape), expected, rtol):
        message += reshape_advice(got.shape, expected.shape)
    elif got.shape == expected.shape[1:] and expected.ndim >= 1:
        message += f": did you sum or average over axis 0 (the batch of {expected.shape[0]}) too soon?"
    return Verdict("shape", message, name)


def axis_order(got: np.ndarray, expected: np.ndarray, rtol: float) -> tuple[int, ...] | None:
    """The order `o` with got == expected.transpose(o), for results of equal rank, or None.

    Only orders that move an axis of size > 1 count: moving size-1 axes is a reshape too, and
    then only the other cases (where those axes are longer) could tell the two apart.
    """
    if got.ndim != expected.ndim or got.ndim < 2 or got.ndim > MAX_PERMUTED_AXES:
        return None
    long_axes = [a for a in range(expected.ndim) if expected.shape[a] > 1]
    for order in itertools.permutations(range(expected.ndim)):
        if order == tuple(range(expected.ndim)) or tuple(expected.shape[a] for a in order) != got.shape:
            continue
        if [a for a in order if a in long_axes] == long_axes:
            continue
        if agrees(got, np.transpose(expected, order), rtol):
            return order
    return None


def describe_axes(order: tuple[int, ...]) -> str:
    """In words: "axes 0 and 1 are swapped", or the whole order."""
    moved = [a for a in range(len(order)) if order[a] != a]
    if len(moved) == 2:
        return f"axes {moved[0]} and {moved[1]} are swapped"
    return f"the axes are in the order {order} of the expected ones"


def reshape_advice(got_shape: tuple, expected_shape: tuple) -> str:
    """A reshape is the fix only when it keeps the order of the values; say so only then."""
    squeezed_got = tuple(n for n in got_shape if n > 1)
    squeezed_expected = tuple(n for n in expected_shape if n > 1)
    if squeezed_got == squeezed_expected and len(got_shape) != len(expected_shape):
        return ": the values are right but in the wrong shape, an axis of size 1 too many or too few (np.squeeze / expand_dims)"
    if squeezed_got == squeezed_expected:
        return (": the values are right on this case, but an axis of size 1 sits elsewhere; on cases where "
                "that axis is longer the values would be out of order: check the order of your axes")
    return ": the values are right but laid out in the wrong shape (reshape it)"


def constant_factor(got: np.ndarray, expected: np.ndarray) -> float | None:
    """c when got is c * expected for one constant c != 1 (least squares, then checked)."""
    finite = np.isfinite(expected) & np.isfinite(got)
    if not finite.all():
        return None
    e, g = expected.reshape(-1), got.reshape(-1)
    energy = float(e @ e)
    if energy == 0.0:
        return None
    c = float(g @ e) / energy
    if c == 0.0 or abs(c - 1.0) < FACTOR_RTOL:
        return None
    return c if relative_error(g, c * e) <= FACTOR_RTOL else None


def name_factor(name: str, c: float, batch: int | None, count: int | None = None) -> Verdict:
    """Words for `got = c * expected`: the batch size N, the number of elements, 2, their inverses."""
    if abs(c + 1) < FACTOR_RTOL:
        return Verdict("sign", f"your {name} is the negative of the expected: a sign is flipped somewhere "
                               f"(check each minus sign, and that you return the gradient, not its negative)")
    sign = " and of the opposite sign" if c < 0 else ""
    size = abs(c)
    simple = [
        (2, f"twice the expected{sign}: an extra factor 2 (from the derivative of a square, or a doubled term?)"),
        (0.5, f"half the expected{sign}: a missing factor 2 (the derivative of x² is 2x)"),
    ]
    by_batch, by_count = [], []
    if batch and batch > 1:
        by_batch = [
            (batch, f"{batch} times the expected{sign}: did you sum over the batch of {batch} "
                    f"where the mean is needed (a missing / {batch})?"),
            (1 / batch, f"1/{batch} of the expected{sign}: did you average over the batch of {batch} "
                        f"instead of summing (an extra / {batch})?"),
            (2 * batch, f"{2 * batch} times the expected{sign}: a missing / {batch} (the batch) and a factor 2"),
            (1 / (2 * batch), f"1/{2 * batch} of the expected{sign}: an extra / {batch} (the batch) and a / 2"),
            (batch / 2, f"{batch}/2 times the expected{sign}: a missing / {batch} (the batch) and an extra / 2"),
            (2 / batch, f"2/{batch} of the expected{sign}: an extra / {batch} (the batch) and a factor 2"),
        ]
    if count and count > 1 and count != batch:
        by_count = [
            (count, f"{count} times the expected{sign}: did you sum over all {count} elements "
                    f"where the mean is needed (a missing / {count})?"),
            (1 / count, f"1/{count} of the expected{sign}: an extra / {count} (the number of elements)"),
            (2 * count, f"{2 * count} times the expected{sign}: a missing / {count} (the number of elements) "
                        f"and a factor 2"),
            (2 / count, f"2/{count} of the expected{sign}: an extra / {count} (the number of elements) "
                        f"and a factor 2"),
        ]
    # The batch's own factors first, then a plain 2, then combinations.
    candidates = by_batch[:2] + by_count[:2] + simple + by_batch[2:] + by_count[2:]
    for value, words in candidates:
        if abs(size - value) <= FACTOR_RTOL * value:
            return Verdict("factor", f"your {name} is {words}")
    return Verdict("factor", f"your {name} is {c:.6g} times the expected: off by a constant factor")
