"""The manifest (tutor/manifest.py): complete, ordered, well-formed and deterministic.

All but the last test read only the manifest and the contract (shared/EXERCISES.md);
the last runs every case through reference/ (torch) to check the results' shapes.
"""
import importlib.util
import os
import pathlib
import re

import numpy as np
import pytest

from tutor.lessons import LESSONS
from tutor.engine import properties
from tutor.manifest import EXERCISES, SQUARE_BY_CONTRACT, Case, Exercise, by_id, select

ROOT = pathlib.Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
CHECKER = SHARED / "tools" / "contract_check.py"
KINDS = {"forward", "function", "backward", "random"}


def _contract():
    """{module: {function: [params]}} from shared/EXERCISES.md, by the shared checker's parser."""
    if not CHECKER.exists():
        if os.environ.get("CI"):  # CI always has shared/ beside the clone
            pytest.fail(f"{CHECKER} is missing: CI must run with shared/ beside the checkout")
        pytest.skip("shared/tools/contract_check.py is not beside the checkout")
    spec = importlib.util.spec_from_file_location("contract_check", CHECKER)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.contract(include_new=True)   # the (new) sections are in the manifest too


def _contract_ids():
    return [f"{m}.{f}" for m, fns in _contract().items() for f in fns]


def test_every_contract_function_has_exactly_one_entry():
    ids = [e.id for e in EXERCISES]
    contract = _contract_ids()
    assert len(contract) == 59    # 47 of the first release + 12 from the (new) sections
    missing = sorted(set(contract) - set(ids))
    extra = sorted(set(ids) - set(contract))
    assert not missing, f"not in the manifest: {missing}"
    assert not extra, f"in the manifest but not in the contract: {extra}"
    assert len(ids) == len(set(ids)), "duplicate ids"


def test_ids_are_module_dot_function():
    for e in EXERCISES:
        assert re.fullmatch(r"[a-z_0-9]+\.[a-z_0-9]+", e.id), e.id
        assert e.module and e.function


def test_lessons_exist_and_the_order_follows_the_syllabus():
    order = [lesson.id for lesson in LESSONS]
    lessons = [e.lesson for e in EXERCISES]
    for e in EXERCISES:
        assert e.lesson in order, f"{e.id}: unknown lesson {e.lesson!r}"
    positions = [order.index(lesson) for lesson in lessons]
    assert positions == sorted(positions), "exercises must come in lesson order"
    assert set(lessons) == set(order), "every lesson has at least one exercise"


# The lead's lesson assignment, spelled out.
LESSON_OF = {
    "perceptron": lambda i: i.startswith("perceptron."),
    "backprop": lambda i: i.startswith("backprop.xyz_"),
    "training": lambda i: i.startswith(("backprop.two_layer_", "layers.affine_")) or i == "optim.sgd_step",
    "activations": lambda i: i.startswith("activations.") or i in ("initialization.xavier_normal",
                                                                  "vanishing.layer_gradient_norms"),
    "parameters": lambda i: i.startswith("param_count."),
    "rnn": lambda i: i.startswith("rnn."),
    "losses": lambda i: i in ("layers.mse_loss", "layers.softmax_cross_entropy", "layers.triplet_loss"),
    "regularization": lambda i: i.startswith(("regularization.", "layers.dropout_")),
    "cnn": lambda i: i.startswith("cnn."),
    "momentum": lambda i: i == "optim.momentum_step",
    "batchnorm": lambda i: i.startswith("layers.batchnorm_"),
    "practice": lambda i: i in ("optim.minibatches", "optim.lr_step_decay", "optim.lr_exponential_decay"),
    "deeper": lambda i: i.startswith("resnet."),
    "unsupervised": lambda i: i.startswith("autoencoder."),
    "capstone": lambda i: i.startswith("train."),
}


@pytest.mark.parametrize("exercise", EXERCISES, ids=lambda e: e.id)
def test_lesson_assignment(exercise):
    matches = [lesson for lesson, rule in LESSON_OF.items() if rule(exercise.id)]
    assert matches == [exercise.lesson]


