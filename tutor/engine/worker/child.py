"""The forked child: imports the learner's modules and calls them. Standard library + NumPy.

It never sees an expected value, so it judges nothing: it reports what the learner's
functions returned (as float64 arrays), what they raised, how long they took, whether
they changed their inputs, whether a run again with the same seed (and with another) gave
the same output, and for the numerical check what their own forward implies.
"""
from __future__ import annotations

import importlib
import inspect
import os
import signal
import sys
import time
import traceback
import warnings

import numpy as np

from constants import OTHER_SEED_OFFSET  # "another seed" for the reproducibility check
from protocol import RngSeed, pack, write_all
import progress_channel  # noqa: E402 - report() from learner code (progress_channel.py)
import ragged  # noqa: E402 - list-of-batches results (ragged.py)
from answers import (as_float_array, describe_output, fresh, kind_of, modified, same_array, same_float_array,
                     unpack)
from capture import MAX_TEXT, CappedText  # learner prints, capped (capture.py)

NUMERICAL_STEP = 1e-5
REPEAT_BELOW_SECONDS = 0.01   # a random function this fast also runs again: same seed, then another
# (Xavier, dropout, mini-batches take well under a millisecond; a training run, such as the capstone,
# is judged on what it learns and would triple its cost: it runs once.)


