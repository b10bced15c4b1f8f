"""Importing nbgrader for the gradebook sync (tutor/nbgrader/imports.py): the IRI grammar that
jsonschema's "iri" format check would compile on import is not compiled, and the check still gives the
verdicts of the real module to whoever uses it. Each case runs in a fresh interpreter, where nothing is
imported yet."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("nbgrader")
pytest.importorskip("rfc3987_syntax")

ROOT = Path(__file__).resolve().parents[1]
IRIS = ["http://example.com/é", "http://ex ample.com/a b", "urn:isbn:0451450523", "no scheme here", "http://[::1"]

CHECK = """
import json, sys
{prepare}
grammar_compiled_on_import = "rfc3987_syntax.syntax_helpers" in sys.modules
import jsonschema
checker = jsonschema.Draft7Validator({{"format": "iri"}}, format_checker=jsonschema.FormatChecker())
verdicts = [not list(checker.iter_errors(iri)) for iri in {iris!r}]
print(json.dumps({{"compiled": grammar_compiled_on_import, "verdicts": verdicts}}))
"""


def _run(prepare: str) -> dict:
    done = subprocess.run([sys.executable, "-c", CHECK.format(prepare=prepare, iris=IRIS)], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_nbgrader_is_imported_without_compiling_the_iri_grammar_and_the_iri_check_is_unchanged():
    deferred = _run("from tutor.nbgrader.imports import import_nbgrader; import_nbgrader()")
    real = _run("import rfc3987_syntax")
    assert deferred["compiled"] is False and real["compiled"] is True
    assert deferred["verdicts"] == real["verdicts"]
    assert real["verdicts"].count(True) not in (0, len(IRIS))   # the IRIs tell valid from invalid


def test_nothing_is_deferred_once_jsonschema_is_imported():
    after = _run("import jsonschema\nfrom tutor.nbgrader.imports import import_nbgrader; import_nbgrader()")
    assert after["compiled"] is True
