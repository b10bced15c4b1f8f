"""Reading the course's Python sources: the stubs (exercises/) and the solutions (solutions/).

Everything a notebook shows about an exercise's code is derived from here, never written by
hand per exercise:

    function_parts(exercise) -> FunctionParts
        header      the `def ...:` line(s) of the stub (the learner-facing signature)
        docstring   the stub's docstring, indented as in the function
        body        the solution's body (docstring stripped), with the module-level helpers
                    it uses (`_sigmoid`, `_VGG16`, ...) nested at its top, so the body alone
                    is the whole answer
        stub        header + docstring + `raise NotImplementedError` (the exercises/ stub)
    module_imports(module) -> list[str]   absolute imports of the solution module
"""
from __future__ import annotations

import ast
import textwrap
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from tutor.manifest import Exercise


@dataclass(frozen=True)
class FunctionParts:
    exercise: str
    header: str        # "def affine_forward(x, w, b):"
    docstring: str     # indented, or "" when none
    body: str          # indented solution body, helpers nested first
    indent: str        # the body's indentation

    @property
    def stub(self) -> str:
        lines = [self.header]
        if self.docstring:
            lines.append(self.docstring)
        lines.append(f"{self.indent}raise NotImplementedError")
        return "\n".join(lines) + "\n"

    @property
    def solution(self) -> str:
        lines = [self.header]
        if self.docstring:
            lines.append(self.docstring)
        lines.append(self.body)
        return "\n".join(lines) + "\n"


@lru_cache(maxsize=None)
def read_source(package: str, module: str) -> str:
    """The text of tutor.<package>/<module>.py ("exercises" or "solutions")."""
    return (resources.files(f"tutor.{package}") / f"{module}.py").read_text(encoding="utf-8")


def _top_level(tree: ast.Module) -> dict[str, ast.stmt]:
    names: dict[str, ast.stmt] = {}
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names[node.name] = node
        elif isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                for sub in ast.walk(target):
                    if isinstance(sub, ast.Name):
                        names[sub.id] = node
    return names


def _start_line(node: ast.stmt, lines: list[str]) -> int:
    """0-based first line of a node: its decorators, and the comment lines right above it."""
    start = min([node.lineno] + [d.lineno for d in getattr(node, "decorator_list", [])]) - 1
    while start > 0 and lines[start - 1].lstrip().startswith("#"):
        start -= 1
    return start


def _segment(node: ast.stmt, lines: list[str]) -> str:
    return "\n".join(lines[_start_line(node, lines):node.end_lineno])


def _used_names(node: ast.AST) -> set[str]:
    return {n.id for n in ast.walk(node) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)}


def _find_function(tree: ast.Module, name: str) -> ast.FunctionDef:
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name == name:
            return node
    raise LookupError(name)


def _split_function(node: ast.FunctionDef, lines: list[str]) -> tuple[str, str, int]:
    """(header text, docstring text, 0-based first body line after the docstring)."""
    first = node.body[0]
    header = "\n".join(lines[_start_line(node, lines):first.lineno - 1])
    # a one-line `def f(x): return x` keeps its body on the def line: not expected in the course
    has_doc = (isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant)
               and isinstance(first.value.value, str))
    if has_doc:
        doc = "\n".join(lines[first.lineno - 1:first.end_lineno])
        return header, doc, first.end_lineno
    return header, "", first.lineno - 1


@lru_cache(maxsize=None)
def _parsed(package: str, module: str) -> tuple[ast.Module, tuple[str, ...]]:
    text = read_source(package, module)
    return ast.parse(text), tuple(text.splitlines())


def function_parts(exercise: Exercise, exercise_names: frozenset[str] | None = None) -> FunctionParts:
    """Header and docstring from the stub, body from the solution (helpers nested in)."""
    if exercise_names is None:
        from tutor.manifest import EXERCISES

        exercise_names = frozenset(e.function for e in EXERCISES if e.module == exercise.module)
    sol_tree, sol_lines = _parsed("solutions", exercise.module)
    sol_lines = list(sol_lines)
    node = _find_function(sol_tree, exercise.function)
    sol_header, sol_doc, body_start = _split_function(node, sol_lines)
    body_lines = sol_lines[body_start:node.end_lineno]
    indent = _indent_of(body_lines) or "    "

    header, doc = sol_header, sol_doc
    try:
        ex_tree, ex_lines = _parsed("exercises", exercise.module)
        stub_node = _find_function(ex_tree, exercise.function)
        header, doc, _ = _split_function(stub_node, list(ex_lines))
    except (LookupError, FileNotFoundError, ModuleNotFoundError, SyntaxError):
        pass

    helpers = _helpers(sol_tree, sol_lines, node, exercise_names)
    nested = [textwrap.indent(textwrap.dedent(h), indent) for h in helpers]
    body = "\n".join(nested + (["" ] if nested else []) + body_lines).rstrip()
    return FunctionParts(exercise.id, header, doc, body, indent)


def _indent_of(lines: list[str]) -> str:
    for line in lines:
        if line.strip():
            return line[: len(line) - len(line.lstrip())]
    return ""


def _helpers(tree: ast.Module, lines: list[str], node: ast.FunctionDef,
             exercise_names: frozenset[str]) -> list[str]:
    """Source of the module-level helpers and constants a function uses, transitively,
    in module order (exercise functions and imports excluded: those are the notebook's)."""
    top = _top_level(tree)
    wanted: set[int] = set()
    seen: set[str] = set()
    todo = [n for n in _used_names(node)]
    while todo:
        name = todo.pop()
        if name in seen or name in exercise_names or name == node.name or name not in top:
            continue
        seen.add(name)
        helper = top[name]
        wanted.add(id(helper))
        todo.extend(_used_names(helper))
    return [_segment(n, lines) for n in tree.body if id(n) in wanted]


def module_imports(module: str) -> list[str]:
    """The solution module's absolute imports (`import numpy as np`), for the notebook's setup."""
    tree, lines = _parsed("solutions", module)
    out = []
    for node in tree.body:
        if isinstance(node, ast.Import) or (isinstance(node, ast.ImportFrom) and not node.level
                                            and node.module != "__future__"):
            out.append("\n".join(lines[node.lineno - 1:node.end_lineno]))
    return out


def module_docstring(module: str) -> str:
    """The stub module's docstring (what the exercises/ file opens with), or ""."""
    try:
        tree, _ = _parsed("exercises", module)
    except (FileNotFoundError, ModuleNotFoundError, SyntaxError):
        return ""
    return ast.get_docstring(tree) or ""