@pytest.mark.parametrize("exercise", EXERCISES, ids=lambda e: e.id)
def test_entry_is_well_formed(exercise: Exercise):
    e = exercise
    assert e.kind in KINDS
    assert isinstance(e.points, int) and 1 <= e.points <= 3
    assert 2 <= len(e.hints) <= 3
    for hint in e.hints:
        assert isinstance(hint, str) and hint.strip(), f"{e.id}: empty hint"
        assert "\\" not in hint and "$" not in hint, f"{e.id}: LaTeX in a hint: {hint!r}"
    assert len(set(e.hints)) == len(e.hints)
    assert e.cases, f"{e.id}: no cases"
    assert len({c.name for c in e.cases}) == len(e.cases), f"{e.id}: case names repeat"
    assert all(isinstance(c, Case) and c.name for c in e.cases)
    assert e.outputs and all(isinstance(n, str) and n for n in e.outputs)
    forwards = {x.id for x in EXERCISES if x.kind == "forward" or x.id == "layers.dropout_forward"}
    if e.kind == "backward" or (e.kind == "random" and e.function.endswith("_backward")):
        assert e.forward in forwards, f"{e.id}: forward={e.forward!r}"
        assert e.forward.split(".")[0] == e.module
        assert e.function.replace("_backward", "_forward") == e.forward.split(".")[1]
    else:
        assert e.forward is None
    if e.kind == "random":
        assert callable(properties.JUDGES[e.properties])
    else:
        assert e.properties is None


NON_ARRAY_ARGUMENTS = {"alpha", "eps", "stride", "pad", "size", "p", "train", "rng"}


def test_backward_outputs_name_the_gradients_of_the_forwards_array_arguments():
    contract = _contract()
    for e in EXERCISES:
        if e.kind != "backward":
            continue
        forward = by_id(e.forward)
        arrays = [p for p in contract[forward.module][forward.function] if p not in NON_ARRAY_ARGUMENTS]
        assert list(e.outputs) == ["d" + p for p in arrays], e.id


def test_exact_only_for_integer_results():
    exact = {e.id for e in EXERCISES if e.exact}
    assert "perceptron.perceptron_train" in exact
    assert {e.id for e in select("param_count")} <= exact


def test_points_and_by_id_and_select():
    assert all(e.points > 0 for e in EXERCISES)
    assert by_id("layers.affine_backward").kind == "backward"
    with pytest.raises(KeyError):
        by_id("layers.nope")
    assert [e.id for e in select("optim")] == ["optim.sgd_step", "optim.momentum_step", "optim.minibatches",
                                               "optim.lr_step_decay", "optim.lr_exponential_decay"]
    assert select(None) == EXERCISES
    assert select("cnn.conv_forward") == [by_id("cnn.conv_forward")]


# --- cases -------------------------------------------------------------------------------

def _all_cases():
    return [pytest.param(e, c, id=f"{e.id}[{c.name}]") for e in EXERCISES for c in e.cases]


def _same(a, b):
    if isinstance(a, np.random.Generator):   # the same seed: the same state
        return isinstance(b, np.random.Generator) and a.bit_generator.state == b.bit_generator.state
    if isinstance(a, np.ndarray):
        return isinstance(b, np.ndarray) and a.dtype == b.dtype and a.shape == b.shape and np.array_equal(a, b)
    if isinstance(a, (list, tuple)):
        return type(a) is type(b) and len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    return type(a) is type(b) and a == b


def _arrays(kwargs):
    """(name, array) for every array argument, looking inside lists (vanishing's weights)."""
    for name, value in kwargs.items():
        if isinstance(value, np.ndarray):
            yield name, value
        elif isinstance(value, (list, tuple)):
            for i, item in enumerate(value):
                if isinstance(item, np.ndarray):
                    yield f"{name}[{i}]", item


@pytest.mark.parametrize("exercise, case", _all_cases())
def test_case_builds_deterministically(exercise, case):
    first = case.make(np.random.default_rng(1234))
    again = case.make(np.random.default_rng(1234))
    other = case.make(np.random.default_rng(99))
    assert isinstance(first, dict)
    assert first or exercise.id == "param_count.vgg16_params"   # vgg16_params() takes no argument
    assert first.keys() == again.keys()
    for key in first:
        assert _same(first[key], again[key]), f"{key} differs between two builds from the same seed"
    assert first.keys() == other.keys()


