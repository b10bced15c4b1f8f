"""One nbgrader Gradebook for a whole gradebook sync (tutor/classroom/nbgrader_sync.py).

nbgrader's preprocessors (SaveAutoGrades, OverwriteCells, OverwriteKernelspec,
AssignLatePenalties) each open `Gradebook(db_url)` themselves, and SaveAutoGrades commits
after every graded cell. For `nbgrader autograde` that is lost in the time a kernel takes;
for the sync it was most of `tutor grade --nbgrader-db`: a new SQLAlchemy engine per
preprocessor and notebook (so every query compiled afresh, the tables inspected and created
again) and an SQLite commit (a disk sync) per grade and comment; and CheckCellMetadata's
`jsonschema.validate` checks nbgrader's schema against jsonschema's metaschema again for every
cell. So:

    with shared_gradebook(db_url) as book:
        with book.submission():      # one SQLite transaction: all of it or nothing
            ... nbgrader's preprocessors, unchanged, on book.gradebook ...

- `shared_gradebook` opens one Gradebook and, while the sync runs, the `Gradebook` those
  preprocessor modules call gives them that one (their `with` does not close it): their own
  code runs unchanged, on the same rows, with the same writes;
- nbgrader's metadata validator (nbgrader.nbgraderformat.common) gets a `jsonschema` whose
  `validate` checks each schema once and validates every cell as jsonschema.validate does
  (the same validator class, the same best_match error);
- `submission()` makes one submission's writes one transaction: nbgrader's commits inside it
  only flush (the session joins the connection's transaction as "rollback_only"), the
  transaction is committed at the end, and a submission that fails leaves nothing of itself
  half-written in the gradebook (its error is reported, the others are still written).
"""
from __future__ import annotations

import contextlib
import importlib
import threading

# The nbgrader modules whose preprocessors the sync runs and that open Gradebook(db_url).
PREPROCESSOR_MODULES = ("saveautogrades", "overwritecells", "overwritekernelspec", "latesubmissions")
VALIDATOR_MODULE = "nbgrader.nbgraderformat.common"   # calls jsonschema.validate per cell
_LOCK = threading.Lock()   # the patch is process-wide: one sync at a time


class _Borrowed:
    """What a preprocessor gets for `Gradebook(db_url)`: the shared gradebook, which its
    `with` block does not close."""

    def __init__(self, gradebook):
        self._gradebook = gradebook

    def __enter__(self):
        return self._gradebook

    def __exit__(self, *exc):
        return False

    def __getattr__(self, name):
        return getattr(self._gradebook, name)


class _SchemaChecked:
    """`jsonschema` for nbgrader's metadata validator: validate() as jsonschema's, the schema
    itself checked only the first time it is seen (it is nbgrader's own, fixed file)."""

    def __init__(self):
        import jsonschema

        self._jsonschema = jsonschema
        self._validators: dict[str, object] = {}

    def validate(self, instance, schema, cls=None, *args, **kwargs):
        import json

        if cls is not None or args or kwargs:
            return self._jsonschema.validate(instance, schema, cls, *args, **kwargs)
        key = json.dumps(schema, sort_keys=True)
        validator = self._validators.get(key)
        if validator is None:
            cls = self._jsonschema.validators.validator_for(schema)
            cls.check_schema(schema)
            validator = self._validators[key] = cls(schema)
        error = self._jsonschema.exceptions.best_match(validator.iter_errors(instance))
        if error is not None:
            raise error

    def __getattr__(self, name):
        return getattr(self._jsonschema, name)


class SharedGradebook:
    def __init__(self, gradebook, db_url: str):
        from sqlalchemy.orm import scoped_session, sessionmaker

        self.gradebook = gradebook
        self.db_url = db_url
        self._connection = gradebook.engine.connect()
        gradebook.db.remove()
        gradebook.db = scoped_session(sessionmaker(bind=self._connection, autoflush=True,
                                                   join_transaction_mode="rollback_only"))

    def borrow(self, db_url, *args, **kwargs) -> _Borrowed:
        if str(db_url) != self.db_url:   # never another database under the shared one's name
            raise RuntimeError(f"the gradebook sync opened {db_url} while writing {self.db_url}")
        return _Borrowed(self.gradebook)

    @contextlib.contextmanager
    def submission(self):
        """One submission's writes as one transaction (see the module's docstring)."""
        session = self.gradebook.db
        transaction = self._connection.begin()
        try:
            yield self.gradebook
            session.commit()          # flushes into the transaction (rollback_only: no COMMIT)
            transaction.commit()
        except BaseException:
            session.rollback()
            if transaction.is_active:
                transaction.rollback()
            raise
        finally:
            session.close()

    def close(self) -> None:
        self.gradebook.db.remove()
        self._connection.close()
        self.gradebook.close()


@contextlib.contextmanager
def shared_gradebook(db_url: str):
    from nbgrader.api import Gradebook

    modules = [importlib.import_module(f"nbgrader.preprocessors.{name}") for name in PREPROCESSOR_MODULES]
    validator = importlib.import_module(VALIDATOR_MODULE)
    with _LOCK:
        book = SharedGradebook(Gradebook(db_url), db_url)
        saved = [module.Gradebook for module in modules]
        saved_jsonschema = validator.jsonschema
        try:
            for module in modules:
                module.Gradebook = book.borrow
            validator.jsonschema = _SchemaChecked()
            yield book
        finally:
            for module, original in zip(modules, saved):
                module.Gradebook = original
            validator.jsonschema = saved_jsonschema
            book.close()


__all__ = ["shared_gradebook", "SharedGradebook", "PREPROCESSOR_MODULES"]
