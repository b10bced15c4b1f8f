"""Importing nbgrader for the gradebook sync (tutor/nbgrader/sync.py) at half the cost.

    import_nbgrader()     nbgrader.api and nbgrader.preprocessors, imported (idempotent)

Importing nbgrader imports jsonschema (nbgrader -> nbformat -> jsonschema), and jsonschema
imports rfc3987_syntax, when installed (jupyter-events, which nbgrader needs, installs it), for
its "iri" format check; rfc3987_syntax compiles an Earley grammar as it is imported: over a
second of CPU, half of importing nbgrader, in the process that grades. Formats are only checked
by a validator given a format checker, which neither nbformat nor nbgrader passes, so nothing
the sync runs ever uses that grammar. Until jsonschema is imported, rfc3987_syntax is therefore a
stand-in module: the real one is imported the first time anything of it is used (jsonschema's
"iri" check calls its is_valid_syntax), so that whoever does check formats gets the same check.
"""
from __future__ import annotations

import importlib
import importlib.util
import sys
import threading
import types

DEFERRED = "rfc3987_syntax"       # imported by jsonschema._format, used only by its "iri" check
_LOCK = threading.Lock()


class _Deferred(types.ModuleType):
    """A module that imports the real one the first time one of its attributes is used."""

    def __init__(self, name: str, spec):
        super().__init__(name)
        self.__spec__ = spec
        if spec.submodule_search_locations is not None:
            self.__path__ = list(spec.submodule_search_locations)   # its submodules import as usual

    def real(self) -> types.ModuleType:
        with _LOCK:
            if sys.modules.get(self.__name__) is self:
                del sys.modules[self.__name__]
            return importlib.import_module(self.__name__)

    def __getattr__(self, name: str):
        if name.startswith("__"):
            raise AttributeError(name)
        if name == "is_valid_syntax":   # what jsonschema imports by name: loads the grammar when called
            deferred = self

            def is_valid_syntax(*args, **kwargs):
                return deferred.real().is_valid_syntax(*args, **kwargs)

            return is_valid_syntax
        return getattr(self.real(), name)


def defer_iri_grammar() -> None:
    """Make rfc3987_syntax a stand-in (see the module's docstring), unless jsonschema or it is
    imported already, or it is not installed."""
    with _LOCK:
        if "jsonschema" in sys.modules or DEFERRED in sys.modules:
            return
        try:
            spec = importlib.util.find_spec(DEFERRED)
        except (ImportError, ValueError):
            return
        if spec is not None:
            sys.modules[DEFERRED] = _Deferred(DEFERRED, spec)


def import_nbgrader() -> None:
    defer_iri_grammar()
    import nbgrader.api  # noqa: F401
    import nbgrader.preprocessors  # noqa: F401


__all__ = ["defer_iri_grammar", "import_nbgrader", "DEFERRED"]
