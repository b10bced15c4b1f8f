"""Planted bugs: realistic mistakes, each a small patch of solutions/, that the grader must
catch with the right diagnosis.

A `Bug` names the exercise it breaks, the diagnosis codes the grader may give it (see
tutor/engine/results.py DIAGNOSES), fragments one of which the grader's message must
contain (case-insensitive: the key fact, e.g. "transpose", "1/4", "negative", "edge"), and the replacement source of one or more functions of the
module. `patched_source(module, bug.replace)` is solutions/<module>.py with those
functions swapped in; every exercise of that module other than `bug.exercise` (and the
ones listed in `also`, which the patch may legitimately break too) must keep full marks.

Backward bugs ship their own (correct) forward as well, so they never depend on the
cache layout solutions/ happens to use.
"""
from __future__ import annotations

import ast
import pathlib
import textwrap
from dataclasses import dataclass, field

ROOT = pathlib.Path(__file__).resolve().parents[2]

# A backward that is wrong while the learner's own forward is right: the engine checks the
# backward numerically against that forward and says the bug is in the backward.
WRONG_BACKWARD = "forward_backward_disagree"

# A wrong single number (a parameter count, a penalty's value): "factor" only when the
# ratio has a name (2, 1/2, N, ...), else a plain mismatch.
SCALAR_MISMATCH = "mismatch"

# A mistake a lesson or the hints predict (tutor/mistakes.py): named in its own words.
KNOWN = "known_mistake"

SOLUTIONS = ROOT / "solutions"


@dataclass(frozen=True)
class Bug:
    exercise: str                   # "MODULE.FUNCTION"
    description: str                # what the learner did wrong, in a few words
    diagnoses: tuple[str, ...]      # acceptable diagnosis codes, the likeliest first
    replace: dict = field(hash=False)  # function name -> replacement source
    message: tuple[str, ...] = ()   # the grader's message mentions one of these
    also: tuple[str, ...] = ()      # other exercises the patch may break as well
    xfail: str | None = None        # a known grader shortcoming (ENGINE BUG), with the reason

    @property
    def module(self) -> str:
        return self.exercise.split(".")[0]

    @property
    def slug(self) -> str:
        words = "".join(c if c.isalnum() else "-" for c in self.description.lower())
        return f"{self.exercise}:{'-'.join(w for w in words.split('-') if w)[:60]}"


def split_functions(source: str) -> dict[str, str]:
    """{name: source} of every top-level function in `source` (a dedented text)."""
    tree = ast.parse(source)
    lines = source.splitlines(keepends=True)
    out = {}
    for node in tree.body:
        if isinstance(node, ast.FunctionDef):
            start = min([node.lineno] + [d.lineno for d in node.decorator_list]) - 1
            out[node.name] = "".join(lines[start:node.end_lineno])
    return out


def _dedent_blocks(source: str) -> str:
    """The snippet dedented; when that does not parse (a column-0 helper, such as a shared
    correct forward, concatenated with an indented triple-quoted function), each `def`
    block is dedented by its own indentation instead."""
    text = textwrap.dedent(source).strip("\n") + "\n"
    try:
        ast.parse(text)
        return text
    except SyntaxError:
        pass
    out, indent = [], 0
    for line in text.splitlines():
        stripped = line.lstrip()
        if stripped.startswith("def "):
            indent = len(line) - len(stripped)
            if out:
                out.append("")
        out.append(line[indent:] if line[:indent].strip() == "" else line)
    return "\n".join(out).strip() + "\n"


def functions(source: str) -> dict[str, str]:
    """{name: source} of the functions in a (possibly indented) snippet: a patch."""
    return split_functions(_dedent_blocks(source))


def bug(exercise: str, description: str, diagnoses, source: str, message=(), also=(), xfail=None) -> Bug:
    """A Bug whose patch is every function defined in `source`."""
    if isinstance(diagnoses, str):
        diagnoses = (diagnoses,)
    if isinstance(message, str):
        message = (message,)
    functions = split_functions(_dedent_blocks(source))
    assert functions, f"{exercise}: the bug's source defines no function"
    return Bug(exercise, description, tuple(diagnoses), functions, tuple(message), tuple(also), xfail)


def patched_source(module: str, replace: dict[str, str], base: str | None = None) -> str:
    """solutions/<module>.py (or `base`) with the functions in `replace` swapped in (or appended)."""
    source = base if base is not None else (SOLUTIONS / f"{module}.py").read_text()
    tree = ast.parse(source)
    lines = source.splitlines(keepends=True)
    spans = {}
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and node.name in replace:
            start = min([node.lineno] + [d.lineno for d in node.decorator_list]) - 1
            spans[node.name] = (start, node.end_lineno)
    for name, (start, end) in sorted(spans.items(), key=lambda item: -item[1][0]):
        lines[start:end] = [replace[name].rstrip("\n") + "\n"]
    text = "".join(lines)
    missing = [name for name in replace if name not in spans]
    if missing:
        text = text.rstrip("\n") + "\n\n\n" + "\n\n".join(replace[n].rstrip("\n") + "\n" for n in missing)
    # Replacements use np freely; a second import is harmless.
    return "import numpy as np\n" + text


def all_bugs() -> list[Bug]:
    from . import activations, autoencoder, backprop, cnn, initialization, layers, optim, param_count, perceptron
    from . import diagnoses, regularization, resnet, rnn, train, vanishing

    found = []
    for module in (perceptron, backprop, layers, optim, activations, initialization, vanishing, param_count,
                   rnn, regularization, cnn, resnet, autoencoder, train, diagnoses):
        found.extend(module.BUGS)
    return found