@pytest.mark.parametrize("exercise, case", _all_cases())
def test_case_arguments_match_the_signature(exercise, case):
    contract = _contract()
    fn = exercise.forward.split(".")[1] if exercise.forward else exercise.function
    params = contract[exercise.module][fn]
    made = case.make(np.random.default_rng(0))
    if exercise.kind == "random" and "rng" in params:
        params = [p for p in params if p != "rng"]   # the grader passes its own rng
    assert set(made) <= set(params), f"unknown arguments {set(made) - set(params)}"
    # Every argument without a default in the contract's table is given.
    table = (SHARED / "EXERCISES.md").read_text()
    m = re.search(rf"`{fn}\(([^`]*)\)`", table)
    required = [p.strip() for p in m.group(1).split(",") if p.strip() and "=" not in p and p.strip() != "rng"]
    assert set(required) <= set(made), f"missing {set(required) - set(made)}"


@pytest.mark.parametrize("exercise, case", _all_cases())
def test_arrays_are_float64_or_int_labels_and_finite(exercise, case):
    for name, a in _arrays(case.make(np.random.default_rng(5))):
        if name == "y" and exercise.id in ("layers.softmax_cross_entropy", "train.train_classifier"):
            assert a.dtype == np.int64
        else:
            assert a.dtype == np.float64, f"{name} is {a.dtype}"
        assert np.all(np.isfinite(a)), name
        if exercise.id != "train.train_classifier":    # the capstone trains on the real digits
            assert a.size <= 12_000, f"{name} is large ({a.size}): keep cases cheap"


@pytest.mark.parametrize("exercise, case", _all_cases())
def test_no_square_input_where_a_transpose_would_fit(exercise, case):
    """2-D inputs are never square (only Wh, square by contract); for higher ranks the two
    trailing (spatial / feature) axes differ. Batch sizes differ from feature sizes."""
    made = case.make(np.random.default_rng(7))
    for name, a in _arrays(made):
        if name in SQUARE_BY_CONTRACT:
            continue
        if exercise.id == "resnet.residual_gradient_norms" and name.startswith("weights["):
            continue    # (D, D) by contract: each layer adds its input back
        if a.ndim >= 2:
            assert a.shape[-1] != a.shape[-2], f"{name} has shape {a.shape}: a transpose would fit"
        if a.ndim == 2:
            assert a.shape[0] != a.shape[1]


def test_batch_sizes_one_and_more():
    """Every batch-first exercise has a case with N = 1 and one with N > 1."""
    batch_first = {"x", "X", "pred", "scores"}
    for e in EXERCISES:
        if e.kind == "random" or e.id == "cnn.convolve2d" or e.id.startswith("backprop.xyz_"):
            continue
        sizes = set()
        for c in e.cases:
            made = c.make(np.random.default_rng(0))
            for name in batch_first & made.keys():
                if isinstance(made[name], np.ndarray) and made[name].ndim >= 2:
                    sizes.add(made[name].shape[0])
        if not sizes:
            continue
        if e.id.startswith("layers.batchnorm_"):
            assert min(sizes) <= 3 < max(sizes), e.id   # N = 1 is meaningless for batch norm
        else:
            assert 1 in sizes and max(sizes) > 1, f"{e.id}: batch sizes {sizes}"


def _edge_names(exercise_id):
    return [c.name for c in by_id(exercise_id).cases if c.edge]


