"""tutor/classroom/similarity.py: near-identical submissions, robust to renaming, reordering and comments."""
from __future__ import annotations

from pathlib import Path

from tutor.classroom.similarity import (SOLUTIONS, compare, fingerprint, functions, report, solution_sources,
                                        winnow)
from tutor.classroom.submissions import Student

ROOT = Path(__file__).resolve().parents[1]
LAYERS = (ROOT / "solutions" / "layers.py").read_text()

ORIGINAL = '''
import numpy as np

def train(data, labels, epochs=10, lr=0.1):
    weights = np.zeros(data.shape[1])
    bias = 0.0
    for epoch in range(epochs):
        for row, target in zip(data, labels):
            guess = 1.0 if row @ weights + bias > 0 else 0.0
            error = target - guess
            weights = weights + lr * error * row
            bias += lr * error
    return weights, bias

def normalise(matrix):
    mean = matrix.mean(axis=0)
    spread = matrix.std(axis=0) + 1e-8
    centred = (matrix - mean) / spread
    return np.clip(centred, -3.0, 3.0), mean, spread
'''

DISGUISED = '''
import numpy as np

# my own normalisation, written from scratch
def scale_inputs(M):
    """Standardise."""
    m = M.mean(axis=0)
    s = M.std(axis=0) + 1e-8     # avoid a division by zero
    z = (M - m) / s
    return np.clip(z, -3.0, 3.0), m, s

def fit(X, y, n_epochs=10, eta=0.1):
    w = np.zeros(X.shape[1])
    b = 0.0
    for e in range(n_epochs):
        for x_i, t in zip(X, y):
            p = 1.0 if x_i @ w + b > 0 else 0.0
            d = t - p
            w = w + eta * d * x_i
            b += eta * d
    return w, b
'''

DIFFERENT = '''
import numpy as np

def train(data, labels, epochs=10, lr=0.1):
    n, d = data.shape
    weights, bias = np.zeros(d), 0.0
    order = np.arange(n)
    for _ in range(epochs):
        predictions = (data @ weights + bias > 0).astype(float)
        mistakes = labels - predictions
        weights += lr * data.T @ mistakes / n
        bias += lr * mistakes.mean()
    return weights, bias

def normalise(matrix):
    lo, hi = matrix.min(axis=0), matrix.max(axis=0)
    return (matrix - lo) / np.where(hi > lo, hi - lo, 1.0), lo, hi
'''


def _print(name, source):
    return fingerprint(name, {"mod": source})


def test_renamed_reordered_and_commented_code_has_the_same_fingerprint():
    assert _print("a", ORIGINAL).hashes == _print("b", DISGUISED).hashes
    [pair] = compare([_print("a", ORIGINAL), _print("b", DISGUISED), _print("c", DIFFERENT)])
    assert (pair.a, pair.b, pair.similarity) == ("a", "b", 1.0)
    assert {(fa, fb) for fa, fb, _ in pair.functions} == {("mod.train", "mod.fit"),
                                                          ("mod.normalise", "mod.scale_inputs")}


def test_different_code_is_not_reported():
    assert compare([_print("a", ORIGINAL), _print("c", DIFFERENT)]) == []


def test_functions_keep_attributes_and_library_names():
    tokens = functions("import numpy as np\ndef f(x):\n    return np.exp(x).sum(axis=1)\n", "m")["m.f"]
    assert "np" in tokens and ".exp" in tokens and ".sum" in tokens and "x" not in tokens


def test_winnowing_keeps_a_fingerprint_of_every_long_shared_run():
    tokens = [f"t{i % 17}" for i in range(60)]
    assert winnow(tokens) and winnow(tokens) <= winnow(["pre", "fix"] + tokens + ["post"])
    assert winnow([]) == set() and len(winnow(["a", "b"])) == 1


def test_a_copy_of_the_solutions_is_reported_and_blank_submissions_are_not(tmp_path):
    stub = (ROOT / "exercises" / "layers.py").read_text()
    students = {"ada": Student("ada", tmp_path, sources={"layers": LAYERS.replace("scores", "logits")}),
                "bo": Student("bo", tmp_path, sources={"layers": stub}),
                "cy": Student("cy", tmp_path, sources={"layers": stub}),
                "di": Student("di", tmp_path, sources={"layers": DIFFERENT})}
    line = report(tmp_path, students)
    text = (tmp_path / "similarity.md").read_text()
    assert "0 pair(s)" in line and "1 submission(s) near-identical to the solutions" in line
    assert f"| ada | {SOLUTIONS} | 100% |" in text and "layers.softmax_cross_entropy" in text
    assert "| bo |" not in text and "grades unchanged" in line


def test_the_solutions_of_the_course_come_first(tmp_path):
    (tmp_path / "solutions").mkdir()
    (tmp_path / "solutions" / "layers.py").write_text("def affine_forward(x, w, b):\n    return 1\n")
    assert solution_sources(tmp_path)["layers"].endswith("return 1\n")
    assert "def affine_forward" in solution_sources(None)["layers"]


def _unique_function(seed: int) -> str:
    import random

    rng = random.Random(seed)
    ops = ["+", "-", "*", "/", "%", "**", "//", "@"]
    fns = ["exp", "log", "tanh", "abs"]
    return "def g(x):\n" + "".join(f"    x = x {rng.choice(ops)} np.{rng.choice(fns)}(x {rng.choice(ops)} x)"
                                    f" {rng.choice(ops)} x\n" for _ in range(25)) + "    return x\n"


def test_a_large_class_ignores_what_everybody_writes():
    common = "def f(x):\n" + "".join(f"    x = x + {i}\n" for i in range(30)) + "    return x\n"
    prints = [fingerprint(f"s{i}", {"m": "import numpy as np\n" + common + _unique_function(i)}) for i in range(20)]
    assert compare(prints) == []            # everyone shares f: an idiom of the class, not a copy
    prints.append(fingerprint("copy", {"m": "import numpy as np\n" + common + _unique_function(3)}))
    [pair] = compare(prints)
    assert (pair.a, pair.b) == ("s3", "copy") and [f for f, _, _ in pair.functions] == ["m.g"]


def test_the_solutions_of_an_nbgrader_course_are_its_source_notebooks(tmp_path):
    from tutor.nbgrader.export import export_course

    export_course(tmp_path)
    sources = solution_sources(tmp_path)
    assert "def affine_forward" in sources["layers"] and sources["layers"] != LAYERS   # from the notebooks
    assert fingerprint("s", {"layers": sources["layers"]}).functions["layers.affine_forward"] == \
        fingerprint("t", {"layers": LAYERS}).functions["layers.affine_forward"]
