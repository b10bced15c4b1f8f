"""`check(...)` for notebooks: grade a function the learner just wrote, in the sandbox.

    from tutor import check
    check(affine_forward)                               # the exercise is found by name
    check("layers.affine_forward", affine_forward)      # or named explicitly
    check("layers.affine_forward")                      # the function is looked up by name

The learner's function is never called in this process (the kernel). In a Jupyter kernel
check() grades what the kernel has run: the cells it executed (IPython's input history), in
order, are replayed in the sandboxed child (tutor.notebook.program), so module-level
classes, dicts of settings, lambdas and functools.partial work as they did in the kernel,
and the function named by the exercise is graded as it stands after them. Outside a kernel
(a script) the source of the notebook's functions, imports and simple constants is
collected with inspect.getsource. Either way tutor.engine.Grader runs it in the sandbox and
compares with the PyTorch reference computed here.

The result is a CheckReport: rich HTML in Jupyter, the terminal's text elsewhere. When the
exercise is not passed, `check` raises CheckFailed (an AssertionError) carrying the same
diagnosis, so an nbgrader test cell made of `check(...)` calls fails exactly when the
exercise does; `raise_on_failure=False` returns the report instead.

`hidden=True` runs the same cases on fresh inputs derived from the course's secret
(COURSE/.tutor-secret, tutor.course): nbgrader's hidden tests, which a function that hard-codes
the visible answers does not pass. Only the instructor's course folder holds the secret, so in
a student's kernel `hidden=True` stops with a message instead of running.
"""
from __future__ import annotations

import builtins
import contextlib
import dataclasses
import inspect
import io
import os
import sys
import textwrap
import types
import warnings

from tutor.engine.results import PASSED, ExerciseResult
from tutor.notebook import render




class CheckFailed(AssertionError):
    """The exercise did not pass; str() is the diagnosis in plain text."""

    def __init__(self, report: "CheckReport"):
        super().__init__(report.text())
        self.report = report

    def _render_traceback_(self):
        # IPython shows this instead of a traceback through tutor's internals: the learner
        # needs the diagnosis (displayed above in HTML), not our stack.
        r = self.report.result
        return [f"CheckFailed: {r.exercise}{self.report.label} did not pass "
                f"({round(r.score, 2):g}/{r.max_score:g}): {r.message}"]


@dataclasses.dataclass
class CheckReport:
    result: ExerciseResult
    hidden: bool = False
    hints: tuple[str, ...] = ()
    solution: str | None = None     # the course's solution, shown folded once passed (when offered)

    @property
    def passed(self) -> bool:
        return bool(self.result.passed)

    @property
    def label(self) -> str:
        return " (hidden tests)" if self.hidden else ""

    def text(self) -> str:
        return render.text(self.result, self.label)

    def __str__(self) -> str:
        return self.text()

    def __repr__(self) -> str:
        return self.text()

    def __bool__(self) -> bool:
        return self.passed

    def _repr_html_(self) -> str:
        return render.html_block(self.result, self.label, self.hints, self.solution)

    def _show(self) -> None:
        # display_data rather than execute_result: nbgrader reads an execute_result of a test
        # cell as a partial-credit score, and this is a report, not a number.
        from IPython.display import display

        display({"text/plain": self.text(), "text/html": self._repr_html_()}, raw=True)
        self._shown_in = _execution_count()

    def _ipython_display_(self):
        # check() shows its report as soon as it has one (so a test cell with a visible and a
        # hidden check shows both); as the cell's value it is then not shown a second time.
        if getattr(self, "_shown_in", None) is not None and self._shown_in == _execution_count():
            return
        self._show()


def check(target, fn=None, *, hidden: bool = False, timeout: float = 10.0,
          raise_on_failure: bool = True) -> CheckReport:
    """Check one exercise function in the sandbox; see the module docstring."""
    caller_globals = None
    if fn is None and isinstance(target, str):
        frame = inspect.currentframe()
        caller_globals = frame.f_back.f_globals if frame and frame.f_back else {}
    exercise, fn = _resolve(target, fn, caller_globals)
    secret = _hidden_secret() if hidden else None
    sources = kernel_sources(exercise, fn)
    if sources is None:
        sources = {exercise.module: collect_source(fn, exercise.function)}
    result = grade_source(exercise, sources, hidden=hidden, timeout=timeout, secret=secret)
    hints, solutions = offered()
    report = CheckReport(result, hidden=hidden, hints=tuple(exercise.hints) if hints else (),
                         solution=_solution(exercise) if solutions and result.passed and not hidden
                         and learner_side() else None)   # not in autograde's feedback: a reveal is the learner's choice
    if _in_ipython():
        report._show()
    if not report.passed and raise_on_failure:
        raise CheckFailed(report)
    return report


