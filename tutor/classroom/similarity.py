"""Integrity: which submissions are near-identical to each other or to the course's solutions.

Nothing here changes a grade: `report()` writes OUT/similarity.md for the instructor to read
and returns one summary line.

The fingerprint (winnowing, as in MOSS, over the shape of the code rather than its text):

1. each function (top level, or a method) is parsed and walked into a stream of tokens that
   keeps the syntax (node kinds, operators, attribute names such as `.sum`, the names of
   modules and builtins such as `np`, `len`) and drops what a copier changes for free:
   every other name becomes `v`, constants become their type, docstrings and comments are
   gone, and formatting never reaches the AST;
2. the stream's k-grams are hashed and winnowed (the smallest hash of every window of w
   k-grams is kept), so a shared run of k + w - 1 tokens always leaves a shared fingerprint;
3. a submission is the set of its functions' fingerprints, so reordering functions changes
   nothing; fingerprints of the handed-out stubs are dropped, and so are those that most of a
   large class shares (the idioms everyone writes, e.g. `x @ w + b`).

Pairs are found through an index (a students x fingerprints 0/1 matrix of the fingerprints
that two or more submissions share, multiplied by its transpose: one BLAS call), so a class
of hundreds takes a fraction of a second; `benchmarks/bench_similarity.py` measures it.
Against the course's solutions the idiom filter does not apply: a submission is reported
when most of its fingerprints (THRESHOLD) are the solutions'.
Similarity is the Jaccard index of the two sets (against the solutions, which cover every
exercise: the share of the submission's fingerprints found in them); pairs at or above
THRESHOLD are reported with the functions that match.
"""
from __future__ import annotations

import ast
import builtins
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Mapping

from tutor.safe_text import printable

K = 12                # tokens per k-gram
WINDOW = 4            # k-grams per winnowing window
THRESHOLD = 0.8       # Jaccard similarity reported
MIN_FINGERPRINTS = 12  # a submission with fewer (little code) is never reported
COMMON_SHARE = 0.25   # in a class of COMMON_MIN_CLASS or more, a fingerprint this common is an idiom
COMMON_MIN_CLASS = 12
FILENAME = "similarity.md"
SOLUTIONS = "(solutions)"
_BUILTINS = frozenset(dir(builtins))


@dataclass
class Fingerprint:
    name: str
    functions: dict[str, frozenset[int]] = field(default_factory=dict)   # "module.function" -> hashes

    @property
    def hashes(self) -> set[int]:
        out: set[int] = set()
        for h in self.functions.values():
            out |= h
        return out


@dataclass(frozen=True)
class Pair:
    a: str
    b: str
    similarity: float
    functions: tuple[tuple[str, str, float], ...]   # (function of a, function of b, similarity)


# --- tokens ---------------------------------------------------------------------------------