@pytest.mark.parametrize("exercise_id, fragment", [
    ("activations.sigmoid_forward", "1000"),
    ("activations.sigmoid_backward", "1000"),
    ("rnn.softmax", "1000"),
    ("layers.softmax_cross_entropy", "1000"),
    ("activations.leaky_relu_forward", "alpha"),
    ("activations.leaky_relu_backward", "alpha"),
    ("activations.elu_forward", "alpha"),
    ("activations.elu_backward", "alpha"),
    ("activations.relu_backward", "kink"),
    ("activations.leaky_relu_backward", "kink"),
    ("activations.elu_backward", "kink"),
    ("regularization.l1_penalty", "kink"),
    ("regularization.elastic_net_penalty", "kink"),
    ("cnn.max_pool_backward", "ties"),
    ("cnn.conv_forward", "stride=2, pad=1"),
    ("cnn.conv_backward", "stride=2, pad=1"),
    ("cnn.max_pool_forward", "stride=1"),
    ("cnn.max_pool_backward", "stride=1"),
    ("layers.dropout_forward", "train=False"),
    ("layers.dropout_backward", "train=False"),
    ("layers.batchnorm_forward", "biased"),
    ("layers.batchnorm_backward", "biased"),
    ("perceptron.perceptron_predict", "exactly 0"),
    ("perceptron.step", "exactly 0"),
])
def test_edge_cases_the_contract_names(exercise_id, fragment):
    assert any(fragment in name for name in _edge_names(exercise_id)), _edge_names(exercise_id)


def test_edge_cases_have_the_edges():
    rng = np.random.default_rng(0)
    big = [c for c in by_id("activations.sigmoid_forward").cases if c.edge][0].make(rng)
    assert np.abs(big["x"]).max() == 1000 and big["x"].min() == -1000
    logits = [c for c in by_id("rnn.softmax").cases if c.edge][0].make(rng)["z"]
    assert logits.max() == 1000
    kink = [c for c in by_id("activations.relu_backward").cases if c.edge][0].make(rng)["x"]
    assert np.sum(kink == 0) >= 3
    for exercise_id in ("activations.leaky_relu_forward", "activations.elu_forward"):
        alphas = {c.make(rng).get("alpha") for c in by_id(exercise_id).cases}
        assert len(alphas - {None}) >= 1, exercise_id
    for exercise_id in ("regularization.l1_penalty", "regularization.l2_penalty",
                        "regularization.elastic_net_penalty"):
        alphas = {c.make(rng)["alpha"] for c in by_id(exercise_id).cases}
        assert len(alphas) >= 2 and 1.0 not in alphas, exercise_id
    rs = {c.make(rng)["r"] for c in by_id("regularization.elastic_net_penalty").cases}
    assert 0.5 not in rs and len(rs) >= 2          # swapping r and 1 - r must show
    modes = {c.make(rng)["train"] for c in by_id("layers.dropout_forward").cases}
    assert modes == {True, False}
    ps = {c.make(rng)["p"] for c in by_id("layers.dropout_forward").cases}
    assert 0.5 not in ps                             # 1/p and 1/(1-p) must differ
    bn = [c.make(rng) for c in by_id("layers.batchnorm_forward").cases]
    assert min(k["x"].shape[0] for k in bn) == 3    # biased/unbiased differ by a factor 3/2
    assert any("eps" in k for k in bn)
    ts = {c.make(rng)["x"].shape[1] for c in by_id("rnn.rnn_backward").cases}
    assert max(ts) >= 3 and 1 in ts
    conv = [c.make(rng) for c in by_id("cnn.conv_backward").cases]
    assert any(k.get("stride", 1) > 1 and k.get("pad", 0) > 0 for k in conv)
    pools = [c.make(rng) for c in by_id("cnn.max_pool_backward").cases]
    assert any(k.get("stride", 2) < k.get("size", 2) for k in pools)      # overlapping windows
    assert any(k.get("size", 2) != 2 for k in pools)


# The contract's kinks: where either one-sided derivative is right.
KINKED = {"activations.relu_forward", "activations.relu_backward", "activations.leaky_relu_forward",
          "activations.leaky_relu_backward", "activations.elu_forward", "activations.elu_backward",
          "regularization.l1_penalty", "regularization.elastic_net_penalty", "cnn.max_pool_backward"}