# --- which exercise, which function -------------------------------------------------------

def _resolve(target, fn, caller_globals):
    from tutor import manifest

    if isinstance(target, str):
        exercise = _exercise_named(target, manifest)
        if fn is None:
            fn = (caller_globals or {}).get(exercise.function)
            if fn is None:
                raise NameError(f"no function named {exercise.function} is defined yet: run the cell "
                                f"that defines it, then check again.")
    else:
        fn = target if fn is None else fn
        exercise = _exercise_of(fn, manifest)
    if not callable(fn):
        raise TypeError(f"check({exercise.id!r}, ...) needs the function itself, got {type(fn).__name__}")
    return exercise, fn


def _exercise_named(exercise_id: str, manifest):
    """The exercise an id names ("layers.affine_forward"), or a bare function name if only one has it."""
    if "." not in exercise_id:
        matches = [e for e in manifest.EXERCISES if e.function == exercise_id]
        if len(matches) != 1:
            raise ValueError(_unknown(exercise_id, manifest))
        return matches[0]
    try:
        return manifest.by_id(exercise_id)
    except KeyError:
        raise ValueError(_unknown(exercise_id, manifest)) from None


def _exercise_of(fn, manifest):
    """The one exercise whose function has `fn`'s name."""
    name = getattr(fn, "__name__", None)
    matches = [e for e in manifest.EXERCISES if e.function == name]
    if len(matches) != 1:
        raise ValueError(f"which exercise is {name!r}? Name it: check(\"module.{name}\", {name})"
                         if matches else _unknown(str(name), manifest))
    return matches[0]


def _unknown(name: str, manifest) -> str:
    import difflib

    ids = [e.id for e in manifest.EXERCISES]
    close = difflib.get_close_matches(name, ids + [e.function for e in manifest.EXERCISES], n=3)
    more = f" Did you mean {', '.join(close)}?" if close else ""
    return f"{name!r} is not an exercise.{more} Exercise ids look like layers.affine_forward."


# --- the source sent to the sandbox -------------------------------------------------------

def _shell():
    ip = sys.modules.get("IPython")
    try:
        shell = ip.get_ipython() if ip else None
    except Exception:  # noqa: BLE001
        return None
    return shell if shell is not None and hasattr(shell, "history_manager") else None


def kernel_cells(shell) -> list[str] | None:
    """The cells the kernel has run, in order, as typed (magics included), this one last."""
    try:
        raw = list(shell.history_manager.input_hist_raw)
    except Exception:  # noqa: BLE001 - not a usual IPython shell
        return None
    return [str(cell) for cell in raw[1:]] or None


def _bound_name(shell, fn) -> str | None:
    """The name the kernel's namespace holds `fn` under (a lambda, a partial, an alias)."""
    for name, value in list(shell.user_ns.items()):
        if value is fn and name.isidentifier() and not name.startswith("_"):
            return name
    return None


def kernel_sources(exercise, fn) -> dict[str, str] | None:
    """{module: program} replaying what the kernel ran (tutor.notebook.program), or None outside
    a kernel. The exercise's function is the kernel's `fn`, under the exercise's name."""
    shell = _shell()
    cells = kernel_cells(shell) if shell is not None else None
    if not cells:
        return None
    from tutor.notebook.program import kernel_program

    alias = None
    if shell.user_ns.get(exercise.function) is not fn:
        name = _bound_name(shell, fn)
        if name is None:
            return None   # a function the namespace does not hold: its source is collected instead
        alias = f"{exercise.function} = {name}"
    return kernel_program(cells, exercise.id, alias)


def _code_names(code: types.CodeType) -> set[str]:
    names = set(code.co_names)
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            names |= _code_names(const)
    return names


def _simple(value) -> bool:
    if value is None or isinstance(value, (bool, int, float, complex, str, bytes)):
        return True
    if isinstance(value, (tuple, frozenset)):
        return all(_simple(v) for v in value)
    return False


def _function_source(obj) -> str | None:
    try:
        return textwrap.dedent(inspect.getsource(obj))
    except (OSError, TypeError, IndentationError):
        return None


