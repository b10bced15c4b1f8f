"""Notebook cells that tutor understands, and how learner code is assembled from them.

Cells are identified by their nbgrader `grade_id`, never by position:

    answer-<module>-<function>   the learner's answer (nbgrader: solution, not graded)
    test-<module>-<function>     the locked test cell (nbgrader: graded, points = manifest's)
    setup-<lesson>               the locked imports cell at the top

Module names and function names are Python identifiers (letters, digits, `_`), so the dash
separates them without ambiguity and the ids stay safe in formgrader's URLs and HTML.

`module_sources(nb)` turns a notebook into `{module: source}` for tutor.engine.Grader. Only
*definitions* are taken: each answer cell's top-level `def`/`class`/`import` statements and
simple constants, plus the same from any code cell the learner added (helpers). Scratch
statements (a call to try a function, a plot) are dropped so they cannot break the module
import, and a cell that does not compile is left out (its functions count as missing, as in
Jupyter where that cell would fail) rather than spoiling every other answer.
"""
from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field

ANSWER = "answer"
TEST = "test"
SETUP = "setup"
_ID = re.compile(r"^(answer|test)-([A-Za-z_][A-Za-z0-9_]*)-([A-Za-z_][A-Za-z0-9_]*)$")

# What every assembled module starts with: the notebooks' setup cell imports NumPy as np.
PREAMBLE = "import numpy as np\n"
MAX_CELL_CHARS = 200_000


def answer_id(exercise_id: str) -> str:
    module, function = exercise_id.split(".")
    return f"{ANSWER}-{module}-{function}"


def test_id(exercise_id: str) -> str:
    module, function = exercise_id.split(".")
    return f"{TEST}-{module}-{function}"


def parse_grade_id(grade_id: str | None) -> tuple[str, str] | None:
    """("answer" | "test", "module.function") for tutor's cells, else None."""
    match = _ID.match(grade_id or "")
    if not match:
        return None
    return match.group(1), f"{match.group(2)}.{match.group(3)}"


def nbgrader_meta(cell) -> dict:
    return (cell.get("metadata") or {}).get("nbgrader") or {}


def cell_role(cell) -> tuple[str, str] | None:
    """The (role, exercise id) of a tutor cell from its nbgrader metadata, or None."""
    meta = nbgrader_meta(cell)
    parsed = parse_grade_id(meta.get("grade_id"))
    if parsed is None:
        return None
    role, exercise = parsed
    if role == ANSWER and not meta.get("solution"):
        return None
    if role == TEST and not meta.get("grade"):
        return None
    return role, exercise


def _source(cell) -> str:
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else str(src)


def _simple_value(node: ast.AST) -> bool:
    """A constant the module may keep: no calls except on an imported module (np.sqrt(2))."""
    for sub in ast.walk(node):
        if isinstance(sub, ast.Call):
            func = sub.func
            if not (isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name)
                    and func.value.id in {"np", "numpy", "math"}):
                return False
        if isinstance(sub, (ast.Lambda, ast.ListComp, ast.DictComp, ast.SetComp, ast.GeneratorExp)):
            continue
    return True


def definitions(source: str) -> tuple[str, str | None]:
    """(the definitions in a cell's code, problem or None). Definitions: top-level def, class,
    import and simple constants; IPython magics and shell lines are dropped first."""
    lines = source.splitlines()
    clean = [("# " + l) if l.lstrip().startswith(("%", "!")) else l for l in lines]
    text = "\n".join(clean)
    if len(text) > MAX_CELL_CHARS:
        return "", f"the cell is longer than {MAX_CELL_CHARS} characters"
    try:
        tree = ast.parse(text)
    except SyntaxError as exc:
        return "", f"SyntaxError on line {exc.lineno}: {exc.msg}"
    keep: list[str] = []
    for node in tree.body:
        segment = ast.get_source_segment(text, node, padded=True) or ""
        start = min([node.lineno] + [d.lineno for d in getattr(node, "decorator_list", [])])
        if getattr(node, "decorator_list", None):
            segment = "\n".join(clean[start - 1:node.end_lineno])
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            keep.append(segment)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            # a missing package must not break the module: the function that needs it fails alone
            keep.append("try:\n" + _indent(segment) + "\nexcept Exception:\n    pass")
        elif isinstance(node, (ast.Assign, ast.AnnAssign)) and node.value is not None \
                and _simple_value(node.value):
            keep.append("try:\n" + _indent(segment) + "\nexcept Exception:\n    pass")
    return "\n\n".join(keep), None


