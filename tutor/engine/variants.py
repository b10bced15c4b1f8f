"""Variants of manifest entries that a class grader keeps in its own reference folder.

An exercise made from a manifest entry by a known function and one argument (the course's hidden
tests: tutor.notebook.check.hidden_variant(entry, the course's secret)) is as much a pure function
of what it is made from as the entry itself. So its prepared form is kept like the entry's
(cache.py), under a name of its own, and computed with the others in the reference process
(reference_process.py), which makes it again from its recipe: the grading process then never
imports torch for it, on a first run or a repeated one.

    make(entry, builder, argument) -> Exercise   builder(entry, argument), its recipe registered
        (builder: "module:function"; argument: bytes, for instance the course's secret)
    recipe(exercise) -> Recipe | None            how a registered variant was made
    build(recipe) -> Exercise                    the same variant, made again (in another process)

Recipe.name, the name its prepared form is kept under, is "<id>.variant-<digest>", the digest of
the builder's name and source file and of the argument: a secret argument is never written
anywhere, and a changed builder never reads entries made by the old one. Only a class grader's
own folder (Grader(reference_cache=...)) keeps variants; the learner-side cache never does.
"""
from __future__ import annotations

import hashlib
import importlib
import importlib.util
import threading
import weakref
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

_REGISTERED: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()   # variant Exercise -> Recipe
_LOCK = threading.Lock()


@dataclass(frozen=True)
class Recipe:
    entry_id: str        # the manifest entry it is made from
    builder: str         # "module:function", called as function(entry, argument)
    argument: bytes

    @cached_property
    def name(self) -> str:
        module = self.builder.split(":")[0]
        spec = importlib.util.find_spec(module)
        source = Path(spec.origin).read_bytes() if spec is not None and spec.origin else b""
        digest = hashlib.sha256(b"\0".join([b"tutor variant", self.builder.encode(), source, self.argument]))
        return f"{self.entry_id}.variant-{digest.hexdigest()[:24]}"


def _builder(name: str):
    module, _, function = name.partition(":")
    return getattr(importlib.import_module(module), function)


def make(entry, builder: str, argument: bytes):
    """builder(entry, argument); kept in a class grader's folder when `entry` is the manifest's own."""
    from tutor.engine.plan import is_manifest_entry

    variant = _builder(builder)(entry, argument)
    if is_manifest_entry(entry):
        with _LOCK:
            _REGISTERED[variant] = Recipe(entry.id, builder, bytes(argument))
    return variant


def recipe(exercise) -> Recipe | None:
    with _LOCK:
        try:
            return _REGISTERED.get(exercise)
        except TypeError:   # an ad-hoc exercise that cannot be hashed: never a registered variant
            return None


def build(made: Recipe):
    from tutor import manifest

    return make(manifest.by_id(made.entry_id), made.builder, made.argument)


__all__ = ["Recipe", "build", "make", "recipe"]
