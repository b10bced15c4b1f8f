"""The notebooks tutor writes, derived from the manifest, the lessons, exercises/ and solutions/.

The cells every notebook is made of (a lesson's introduction, the setup cell, an exercise's
markdown, answer and test cells), shared by the nbgrader course (tutor/nbgrader/export.py)
and the self-study notebooks written here.

Self-study (`tutor notebooks`): one notebook per lesson with the whole lesson text, plots
from tutor.playground where a picture helps, and the stubs with a `check(...)` cell each.
"""
from __future__ import annotations

import importlib.util
from dataclasses import dataclass
from pathlib import Path

from tutor.files import atomic_write
from tutor.notebook.sources import function_parts, module_imports

def new_code_cell(*args, **kwargs):       # nbformat is imported on first use (it takes ~1 s)
    from nbformat.v4 import new_code_cell as make

    return make(*args, **kwargs)


def new_markdown_cell(*args, **kwargs):
    from nbformat.v4 import new_markdown_cell as make

    return make(*args, **kwargs)


def new_notebook(*args, **kwargs):
    from nbformat.v4 import new_notebook as make

    return make(*args, **kwargs)


def write_notebook(nb, path: Path) -> None:
    """The notebook as nbformat.write writes it (ending in a newline), replaced atomically."""
    import nbformat

    text = nbformat.writes(nb)
    atomic_write(path, text if text.endswith("\n") else text + "\n")


KERNELSPEC = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}
LANGUAGE_INFO = {"name": "python", "file_extension": ".py", "mimetype": "text/x-python"}
SCHEMA_VERSION = 3


@dataclass(frozen=True)
class Assignment:
    name: str          # nbgrader assignment: "01_perceptron"
    lesson: str        # lesson id: "perceptron"
    title: str
    exercises: tuple   # manifest Exercises, in order

    @property
    def notebook(self) -> str:
        return self.lesson

    @property
    def points(self) -> int:
        return sum(e.points for e in self.exercises)


def assignments(exercises=None) -> list[Assignment]:
    """One assignment per lesson with exercises, in syllabus order."""
    from tutor.lessons import LESSONS
    from tutor.manifest import EXERCISES

    exercises = list(EXERCISES if exercises is None else exercises)
    known = [lesson.id for lesson in LESSONS]
    titles = {lesson.id: lesson.title for lesson in LESSONS}
    order = known + [e.lesson for e in exercises if e.lesson not in known]
    out: list[Assignment] = []
    number = 0
    for lesson_id in dict.fromkeys(order):
        chosen = tuple(e for e in exercises if e.lesson == lesson_id)
        if not chosen:
            continue
        number += 1
        out.append(Assignment(f"{number:02d}_{lesson_id}", lesson_id,
                              titles.get(lesson_id, lesson_id.replace("_", " ").capitalize()), chosen))
    return out


# --- cell helpers ---------------------------------------------------------------------------

def cell_meta(grade_id: str, *, grade: bool = False, solution: bool = False, locked: bool = False,
          points: int | None = None) -> dict:
    nbg = {"grade": grade, "grade_id": grade_id, "locked": locked, "schema_version": SCHEMA_VERSION,
           "solution": solution, "task": False}
    if grade:
        nbg["points"] = points
    meta = {"nbgrader": nbg}
    if locked:
        meta.update({"deletable": False, "editable": False})
    return meta


def introduction(lesson_id: str, title: str) -> str:
    try:
        from tutor.lessons import introduction

        text = introduction(lesson_id).strip()
    except Exception:   # the lesson's text is not written yet
        text = ""
    if not text.startswith("#"):
        text = f"# {title}\n\n{text}".strip()
    return text


def _full_lesson(lesson_id: str, title: str) -> str:
    try:
        from tutor.lessons import source_text

        text = source_text(lesson_id).strip()
    except Exception:
        text = ""
    if not text.startswith("#"):
        text = f"# {title}\n\n{text}".strip()
    return text


def setup_source(exercises, extra: tuple[str, ...] = (), course=None) -> str:
    lines = ["import numpy as np"]
    for module in dict.fromkeys(e.module for e in exercises):
        for line in module_imports(module):
            if line not in lines:
                lines.append(line)
    lines += list(extra)
    lines.append("")
    lines.append("from tutor import check   # grades a function in tutor's sandbox, against PyTorch")
    if course is not None and not (course.hints and course.solutions):
        lines.append(f"check.configure(hints={course.hints}, solutions={course.solutions})   # the course's choice")
    return "\n".join(lines)


def exercise_markdown(number: int, exercise, *, graded: bool, hints: bool = True) -> str:
    unit = "point" if exercise.points == 1 else "points"
    lines = [f"## {number}. `{exercise.function}` ({exercise.points} {unit})", ""]
    lines.append(f"Exercise `{exercise.id}`: complete the function in the next cell, run it, then run "
                 f"the cell after it{' (the tests)' if graded else ''} to check your answer in tutor's "
                 f"sandbox against the PyTorch reference.")
    if exercise.hints and hints:
        lines.append("")
        for i, hint in enumerate(exercise.hints, 1):
            lines.append(f"<details><summary>Hint {i}</summary>\n\n{hint}\n\n</details>")
    return "\n".join(lines)