def _indent(text: str) -> str:
    return "\n".join("    " + line if line.strip() else line for line in text.splitlines())


@dataclass
class NotebookCode:
    """What a notebook holds for the grader."""
    answers: dict[str, str] = field(default_factory=dict)   # exercise id -> answer cell source
    tests: dict[str, str] = field(default_factory=dict)     # exercise id -> test cell source
    helpers: list[str] = field(default_factory=list)        # definitions from unmarked cells
    problems: dict[str, str] = field(default_factory=dict)  # exercise id -> why its cell was dropped
    order: list[tuple[str, str]] = field(default_factory=list)  # ("answer", id) | ("helper", i)

    def modules(self) -> list[str]:
        seen: list[str] = []
        for exercise in self.answers:
            module = exercise.split(".")[0]
            if module not in seen:
                seen.append(module)
        return seen


def read_cells(nb) -> NotebookCode:
    code = NotebookCode()
    for cell in nb.get("cells", []):
        if cell.get("cell_type") != "code":
            continue
        role = cell_role(cell)
        source = _source(cell)
        if role is None:
            meta = nbgrader_meta(cell)
            if (meta.get("locked") or meta.get("grade")) and \
                    not str(meta.get("grade_id", "")).startswith(f"{SETUP}-"):
                continue   # a locked cell of someone else's making
            defs, _problem = definitions(source)
            if defs.strip():
                code.order.append(("helper", str(len(code.helpers))))
                code.helpers.append(defs)
            continue
        kind, exercise = role
        if kind == TEST:
            code.tests[exercise] = source
        elif exercise not in code.answers:   # a duplicated answer cell: the first one counts
            code.answers[exercise] = source
            code.order.append(("answer", exercise))
    return code


def module_sources(nb, preamble: str = PREAMBLE) -> tuple[dict[str, str], dict[str, str]]:
    """({module: source}, {exercise id: problem}) from one notebook's answer cells.

    Each module gets the preamble, then, in notebook order, the definitions of every answer
    cell and every helper cell of the notebook: what the kernel holds after running it top to
    bottom, so a backward can call its forward and the learner's own helpers."""
    code = read_cells(nb)
    problems: dict[str, str] = {}
    chunks: list[tuple[str | None, str]] = []     # (module or None for all, text)
    for kind, key in code.order:
        if kind == "helper":
            chunks.append((None, code.helpers[int(key)]))
            continue
        defs, problem = definitions(code.answers[key])
        if problem:
            problems[key] = f"the answer cell of {key} was not graded: {problem}"
            continue
        chunks.append((key.split(".")[0], defs))
    sources: dict[str, str] = {}
    for module in code.modules():
        parts = [preamble.rstrip()] + [text for m, text in chunks if text.strip()]
        sources[module] = "\n\n\n".join(parts) + "\n"
    return sources, problems


def merge_sources(per_notebook: list[dict[str, str]], preamble: str = PREAMBLE) -> dict[str, str]:
    """One module from several notebooks (a module whose exercises span several lessons):
    the bodies are concatenated in the order given (later definitions win, as in Python)."""
    merged: dict[str, list[str]] = {}
    for sources in per_notebook:
        for module, text in sources.items():
            body = text[len(preamble):] if text.startswith(preamble) else text
            merged.setdefault(module, []).append(body.strip("\n"))
    return {m: preamble + "\n\n" + "\n\n\n".join(b for b in bodies if b) + "\n" for m, bodies in merged.items()}