class Child:
    def __init__(self, plan: dict, workdir: str, send):
        self.plan = plan
        self.workdir = workdir
        self.send = send            # send(header, arrays)
        self.modules: dict[str, object] = {}
        self.output = CappedText()
        self.progress = progress_channel.Channel(send)
        progress_channel.install(self.progress)
        self.notes: list[str] = []   # a notebook's failed or skipped cells (tutor.notebook.program)

    # -- modules ---------------------------------------------------------------

    def module(self, name: str):
        """The learner's module, or a string saying why it is not there."""
        if name not in self.modules:
            if not os.path.exists(os.path.join(self.workdir, name + ".py")):
                self.modules[name] = f"there is no {name}.py in your workspace"
            else:
                try:
                    self.modules[name] = importlib.import_module(name)
                except BaseException as error:  # noqa: BLE001 - anything at import time
                    self.modules[name] = f"{name}.py does not import: {self.describe(error)}"
            # From here a hang or a crash is the exercise's, not the import's (the zygote's blame).
            self.send({"type": "imported", "module": name})
        return self.modules[name]

    def function(self, qualified: str, at: str | None = None):
        module_name, _, function_name = qualified.rpartition(".")
        module = self.module(module_name)
        if isinstance(module, str):
            return None, module
        scope = self.notebook_scope(module, at)
        if scope is not None:
            function = scope.get(function_name)
            if not callable(function):
                return None, f"{function_name} is not defined when the notebook reaches the test cell of {at}"
            return function, None
        function = getattr(module, function_name, None)
        if not callable(function):
            return None, f"{module_name}.py has no function {function_name}"
        return function, None

    def notebook_scope(self, module, at: str | None):
        """A notebook's namespace at the test cell of exercise `at` (tutor.notebook.program runs
        its cells, in this child), or None for a plain module; its notes go with the result."""
        run = getattr(module, "__tutor_namespace__", None) if at else None
        if not callable(run):
            return None
        try:
            namespace, notes = run(at)
        except BaseException as error:  # noqa: BLE001 - the cells are the learner's code
            namespace, notes = {}, [f"the notebook could not be run: {self.describe(error)}"]
        self.notes.extend(str(n)[:MAX_TEXT] for n in list(notes)[:50] if str(n) not in self.notes)
        return namespace if isinstance(namespace, dict) else None

    # -- tasks -----------------------------------------------------------------

    def run(self, index: int, task: dict) -> None:
        exercise = self.plan["exercises"][task["exercise"]]
        started = time.perf_counter()
        header = {"type": "result", "index": index}
        arrays: list[np.ndarray] = []
        arm_time_limit(exercise.get("soft_timeout"))
        self.progress.start(index)
        self.notes = []
        function, problem = self.function(exercise["id"], at=exercise["id"])
        forward = None
        if function is not None and exercise["forward"]:
            forward, problem = self.function(exercise["forward"], at=exercise["id"])
        if self.notes:
            header["notebook"] = self.notes
        if problem:
            header.update(error="missing", message=problem)
        elif task["mode"] == "grade":
            header["cases"] = [self.run_case(exercise, function, forward, case, arrays) for case in exercise["cases"]]
        else:
            header["check"] = self.numerical_check(exercise, function, forward, task, arrays)
        disarm_time_limit()
        header["stdout"] = self.output.take()
        header["seconds"] = time.perf_counter() - started
        self.send(header, arrays)

    def run_case(self, exercise, function, forward, case, arrays) -> dict:
        inputs = case["inputs"]
        kwargs = fresh(inputs)
        report: dict = {}
        del CAUGHT_WARNINGS[:], FORWARD_WARNINGS[:]
        started = time.perf_counter()
        try:
            if TIME_LIMIT.expired:
                raise TimeLimit()
            TIME_LIMIT.inside = True
            outputs, forward_out = self.call(exercise, function, forward, kwargs, case.get("dout"))
            elapsed = time.perf_counter() - started
            again = self.repeat(exercise, function, forward, case, outputs) if elapsed < REPEAT_BELOW_SECONDS else {}
        except BaseException as error:  # noqa: BLE001 - the learner's code may raise anything
            TIME_LIMIT.inside = False
            report.update(self.failure(error))
            report["seconds"] = time.perf_counter() - started
            return report
        TIME_LIMIT.inside = False
        report["seconds"] = elapsed
        if CAUGHT_WARNINGS:
            report["warnings"] = sorted(set(CAUGHT_WARNINGS))[:5]
        if FORWARD_WARNINGS:      # the forward's own: never held against the backward
            report["forward_warnings"] = sorted(set(FORWARD_WARNINGS))[:5]
        if isinstance(outputs, str):
            report.update(status="bad_return", message=outputs)
            return report
        report["status"] = "ok"
        report["outputs"] = [describe_output(value, arrays) for value in outputs]
        if forward_out is not None:
            report["forward_out"] = describe_output(forward_out, arrays)
        changed = modified(inputs, kwargs)
        if case.get("dout") is not None and not same_array(case["dout"], kwargs.get("__dout__")):
            changed.append("dout")
        if changed:
            report["modified"] = changed
        first = report["outputs"][0].get("a") if report["outputs"] else None
        if again and first is not None:
            report.update((f"same_{key}", same_float_array(arrays[first], value)) for key, value in again.items())
        return report

    def repeat(self, exercise, function, forward, case, outputs) -> dict:
        """A function given an rng runs twice more, with the same seed and with another: their
        first outputs, {"again": ..., "other_seed": ...}; the report says whether each is the
        first run's output, bit for bit (same_again, same_other_seed), for the parent to judge."""
        inputs = case["inputs"]
        if isinstance(outputs, str) or exercise["style"] == "backward" \
                or not any(isinstance(v, RngSeed) for v in inputs.values()):
            return {}
        other = {k: RngSeed(v.seed + OTHER_SEED_OFFSET) if isinstance(v, RngSeed) else v for k, v in inputs.items()}
        found = {}
        # The repeats' report() calls are not sent: the learner's curves show one run, not three.
        index, self.progress.index = self.progress.index, None
        try:
            for key, values in (("again", inputs), ("other_seed", other)):
                repeated, _ = self.call(exercise, function, forward, fresh(values), None)
                if isinstance(repeated, str):
                    return {}
                found[key] = repeated[0]
        except TimeLimit:
            raise
        except BaseException:  # noqa: BLE001 - judged on the first run only
            return {}
        finally:
            self.progress.index = index
        return found

    def call(self, exercise, function, forward, kwargs, dout):
        """Run one case; returns (list of returned values | message, forward's out | None)."""
        names = exercise["outputs"]
        style = exercise["style"]
        if style == "backward":
            try:
                result = call_checked(forward, exercise["forward"], tuple(kwargs.values()), {})
            except TimeLimit:
                raise
            except BaseException as error:  # noqa: BLE001 - reported as the forward's problem
                raise InForward(error) from None
            FORWARD_WARNINGS.extend(CAUGHT_WARNINGS)
            del CAUGHT_WARNINGS[:]
            if not (isinstance(result, (tuple, list)) and len(result) == 2):
                return f"{short(exercise['forward'])} must return (out, cache), so {short(exercise['id'])} could not be checked", None
            forward_out, cache = result
            upstream = dout.copy()
            kwargs["__dout__"] = upstream
            result = call_checked(function, exercise["id"], (upstream, cache), {})
            # The forward's out travels too: the parent blames a wrong forward, not the backward.
            return unpack(result, names, short(exercise["id"])), forward_out
        result = call_checked(function, exercise["id"], tuple(kwargs.values()), {})
        if style == "pair":
            if not (isinstance(result, (tuple, list)) and len(result) == 2):
                return f"{short(exercise['id'])} must return a pair (out, cache), not {kind_of(result)}", None
            return [result[0]], None
        values = unpack(result, names, short(exercise["id"]))
        if exercise.get("encode") and not isinstance(values, str):   # a list of batches (ragged.py)
            values = [ragged.encode(exercise["encode"], v) for v in values]
        return values, None

    def failure(self, error: BaseException) -> dict:
        if isinstance(error, InForward):
            return dict(self.failure(error.inner), in_forward=True)
        if isinstance(error, SignatureProblem):
            return {"status": "signature", "message": str(error)}
        if isinstance(error, TimeLimit):
            return {"status": "timeout", "traceback": self.learner_traceback(error) if error.__traceback__ else ""}
        if isinstance(error, NotImplementedError):
            return {"status": "not_implemented", "message": self.describe(error)}
        if isinstance(error, (SystemExit, KeyboardInterrupt)):
            what = f"sys.exit({error.code!r})" if isinstance(error, SystemExit) else "KeyboardInterrupt"
            return {"status": "exit", "message": f"your code stopped the program ({what})", "traceback": self.learner_traceback(error)}
        return {"status": "exception", "message": self.describe(error), "traceback": self.learner_traceback(error)}

    def describe(self, error: BaseException) -> str:
        try:
            if isinstance(error, SyntaxError):
                return f"{type(error).__name__}: {error.msg} (line {error.lineno})"
            return "".join(traceback.format_exception_only(type(error), error)).strip()[:MAX_TEXT]
        except BaseException:  # noqa: BLE001 - a learner's exception whose str() fails
            return type(error).__name__

    def learner_traceback(self, error: BaseException) -> str:
        """The traceback with the learner's frames only, file names relative to the workspace."""
        try:
            prefix = os.path.join(self.workdir, "")
            frames = [f for f in traceback.extract_tb(error.__traceback__) if f.filename.startswith(prefix)]
            for frame in frames:
                frame.filename = frame.filename[len(prefix):]
            text = "".join(traceback.format_list(frames)) + self.describe(error)
            return "Traceback (your code, most recent call last):\n" + text[-MAX_TEXT:]
        except BaseException:  # noqa: BLE001
            return self.describe(error)

    # -- the numerical check of a backward against the learner's own forward -----

    def numerical_check(self, exercise, function, forward, task, arrays) -> dict:
        case = exercise["cases"][task["case"]]
        dout = case["dout"]
        try:
            kwargs = fresh(case["inputs"])
            out, cache = forward(*kwargs.values())
            result = unpack(function(dout.copy(), cache), exercise["outputs"], short(exercise["id"]))
            if isinstance(result, str):
                return {"status": "bad_return", "message": result}
            analytic = [as_float_array(g) for g in result]
            numeric = []
            for name, grad, indices in zip(exercise["grad_args"], analytic, task["samples"]):
                if isinstance(grad, str) or not isinstance(case["inputs"].get(name), np.ndarray):
                    return {"status": "bad_return", "message": f"gradient for {name} is not usable"}
                estimates = []
                for flat in indices:
                    estimates.append(self.central_difference(forward, case["inputs"], name, flat, dout))
                arrays.append(np.asarray([grad.reshape(-1)[i] if grad.size == case["inputs"][name].size else np.nan
                                          for i in indices], dtype=np.float64))
                arrays.append(np.asarray(estimates, dtype=np.float64))
                numeric.append([len(arrays) - 2, len(arrays) - 1])
        except BaseException as error:  # noqa: BLE001
            return {"status": "exception", "message": self.describe(error)}
        return {"status": "ok", "pairs": numeric}

    def central_difference(self, forward, inputs, name, flat, dout) -> float:
        def loss(shift):
            kwargs = fresh(inputs)
            kwargs[name].reshape(-1)[flat] += shift
            out = as_float_array(forward(*kwargs.values())[0])
            return float(np.sum(out * dout))
        return (loss(NUMERICAL_STEP) - loss(-NUMERICAL_STEP)) / (2 * NUMERICAL_STEP)