def _imports_and_functions(tree: ast.AST) -> tuple[set[str], list]:
    """The names the module imports, and its functions and methods (nested ones too): a walk
    over statements only (expressions hold neither), several times cheaper than ast.walk."""
    names, found = set(), []
    todo = list(getattr(tree, "body", []))
    while todo:
        node = todo.pop()
        if isinstance(node, ast.Import):
            names.update((a.asname or a.name).split(".")[0] for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            names.update(a.asname or a.name for a in node.names)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            found.append(node)
        for field_name in ("body", "orelse", "finalbody", "handlers", "cases"):
            children = getattr(node, field_name, None)
            if isinstance(children, list):
                todo.extend(c for c in children if isinstance(c, (ast.stmt, ast.excepthandler, ast.match_case)))
    found.sort(key=lambda n: (n.lineno, n.col_offset))
    return names, found


def _strip_docstring(body: list) -> list:
    if body and isinstance(body[0], ast.Expr) and isinstance(getattr(body[0], "value", None), ast.Constant) \
            and isinstance(body[0].value.value, str):
        return body[1:]
    return body


def shape_tokens(node: ast.AST, keep: frozenset | set) -> list[str]:
    """The token stream of one function: its syntax with renameable names abstracted away."""
    out: list[str] = []

    def visit(n):
        if isinstance(n, ast.Name):
            out.append(n.id if n.id in keep else "v")
            return
        if isinstance(n, ast.arg):
            out.append("arg")
            return
        if isinstance(n, ast.Constant):
            out.append(f"c:{type(n.value).__name__}")
            return
        out.append(type(n).__name__)
        if isinstance(n, ast.Attribute):
            visit(n.value)
            out.append("." + n.attr)
            return
        body_fields = ("body", "orelse", "finalbody")
        for name, value in ast.iter_fields(n):
            if name in ("ctx", "type_comment", "name", "id", "attr", "decorator_list", "returns"):
                continue
            if name == "body" and isinstance(value, list):
                value = _strip_docstring(value)
            if isinstance(value, list):
                if name in body_fields:
                    out.append("{")
                for item in value:
                    if isinstance(item, ast.AST):
                        visit(item)
                if name in body_fields:
                    out.append("}")
            elif isinstance(value, ast.AST):
                visit(value)

    visit(node)
    return out


def functions(source: str, module: str) -> dict[str, list[str]]:
    """{"module.function": tokens} for the functions and methods of one module's source (of a
    notebook's program, the code of its cells)."""
    from tutor.notebook.program import cells_code

    try:
        tree = ast.parse(cells_code(source) or source)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return {}
    imported, found = _imports_and_functions(tree)
    keep = frozenset(imported | _BUILTINS)
    out: dict[str, list[str]] = {}
    for node in found:
        try:
            out[f"{module}.{node.name}"] = shape_tokens(node, keep)
        except RecursionError:
            continue
    return out


def winnow(tokens: list[str], k: int = K, window: int = WINDOW) -> set[int]:
    if not tokens:
        return set()
    grams = [zlib.crc32("\x1f".join(tokens[i:i + k]).encode()) for i in range(max(1, len(tokens) - k + 1))]
    if len(grams) <= window:
        return {min(grams)}
    return {min(grams[i:i + window]) for i in range(len(grams) - window + 1)}


def fingerprint(name: str, sources: Mapping[str, str], seen: dict | None = None) -> Fingerprint:
    """`seen`: the winnowed functions of module texts already read in this report (a class hands
    in many identical files: untouched stubs, shared helpers), reused rather than parsed again."""
    fp = Fingerprint(name)
    seen = {} if seen is None else seen
    for module, source in sources.items():
        key = (module, source)
        if key not in seen:
            seen[key] = {function: frozenset(winnow(tokens)) for function, tokens in functions(source, module).items()}
        fp.functions.update(seen[key])
    return fp


# --- comparing --------------------------------------------------------------------------------

def _jaccard(a: set, b: set) -> float:
    union = len(a | b)
    return len(a & b) / union if union else 0.0


def class_sets(prints: list[Fingerprint], ignore: set[int] = frozenset()) -> tuple[list[set[int]], set[int]]:
    """Each submission's fingerprints without the stubs' (`ignore`) and, in a large class, without
    the idioms most of the class shares; and the set of everything left out."""
    counts: dict[int, int] = {}
    for p in prints:
        for h in p.hashes:
            counts[h] = counts.get(h, 0) + 1
    left_out = set(ignore)
    if len(prints) >= COMMON_MIN_CLASS:
        left_out |= {h for h, c in counts.items() if c > COMMON_SHARE * len(prints)}
    return [p.hashes - left_out for p in prints], left_out


def index_pairs(sets: list[set[int]], threshold: float) -> list[tuple[int, int, float]]:
    """(i, j, Jaccard) of every pair at `threshold` or above, through the index: a 0/1 matrix of
    the fingerprints two or more sets hold, times its transpose, gives every |A ∩ B| at once."""
    import numpy as np

    shared: dict[int, int] = {}
    for s in sets:
        for h in s:
            shared[h] = shared.get(h, 0) + 1
    columns = {h: i for i, h in enumerate(h for h, c in shared.items() if c >= 2)}
    if not columns:
        return []
    matrix = np.zeros((len(sets), len(columns)), dtype=np.float32)
    for row, s in enumerate(sets):
        matrix[row, [columns[h] for h in s if h in columns]] = 1.0
    common = matrix @ matrix.T
    sizes = np.array([len(s) for s in sets], dtype=np.float32)
    with np.errstate(divide="ignore", invalid="ignore"):
        jaccard = common / (sizes[:, None] + sizes[None, :] - common)
    rows, cols = np.nonzero(np.triu(jaccard >= threshold, k=1))
    return [(i, j, float(jaccard[i, j])) for i, j in zip(rows.tolist(), cols.tolist())]


def compare(prints: list[Fingerprint], ignore: set[int] = frozenset(), threshold: float = THRESHOLD,
            solutions: Fingerprint | None = None) -> list[Pair]:
    """Every pair of submissions at `threshold` or above, and every submission whose code is
    mostly (`threshold`) the solutions' (the idiom filter does not apply there: a class that
    copied the solutions wholesale shares everything, and is reported against them)."""
    sets, left_out = class_sets(prints, ignore)
    pairs = []
    for i, j, similarity in index_pairs(sets, threshold):
        if len(sets[i]) >= MIN_FINGERPRINTS and len(sets[j]) >= MIN_FINGERPRINTS:
            pairs.append(Pair(prints[i].name, prints[j].name, similarity,
                              _matching(prints[i], _FunctionIndex(prints[j], left_out), left_out, threshold)))
    if solutions is not None:
        ignored = set(ignore)
        reference = solutions.hashes - ignored
        index = _FunctionIndex(solutions, ignored)     # made once: most of a class matches it
        for p in prints:
            mine = p.hashes - ignored
            if len(mine) >= MIN_FINGERPRINTS and len(mine & reference) / len(mine) >= threshold:
                pairs.append(Pair(p.name, solutions.name, len(mine & reference) / len(mine),
                                  _matching(p, index, ignored, threshold)))
    return sorted(pairs, key=lambda p: (-p.similarity, p.a, p.b))


class _FunctionIndex:
    """b's functions (their fingerprints less `ignore`) and, for each fingerprint, the functions holding it."""

    def __init__(self, b: Fingerprint, ignore: set[int]):
        self.functions = {name: h - ignore for name, h in b.functions.items()}
        self.holders: dict[int, list[str]] = {}
        for other, h in self.functions.items():
            for value in h:
                self.holders.setdefault(value, []).append(other)


def _matching(a: Fingerprint, b: _FunctionIndex, ignore: set[int], threshold: float) -> tuple:
    """Functions of a that match a function of b (robust to renaming the function too)."""
    found = []
    b_funcs, holders = b.functions, b.holders
    for name, hashes in a.functions.items():
        hashes = hashes - ignore
        if not hashes:
            continue
        # the best match; the function of the same name first among equals. Only b's functions
        # sharing a fingerprint can reach the threshold (the others' Jaccard is 0).
        candidates = ({other for value in hashes for other in holders.get(value, ())} if threshold > 0
                      else [other for other, h in b_funcs.items() if h])
        best = max(((_jaccard(hashes, b_funcs[other]), other == name, other) for other in candidates),
                   default=(0.0, False, ""))
        best = (best[0], best[2])
        if best[0] >= threshold:
            found.append((name, best[1], best[0]))
    return tuple(found)


# --- the report -------------------------------------------------------------------------------

def _stub_hashes() -> set[int]:
    """Fingerprints of the handed-out stubs (exercises/): every blank submission shares them."""
    try:
        from tutor.paths import pristine_exercises

        folder = pristine_exercises()
        sources = {p.stem: p.read_text(encoding="utf-8") for p in Path(folder).glob("*.py")}
    except Exception:  # noqa: BLE001 - without stubs, blank submissions may pair up; still no grade change
        return set()
    return fingerprint("(stubs)", sources).hashes


def solution_sources(course: Path | None) -> dict[str, str]:
    """The course's own solutions, first found wins per module: COURSE/solutions/*.py, the answer
    cells of an nbgrader course's COURSE/source/ notebooks, then tutor's (the repository's solutions/)."""
    sources: dict[str, str] = {}
    _add_folder(sources, Path(course) / "solutions" if course else None)
    if course and (Path(course) / "source").is_dir():
        try:
            from tutor.nbgrader.notebooks import read_student

            student = read_student(Path(course) / "source", _modules())
            for module, text in (student.sources if student else {}).items():
                sources.setdefault(module, text)
        except Exception:  # noqa: BLE001 - the notebooks are optional here
            pass
    _add_folder(sources, Path(__file__).resolve().parents[2] / "solutions")
    return sources


def _add_folder(sources: dict[str, str], folder: Path | None) -> None:
    if folder is None or not folder.is_dir():
        return
    for path in sorted(folder.glob("*.py")):
        try:
            sources.setdefault(path.stem, path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError):
            continue


def _modules() -> list[str]:
    from tutor.paths import exercise_modules

    return exercise_modules()


def report(out: Path, students: Mapping, course: Path | None = None, threshold: float = THRESHOLD) -> str:
    """Write OUT/similarity.md and return its one-line summary."""
    seen: dict = {}
    prints = [fingerprint(name, s.sources, seen) for name, s in students.items()]
    solutions = fingerprint(SOLUTIONS, solution_sources(course), seen)
    pairs = compare(prints, _stub_hashes(), threshold, solutions if solutions.functions else None)
    text = markdown(pairs, len(prints), threshold)
    from tutor.files import atomic_write

    atomic_write(Path(out) / FILENAME, text)
    with_solutions = sum(1 for p in pairs if SOLUTIONS in (p.a, p.b))
    between = len(pairs) - with_solutions
    return (f"Similarity: {between} pair(s) of near-identical submissions and {with_solutions} submission(s) "
            f"near-identical to the solutions (≥ {threshold:.0%}); grades unchanged; see {Path(out) / FILENAME}.")


def markdown(pairs: Iterable[Pair], students: int, threshold: float) -> str:
    pairs = list(pairs)
    lines = ["# Similar submissions", "",
             f"{students} submissions compared; pairs whose code has the same shape (names, comments, "
             f"formatting and the order of functions ignored) at {threshold:.0%} or more. This is a "
             f"lead for you to read, not a verdict: no grade was changed.", ""]
    if not pairs:
        return "\n".join(lines + ["No pair reached the threshold.", ""])
    lines += ["| submission | submission | similarity | matching functions |", "|---|---|---|---|"]
    for p in pairs:
        matched = ", ".join(f"`{fa}`" + (f" ≈ `{fb}`" if fb != fa else "") for fa, fb, _ in p.functions) or "—"
        cells = [printable(c).replace("|", "\\|") for c in (p.a, p.b, f"{p.similarity:.0%}", matched)]
        lines.append("| " + " | ".join(cells) + " |")
    lines.append("")
    return "\n".join(lines)