def answer_source(exercise, *, with_solution: bool = True) -> str:
    """The answer cell: the stub's signature and docstring, then the solution's body between
    nbgrader's solution markers (with_solution) or `raise NotImplementedError` (a stub)."""
    parts = function_parts(exercise)
    if not with_solution:
        return parts.stub.rstrip("\n")
    lines = [parts.header]
    if parts.docstring:
        lines.append(parts.docstring)
    lines.append(f"{parts.indent}### BEGIN SOLUTION")
    lines.append(parts.body)
    lines.append(f"{parts.indent}### END SOLUTION")
    return "\n".join(lines)


def test_source(exercise) -> str:
    unit = "point" if exercise.points == 1 else "points"
    call = f'check("{exercise.id}", {exercise.function}'
    return "\n".join([
        f"# Tests for {exercise.id} ({exercise.points} {unit}). Run this cell to check your answer.",
        f"{call})",
        "### BEGIN HIDDEN TESTS",
        f"{call}, hidden=True)",
        "### END HIDDEN TESTS",
    ])


def notebook(cells):
    nb = new_notebook(cells=cells)
    nb.metadata["kernelspec"] = dict(KERNELSPEC)
    nb.metadata["language_info"] = dict(LANGUAGE_INFO)
    return nb


class ExportRefused(Exception):
    """Notebooks already exist and --force was not given; str() says which and what to do."""