def collect_source(fn, function_name: str) -> str:
    """A module's source from the kernel: the notebook's imports, simple constants and every
    function it defined (getsource), with `function_name` bound to `fn`."""
    module_name = getattr(fn, "__module__", "__main__")
    namespace = getattr(fn, "__globals__", {}) or {}
    text = _imported_module_source(fn, function_name, module_name, namespace)
    if text:
        return text
    functions, used = _notebook_functions(fn, module_name, namespace)
    header = _notebook_header(namespace, used, {name for name, _ in functions}, module_name)
    body = "\n\n\n".join(text.rstrip() for _, text in functions)
    alias = "" if fn.__name__ == function_name else f"\n\n{function_name} = {fn.__name__}"
    return "\n".join(header) + "\n\n\n" + body + alias + "\n"


def _imported_module_source(fn, function_name: str, module_name, namespace: dict) -> str | None:
    """The whole source of the module `fn` was imported from (not the notebook's), `function_name`
    bound to it; None for a function the notebook defined, or a module without a readable source."""
    if module_name in ("__main__", None) or namespace.get("__name__", "").startswith("__main__"):
        return None
    module = inspect.getmodule(fn)
    try:
        text = inspect.getsource(module) if module else ""
    except (OSError, TypeError):
        text = ""
    if not text:
        return None
    alias = "" if fn.__name__ == function_name else f"\n\n{function_name} = {fn.__name__}\n"
    return text + alias


def _notebook_functions(fn, module_name, namespace: dict) -> tuple[list[tuple[str, str]], set[str]]:
    """([(name, source)] of every function the notebook defined under its own name, `fn` always
    among them; the global names their code uses)."""
    functions: list[tuple[str, str]] = []
    used: set[str] = set()
    for name, obj in list(namespace.items()):
        if not isinstance(obj, types.FunctionType) or obj.__name__ == "<lambda>" or name.startswith("__"):
            continue
        if getattr(obj, "__module__", None) != module_name or name != obj.__name__:
            continue
        text = _function_source(obj)
        if text is None:
            continue
        functions.append((name, text))
        used |= _code_names(obj.__code__)
    if not any(name == fn.__name__ for name, _ in functions):
        text = _function_source(fn)
        if text is None:
            raise ValueError(f"cannot read the source of {fn.__name__}: define it in a cell with `def`.")
        functions.append((fn.__name__, text))
        used |= _code_names(fn.__code__)
    return functions, used


def _notebook_header(namespace: dict, used: set[str], defined: set[str], module_name) -> list[str]:
    """The lines above the functions: NumPy, then the imports and simple constants they use."""
    header = ["import numpy as np"]
    for name in sorted(used - defined):
        if name not in namespace or hasattr(builtins, name) and namespace.get(name) is getattr(builtins, name):
            continue
        line = _header_line(name, namespace[name], module_name)
        if line is not None:
            header.append(line)
    for name, value in namespace.items():   # `import math` in a cell, used inside a function
        if isinstance(value, types.ModuleType) and name in used and name not in defined:
            line = _guarded(f"import {value.__name__} as {name}")
            if line not in header:
                header.append(line)
    return header


def _header_line(name: str, value, module_name) -> str | None:
    """How the program gets the global `name`: an import, a constant, or nothing it can write."""
    if isinstance(value, types.ModuleType):
        return _guarded(f"import {value.__name__} as {name}")
    if _simple(value):
        return f"{name} = {value!r}"
    if getattr(value, "__module__", None) and getattr(value, "__name__", None) \
            and value.__module__ != module_name and not value.__module__.startswith("tutor"):
        return _guarded(f"from {value.__module__} import {value.__name__} as {name}")
    return None


def _guarded(statement: str) -> str:
    return f"try:\n    {statement}\nexcept Exception:\n    pass"


# --- grading ------------------------------------------------------------------------------

class HiddenTestsUnavailable(RuntimeError):
    """hidden=True without the course's secret (a student's kernel)."""

    def _render_traceback_(self):
        return [f"HiddenTestsUnavailable: {self}"]


def _hidden_secret() -> bytes:
    from tutor.course import find_secret

    secret = find_secret()
    if secret is None:
        raise HiddenTestsUnavailable(
            "the hidden tests run only when the instructor grades (nbgrader autograde or tutor grade "
            "in the course folder, which holds the course's secret .tutor-secret). Run the visible "
            "check without hidden=True.")
    return secret


_offered: dict[str, bool] = {}


def configure(*, hints: bool | None = None, solutions: bool | None = None) -> None:
    """What check() offers in this kernel: `check.configure(hints=False)` in a notebook's setup
    cell (tutor nbgrader export writes it from course.toml). Unset: the course.toml of a course
    folder above the working directory, else both offered."""
    for key, value in (("hints", hints), ("solutions", solutions)):
        if value is not None:
            _offered[key] = bool(value)