def test_kink_cases_are_named_so_and_only_at_the_contracts_kinks():
    """The grader accepts either one-sided derivative only in edge cases named "kink"."""
    for e in EXERCISES:
        kinks = [c for c in e.cases if "kink" in c.name.lower()]
        if e.id in KINKED:
            assert kinks, f"{e.id}: no kink case"
        else:
            assert not kinks, f"{e.id} has no kink, but {kinks[0].name!r} says so"
        assert all(c.edge for c in kinks), e.id
        for c in kinks:
            made = c.make(np.random.default_rng(0))
            at_zero = any(isinstance(v, np.ndarray) and (v == 0).any() for v in made.values())
            assert at_zero or e.id == "cnn.max_pool_backward", f"{e.id}[{c.name}] has no zero"


def test_zero_thresholds_are_cases():
    steps = [c.make(np.random.default_rng(0))["z"] for c in by_id("perceptron.step").cases if c.edge]
    assert any((z == 0).any() for z in steps)
    edge = [c for c in by_id("perceptron.perceptron_predict").cases if c.edge][0].make(np.random.default_rng(0))
    assert (edge["X"] @ edge["w"] + edge["b"] == 0).sum() >= 2
    assert (edge["X"] != 0).all() and (edge["w"] != 0).all()   # no zero for the grader to nudge


def test_the_slides_examples_are_cases():
    made = [c for c in by_id("backprop.xyz_backward").cases if "slides" in c.name][0].make(np.random.default_rng(0))
    assert made == {"x": -2.0, "y": 5.0, "z": -4.0}
    sizes = [c.make(None)["layer_sizes"] for c in by_id("param_count.dense_params").cases]
    assert [10, 2, 1] in sizes and [10, 25, 25, 1] in sizes


def test_perceptron_cases_are_exact_in_float64():
    """Integer inputs and dyadic learning rates: every update is exact, so exact=True is fair."""
    for c in by_id("perceptron.perceptron_train").cases:
        made = c.make(np.random.default_rng(3))
        assert np.array_equal(made["X"], np.round(made["X"]))
        assert set(np.unique(made["y"])) <= {0.0, 1.0}
        lr = made.get("lr", 1.0)
        assert (lr * 2**10) == int(lr * 2**10)


# --- every case through the reference (torch) -------------------------------------------------

def _to_torch(value):
    import torch

    if isinstance(value, np.ndarray):
        return torch.as_tensor(value.copy(), dtype=torch.int64 if value.dtype.kind in "iu" else torch.float64)
    if isinstance(value, list):
        return [_to_torch(v) for v in value]
    return value


def _flat(value):
    if isinstance(value, (tuple, list)):
        return [v for item in value for v in _flat(item)]
    return [np.asarray(value.detach().numpy() if hasattr(value, "detach") else value, dtype=np.float64)]


@pytest.mark.parametrize("exercise, case", _all_cases())
def test_reference_runs_and_no_output_is_square(exercise, case):
    """The reference accepts every case; its results are finite and, 2-D, never square (dWh excepted)."""
    pytest.importorskip("torch")
    import importlib

    import torch

    made = case.make(np.random.default_rng(11))
    inputs = {k: _to_torch(v) for k, v in made.items()}
    if exercise.kind == "random":
        inputs["rng"] = np.random.default_rng(12)
    reference = importlib.import_module(f"reference.{exercise.module}")
    if exercise.forward:
        out, cache = getattr(reference, exercise.forward.split(".")[1])(**inputs)
        result = getattr(reference, exercise.function)(torch.ones_like(out), cache)
    else:
        result = getattr(reference, exercise.function)(**inputs)
        if exercise.kind == "forward" or exercise.id == "layers.dropout_forward":
            result = result[0]
        if exercise.encode:     # a list of batches travels as one (batch, index) array
            from tutor.engine.worker import ragged
            result = ragged.encode(exercise.encode, [np.asarray(b) for b in result])
    values = _flat(result)
    assert len(values) == len(exercise.outputs), f"{len(values)} values for outputs {exercise.outputs}"
    for name, value in zip(exercise.outputs, values):
        assert np.all(np.isfinite(value)), name
        if value.ndim == 2 and name not in {"d" + s for s in SQUARE_BY_CONTRACT}:
            assert value.shape[0] != value.shape[1], f"{name} has shape {value.shape}: a transpose would fit"
