"""tutor/engine/properties.py: the statistical judges of the random exercises."""
import inspect

import numpy as np
import pytest

from tutor.engine import properties
from tutor.manifest import EXERCISES, by_id


# --- properties of the random exercises ---------------------------------------------------

def _xavier_ok(n_in, n_out, rng):
    return rng.normal(0.0, np.sqrt(2 / (n_in + n_out)), size=(n_in, n_out))


def test_xavier_properties_accept_a_correct_sampler():
    """The bounds are set for a false failure below 1e-9; 100 seeds must all pass."""
    e = by_id("initialization.xavier_normal")
    for seed, c in [(seed, c) for seed in range(100) for c in e.cases]:
        inputs = c.make(np.random.default_rng(seed))
        w = _xavier_ok(inputs["n_in"], inputs["n_out"], np.random.default_rng(seed))
        assert properties.judge(e.properties, inputs, {"w": w}) == []


@pytest.mark.parametrize("wrong, fragment", [
    (lambda n_in, n_out, rng: rng.normal(0.0, np.sqrt(2 / n_in), size=(n_in, n_out)), "standard deviation"),
    (lambda n_in, n_out, rng: rng.normal(0.0, np.sqrt(1 / (n_in + n_out)), size=(n_in, n_out)), "standard deviation"),
    (lambda n_in, n_out, rng: rng.normal(0.0, 2 / (n_in + n_out), size=(n_in, n_out)), "standard deviation"),
    (lambda n_in, n_out, rng: rng.normal(0.1, np.sqrt(2 / (n_in + n_out)), size=(n_in, n_out)), "mean"),
    (lambda n_in, n_out, rng: rng.uniform(-1, 1, size=(n_in, n_out)) * np.sqrt(3 * 2 / (n_in + n_out)), "uniform"),
    (lambda n_in, n_out, rng: rng.normal(0.0, np.sqrt(2 / (n_in + n_out)), size=(n_out, n_in)), "shape"),
])
def test_xavier_properties_reject_wrong_samplers(wrong, fragment):
    e = by_id("initialization.xavier_normal")
    inputs = e.cases[0].make(np.random.default_rng(0))
    problems = properties.judge(e.properties, inputs, {"w": wrong(inputs["n_in"], inputs["n_out"], np.random.default_rng(0))})
    assert problems and fragment in " ".join(problems)


def _dropout_ok(x, p, train, rng):
    if not train:
        return x.copy(), None
    mask = (rng.random(x.shape) >= p) / (1 - p)
    return x * mask, mask


def test_dropout_properties_accept_a_correct_dropout():
    fwd, bwd = by_id("layers.dropout_forward"), by_id("layers.dropout_backward")
    for seed, c in [(seed, c) for seed in range(100) for c in fwd.cases]:
        rng = np.random.default_rng(seed)
        inputs = c.make(rng)
        out, mask = _dropout_ok(**inputs, rng=rng)
        assert properties.judge(fwd.properties, inputs, {"out": out}) == []
        dout = rng.standard_normal(out.shape)
        dx = dout.copy() if mask is None else dout * mask
        assert properties.judge(bwd.properties, {**inputs, "dout": dout}, {"out": out, "dx": dx}) == []


@pytest.mark.parametrize("wrong, fragment", [
    (lambda x, p, train, rng: x * (rng.random(x.shape) >= p) * p if train else x.copy(), "scaled by p"),
    (lambda x, p, train, rng: x * (rng.random(x.shape) >= p) if train else x.copy(), "no scaling"),
    (lambda x, p, train, rng: x * (rng.random(x.shape) < p) / p if train else x.copy(), "probability to drop"),
    (lambda x, p, train, rng: x * (rng.random(x.shape) >= p) if train else x * (1 - p), "identity"),
])
def test_dropout_forward_properties_reject_wrong_dropouts(wrong, fragment):
    e = by_id("layers.dropout_forward")
    problems = []
    for c in e.cases:
        inputs = c.make(np.random.default_rng(0))
        problems += properties.judge(e.properties, inputs, {"out": wrong(**inputs, rng=np.random.default_rng(1))})
    assert problems and fragment in " ".join(problems), problems


def test_dropout_backward_properties_reject_a_new_mask_and_a_wrong_scale():
    e = by_id("layers.dropout_backward")
    rng = np.random.default_rng(0)
    inputs = e.cases[0].make(rng)
    out, mask = _dropout_ok(**inputs, rng=rng)
    dout = rng.standard_normal(out.shape)
    fresh = dout * (rng.random(out.shape) >= inputs["p"]) / (1 - inputs["p"])
    assert "mask" in " ".join(properties.judge(e.properties, {**inputs, "dout": dout}, {"out": out, "dx": fresh}))
    unscaled = dout * (mask > 0)
    assert "dout / (1 - p)" in " ".join(properties.judge(e.properties, {**inputs, "dout": dout}, {"out": out, "dx": unscaled}))


def test_property_functions_are_documented():
    for e in EXERCISES:
        if e.properties is not None:
            assert inspect.getdoc(properties.JUDGES[e.properties])