def _has(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is not None
    except (ImportError, ValueError):
        return False


PLOTS: dict[str, list[tuple[str, str, str]]] = {
    # lesson id -> [(playground module it needs, markdown, code)]
    "perceptron": [(
        "tutor.playground.perceptron",
        "### Picture it: the perceptron's boundary on three gates\n\nRosenblatt's rule from w = 0, "
        "b = 0 (the playground runs the reference step function). AND and OR are separable: the "
        "dashed line settles. No line separates XOR, so its epochs never run without mistakes.",
        '''from tutor.playground.perceptron import converged_epoch, gate_data, perceptron_steps

fig, axes = plt.subplots(1, 3, figsize=(12, 3.8))
grid = np.linspace(-0.5, 1.5, 201)
gx, gy = np.meshgrid(grid, grid)
for ax, gate in zip(axes, ("AND", "OR", "XOR")):
    X, y = gate_data(gate)
    states = perceptron_steps(gate, epochs=20)
    (w1, w2), b = states[-1].w, states[-1].b
    ax.contourf(gx, gy, (w1 * gx + w2 * gy + b > 0).astype(float), levels=[-0.5, 0.5, 1.5],
                colors=["#dde6f5", "#f7d9d0"])
    ax.scatter(X[:, 0], X[:, 1], c=y, cmap="coolwarm", s=140, edgecolors="k", zorder=3)
    epoch = converged_epoch(states)
    ax.set_title(f"{gate}: " + (f"settled in epoch {epoch}" if epoch else "never settles"))
    ax.set_xlabel("x1"); ax.set_ylabel("x2")
plt.tight_layout()
plt.show()''')],
    "training": [(
        "tutor.playground.training",
        "### Picture it: gradient descent on XOR\n\nThe two-layer net of this lesson trained by "
        "full-batch gradient descent (forward and backward by the reference). Too small a learning "
        "rate crawls; a larger one gets there sooner: try others (and other seeds).",
        '''from tutor.playground.training import train_two_layer

fig, ax = plt.subplots(figsize=(8, 4))
for lr in (0.5, 2.0, 8.0):
    run = train_two_layer(lr=lr, epochs=2000, record_every=10)
    ax.semilogy(np.arange(len(run.losses)) * 10, run.losses,
                label=f"lr = {lr}" + (" (solved)" if run.solved else ""))
ax.set_xlabel("epoch"); ax.set_ylabel("mean squared error (log scale)")
ax.legend()
plt.tight_layout()
plt.show()''')],
    "momentum": [(
        "tutor.playground.momentum",
        "### Picture it: momentum in a ravine\n\nThe same learning rate with and without momentum "
        "on a cost that is steep across and flat along. Plain descent crawls along the floor; "
        "momentum builds up speed there.",
        '''from tutor.playground.momentum import descent_paths, ravine_cost

paths = descent_paths(lr=0.04, mu=0.8, steps=60)
g1, g2 = np.meshgrid(np.linspace(-11, 2, 200), np.linspace(-2, 2, 200))
fig, ax = plt.subplots(figsize=(9, 4))
ax.contour(g1, g2, ravine_cost(np.stack([g1, g2], axis=-1), paths.curvature), levels=20, cmap="Greys")
ax.plot(paths.sgd[:, 0], paths.sgd[:, 1], "o-", ms=3, label="gradient descent")
ax.plot(paths.momentum[:, 0], paths.momentum[:, 1], "o-", ms=3, label=f"momentum (mu = {paths.mu})")
ax.set_xlabel("w1"); ax.set_ylabel("w2"); ax.legend()
plt.tight_layout()
plt.show()''')],
    "activations": [(
        "tutor.playground.activations",
        "### Picture it: activations and their derivatives\n\nThe derivatives come from autograd "
        "through the PyTorch reference. The sigmoid's slope never exceeds 1/4, tanh's 1; ReLU "
        "passes the gradient unchanged wherever it is active.",
        '''from tutor.playground.activations import ACTIVATION_NAMES, activation_curves

fig, (left, right) = plt.subplots(1, 2, figsize=(12, 4))
for name in ACTIVATION_NAMES:
    curves = activation_curves(name)
    left.plot(curves.xs, curves.values, label=name)
    right.plot(curves.xs, curves.derivatives, label=name)
left.set_title("activation"); right.set_title("derivative")
for ax in (left, right):
    ax.axhline(0, color="grey", lw=0.5); ax.set_xlabel("z"); ax.legend()
plt.tight_layout()
plt.show()'''), (
        "tutor.playground.vanishing",
        "### Picture it: the vanishing gradient\n\nThe gradient norm of each layer's weights in a "
        "deep, narrow net (loss = sum of the last layer), first layer on the left. The sigmoid's "
        "slope is at most 1/4, so with small (Xavier) weights each layer shrinks the gradient and "
        "the first layers get orders of magnitude less than the last; tanh and ReLU with Xavier "
        "weights keep the layers comparable. Try other depths and initialisations.",
        '''from tutor.playground.vanishing import gradient_norms

fig, ax = plt.subplots(figsize=(8, 4))
for activation, init in [("sigmoid", "normal"), ("sigmoid", "xavier"), ("tanh", "xavier"), ("relu", "xavier")]:
    g = gradient_norms(activation, init, depth=10)
    ax.semilogy(range(1, g.depth + 1), g.norms, marker="o", label=f"{activation}, {init} init")
ax.set_xlabel("layer (1 = first)"); ax.set_ylabel("gradient norm (log scale)")
ax.legend()
plt.tight_layout()
plt.show()''')],
}


from tutor.notebook.syllabus_plots import NEW_PLOTS  # noqa: E402 - the new lessons' plots

for _lesson, _plots in NEW_PLOTS.items():
    PLOTS[_lesson] = PLOTS.get(_lesson, []) + _plots


def plot_cells(lesson_id: str) -> list:
    out = []
    for module, markdown, code in PLOTS.get(lesson_id, []):
        if _has(module):
            out.append(new_markdown_cell(markdown))
            out.append(new_code_cell(code, metadata={"tags": ["plot"]}))
    return out


def selfstudy_notebook(lesson_id: str, title: str, exercises):
    plots = plot_cells(lesson_id)
    cells = [new_markdown_cell(_full_lesson(lesson_id, title))]
    extra = ("import matplotlib.pyplot as plt",) if plots else ()
    cells.append(new_code_cell(setup_source(exercises, extra) if exercises else
                               "\n".join(["import numpy as np", *extra])))
    cells += plots
    if exercises:
        cells.append(new_markdown_cell(
            "---\n\n# Exercises\n\nWrite each function in its cell (replace the "
            "`raise NotImplementedError`), run it, then run the `check(...)` cell below it: your "
            "code runs in tutor's sandbox and is compared with a PyTorch reference. A failing check "
            "says *what* is wrong; the hints unfold one at a time."))
    for number, exercise in enumerate(exercises, 1):
        cells.append(new_markdown_cell(exercise_markdown(number, exercise, graded=False)))
        cells.append(new_code_cell(answer_source(exercise, with_solution=False),
                                   metadata={"tags": ["answer"], "tutor": {"exercise": exercise.id}}))
        cells.append(new_code_cell(f'check("{exercise.id}", {exercise.function})',
                                   metadata={"tags": ["check"], "tutor": {"exercise": exercise.id}}))
    return notebook(cells)


def write_selfstudy(directory: Path, force: bool = False, exercises=None) -> list[Path]:
    from tutor.lessons import LESSONS
    from tutor.manifest import EXERCISES

    exercises = list(EXERCISES if exercises is None else exercises)
    directory = Path(directory)
    planned = []
    for number, lesson in enumerate(LESSONS, 1):
        chosen = lesson.exercises(among=exercises)
        planned.append((directory / f"{number:02d}_{lesson.id}.ipynb", lesson, chosen))
    existing = [path for path, _, _ in planned if path.exists()]
    if existing and not force:
        names = "\n".join(f"  {p}" for p in existing[:12]) + ("\n  ..." if len(existing) > 12 else "")
        raise ExportRefused(f"{len(existing)} notebook(s) already exist in {directory}:\n{names}\n"
                            f"Nothing was written. Re-run with --force to replace them (your answers "
                            f"in them would be lost).")
    built = [(path, selfstudy_notebook(lesson.id, lesson.title, chosen)) for path, lesson, chosen in planned]
    directory.mkdir(parents=True, exist_ok=True)
    for path, nb in built:
        write_notebook(nb, path)
    return [path for path, _ in built]
