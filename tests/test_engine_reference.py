"""reference.py: what the reference is given and what comes back."""
from __future__ import annotations

import numpy as np
import torch

from tutor import manifest
from tutor.engine import reference
from tutor.engine.worker.protocol import RngSeed


def test_inputs_become_tensors_of_the_right_kind():
    t = reference.to_torch
    assert t(np.ones(2)).dtype == torch.float64
    assert t(np.arange(3)).dtype == torch.int64
    assert t(np.array([True])).dtype == torch.bool
    assert t(3) == 3 and t("relu") == "relu" and t([1, 2]) == [1, 2]
    assert isinstance(t(np.float64(2.0)), float)
    weights = t([np.ones((2, 3)), np.ones((3, 1))])
    assert [w.shape for w in weights] == [(2, 3), (3, 1)]
    a, b = t(RngSeed(5)), t(RngSeed(5))
    assert torch.rand(3, generator=a).tolist() == torch.rand(3, generator=b).tolist()


def test_tensors_are_on_the_device():
    assert reference.to_torch(np.ones(2)).device.type == reference.device()


def test_results_come_back_as_float64():
    assert reference.to_numpy(torch.ones(2, dtype=torch.float32)).dtype == np.float64
    assert reference.to_numpy(7).shape == ()


def test_compute_a_backward_draws_dout_like_the_forward():
    exercise = manifest.by_id("layers.affine_backward")
    x, w, b = np.ones((4, 5)), np.ones((5, 3)), np.zeros(3)
    shapes = []

    def make_dout(shape):
        shapes.append(shape)
        return np.ones(shape)

    (dx, dw, db), dout = reference.compute("tutor.reference", exercise, {"x": x, "w": w, "b": b}, make_dout=make_dout)
    assert shapes == [(4, 3)] and dout.shape == (4, 3)
    assert np.allclose(dx, 3.0) and np.allclose(dw, 4.0) and np.allclose(db, 4.0)


def test_compute_a_forward_keeps_out_only():
    exercise = manifest.by_id("activations.relu_forward")
    (out,), dout = reference.compute("tutor.reference", exercise, {"x": np.array([-1.0, 2.0])})
    assert out.tolist() == [0.0, 2.0] and dout is None