def offered() -> tuple[bool, bool]:
    """(hints offered, solution reveals offered)."""
    course = None
    if len(_offered) < 2:
        try:
            from tutor.course import find_course

            course = find_course()
        except Exception:  # noqa: BLE001 - a bad course.toml is reported by the instructor's commands
            course = None
    hints = _offered.get("hints", course.hints if course else True)
    solutions = _offered.get("solutions", course.solutions if course else True)
    return hints, solutions


def _solution(exercise) -> str | None:
    try:
        from tutor.notebook.sources import function_parts

        return function_parts(exercise).solution
    except Exception:  # noqa: BLE001 - an exercise without a readable solution offers none
        return None


def secret_words(secret: bytes) -> list[int]:
    """The secret as the 32-bit words NumPy's SeedSequence mixes in (a digest: any length works)."""
    import hashlib

    digest = hashlib.sha256(b"tutor hidden tests\0" + bytes(secret)).digest()
    return [int.from_bytes(digest[i:i + 4], "little") for i in range(0, 32, 4)]


def hidden_variant(exercise, secret: bytes):
    """The same exercise on other inputs: each case's generator is re-seeded with the course's secret."""
    import numpy as np

    if not secret:
        raise HiddenTestsUnavailable("hidden tests need the course's secret (COURSE/.tutor-secret)")
    words = secret_words(secret)

    def salted(make):
        def make_hidden(rng):
            seed = int(rng.integers(0, 2**63 - 1))
            return make(np.random.default_rng(words + [seed & 0xFFFFFFFF, seed >> 32]))
        return make_hidden

    cases = tuple(dataclasses.replace(c, name=f"hidden {c.name}", make=salted(c.make)) for c in exercise.cases)
    return dataclasses.replace(exercise, cases=cases)


def learner_side() -> bool:
    """True unless nbgrader is executing the notebook (autograde or validate set
    NBGRADER_EXECUTION in the kernel's environment): that is class grading."""
    return not os.environ.get("NBGRADER_EXECUTION")


def _grader(exercise, secret: bytes | None, timeout: float):
    """One Grader per exercise (and variant), so checking one function never runs the others;
    all of them on the engine's one shared sandbox worker (tutor/engine/shared.py: a notebook
    starts one sandbox process, not one per exercise). On the learner's side the prepared cases
    come from the engine's disk cache when they can (no torch import); never while nbgrader
    grades, and never for hidden tests."""
    from tutor.engine.shared import shared_grader

    hidden = secret is not None
    chosen = hidden_variant(exercise, secret) if hidden else exercise
    return shared_grader([chosen], timeout=timeout, cache=learner_side() and not hidden,
                         key=("notebook", exercise.id, secret))


def grade_source(exercise, sources: dict[str, str], *, hidden: bool = False,
                 timeout: float = 10.0, secret: bytes | None = None) -> ExerciseResult:
    if hidden and secret is None:
        secret = _hidden_secret()
    with _quiet():
        grader = _grader(exercise, secret if hidden else None, timeout)
        results = grader.grade(sources)
    for result in results:
        if result.exercise == exercise.id:
            return result
    raise RuntimeError(f"the grader returned no result for {exercise.id}")




def _execution_count():
    ip = sys.modules.get("IPython")
    try:
        shell = ip.get_ipython() if ip else None
    except Exception:  # noqa: BLE001
        return None
    return getattr(shell, "execution_count", None)


def _in_ipython() -> bool:
    ip = sys.modules.get("IPython")
    if ip is None:
        return False
    try:
        shell = ip.get_ipython()
    except Exception:
        return False
    return shell is not None and hasattr(shell, "kernel")


@contextlib.contextmanager
def _quiet():
    """No stray stderr while grading in a kernel: nbgrader scores a test cell with any stderr
    output as 0, so warnings from the reference (torch) and anything the sandboxed child
    writes to an inherited stderr are kept out of the cell."""
    if not _in_ipython():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield
        return
    saved_fd = None
    try:
        sys.__stderr__.flush() if sys.__stderr__ else None
        saved_fd = os.dup(2)
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 2)
        os.close(devnull)
    except OSError:
        saved_fd = None
    old_stderr = sys.stderr
    sys.stderr = io.StringIO()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield
    finally:
        sys.stderr = old_stderr
        if saved_fd is not None:
            os.dup2(saved_fd, 2)
            os.close(saved_fd)


check.configure = configure     # reachable from the setup cell's `from tutor import check`

__all__ = ["CheckFailed", "CheckReport", "HiddenTestsUnavailable", "check", "collect_source",
           "grade_source", "hidden_variant", "kernel_sources", "PASSED"]