class SignatureProblem(Exception):
    pass


class TimeLimit(BaseException):
    """Raised in the learner's code just before the hard time limit, so that its traceback says
    where the time went (a BaseException: `except Exception` in learner code does not swallow it)."""


class SoftLimit:
    expired = False           # the soft limit has passed: the task's remaining cases are not run
    inside = False            # the learner's code is running (the only place TimeLimit is raised)


TIME_LIMIT = SoftLimit()


def _on_alarm(signum, frame):
    TIME_LIMIT.expired = True
    if TIME_LIMIT.inside:
        raise TimeLimit()


def arm_time_limit(seconds) -> None:
    """SIGALRM after `seconds` (the parent's soft limit, below the zygote's hard one)."""
    TIME_LIMIT.expired = False
    if type(seconds) in (int, float) and seconds > 0:
        signal.signal(signal.SIGALRM, _on_alarm)
        signal.setitimer(signal.ITIMER_REAL, float(seconds))


def disarm_time_limit() -> None:
    signal.setitimer(signal.ITIMER_REAL, 0)


def call_checked(function, name, args, kwargs):
    """function(*args, **kwargs); a TypeError from binding the arguments becomes SignatureProblem.

    Binding is only inspected after a TypeError whose traceback never entered the learner's
    code, so the usual call costs nothing extra.
    """
    try:
        return function(*args, **kwargs)
    except TypeError as error:
        if error.__traceback__ is not None and error.__traceback__.tb_next is None:
            try:
                signature = inspect.signature(function)
                signature.bind(*args, **kwargs)
            except TypeError as problem:
                raise SignatureProblem(f"{short(name)}{signature}: {problem}") from None
            except ValueError:
                pass
        raise


class InForward(Exception):
    """The learner's forward failed while a backward was being checked."""

    def __init__(self, inner: BaseException):
        super().__init__(str(type(inner).__name__))
        self.inner = inner


# -- helpers ---------------------------------------------------------------------

def short(qualified: str) -> str:
    return qualified.rpartition(".")[2]


CAUGHT_WARNINGS: list[str] = []
FORWARD_WARNINGS: list[str] = []


def catch_warning(message, category, filename, lineno, file=None, line=None):
    CAUGHT_WARNINGS.append(f"{category.__name__}: {message}"[:200])


def main(plan: dict, tasks: list, pending: list, workdir: str, result_fd: int) -> None:
    """Run the pending tasks in order, one result frame each, then a done frame."""
    def send(header, arrays=()):
        write_all(result_fd, pack(header, arrays))

    # Every warning is recorded for the case that raised it (once per case, not once per run).
    warnings.simplefilter("always")
    warnings.showwarning = catch_warning

    child = Child(plan, workdir, send)
    sys.stdout = sys.stderr = child.output
    for index in pending:
        child.run(index, tasks[index])
