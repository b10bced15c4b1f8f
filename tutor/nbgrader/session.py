"""One nbgrader Gradebook for a whole gradebook sync (tutor/nbgrader/sync.py).

nbgrader's preprocessors (SaveAutoGrades, OverwriteCells, OverwriteKernelspec,
AssignLatePenalties) each open `Gradebook(db_url)` themselves, and SaveAutoGrades commits
after every graded cell. For `nbgrader autograde` that is lost in the time a kernel takes;
for the sync it was most of `tutor grade --nbgrader-db`: a new SQLAlchemy engine per
preprocessor and notebook (so every query compiled afresh, the tables inspected and created
again) and an SQLite commit (a disk sync) per grade and comment; and CheckCellMetadata's
`jsonschema.validate` checks nbgrader's schema against jsonschema's metaschema again for every
cell. So:

    with shared_gradebook(db_url) as book:
        with book.transaction():     # one SQLite transaction: all of it or nothing
            ... nbgrader's preprocessors, unchanged, on book.gradebook ...

- `shared_gradebook` opens one Gradebook and, while the sync runs, the `Gradebook` those
  preprocessor modules call gives them that one (their `with` does not close it): their own
  code runs unchanged, on the same rows, with the same writes;
- nbgrader's metadata validator (nbgrader.nbgraderformat.common) gets a `jsonschema` whose
  `validate` checks each schema once and validates every cell as jsonschema.validate does
  (the same validator class, the same best_match error);
- `transaction()` makes the writes inside it one transaction: nbgrader's commits inside it
  only flush (into the connection's transaction, which commits once, at the end), and one
  that fails leaves nothing of itself half-written in the gradebook;
- what a new Gradebook per preprocessor gave nbgrader's code, a session that has read nothing
  yet, each preprocessor still gets: the rows of the submissions (grades, comments, their
  notebooks and assignments, whose scores the database computes) are read again when a
  preprocessor opens the gradebook, not after every one of nbgrader's per-cell commits;
- the instructor's cells (source cells, grade, solution and task cells), which the sync never
  writes, are looked up once per sync (find_source_cell, find_graded_cell), not once per
  student and cell; a submitted notebook's grades and comments in one query each, not one
  per cell (find_grade, find_comment; see _Lookups).
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


def _sync_session_class():
    from sqlalchemy.orm import Session

    class SyncSession(Session):
        """nbgrader's `db.commit()` inside SharedGradebook.transaction(): a flush into that transaction,
        without expiring every object it has loaded (SharedGradebook.fresh does that where a new
        Gradebook would). New and deleted rows are flushed at once (nbgrader catches the integrity
        errors of its inserts there); changed rows with the next query (autoflush), at the next
        fresh() or at the end of the transaction, several as one statement."""

        def commit(self) -> None:
            if not self.info.get("in_transaction"):
                super().commit()
            elif self.new or self.deleted:
                self.flush()

    return SyncSession


def _instructor_cell_classes() -> tuple:
    from nbgrader.api import BaseCell, SourceCell

    return (BaseCell, SourceCell)   # no score the database computes; never written by the sync


class SharedGradebook:
    def __init__(self, gradebook, db_url: str):
        from sqlalchemy.orm import scoped_session, sessionmaker

        self.gradebook = gradebook
        self.db_url = db_url
        self._connection = gradebook.engine.connect()
        gradebook.db.remove()
        gradebook.db = scoped_session(sessionmaker(bind=self._connection, autoflush=True, expire_on_commit=False,
                                                   class_=_sync_session_class(),
                                                   join_transaction_mode="rollback_only"))
        self._lookups = _Lookups(gradebook)

    def borrow(self, db_url, *args, **kwargs) -> _Borrowed:
        if str(db_url) != self.db_url:   # never another database under the shared one's name
            raise RuntimeError(f"the gradebook sync opened {db_url} while writing {self.db_url}")
        self.fresh()
        return _Borrowed(self.gradebook)

    def fresh(self) -> None:
        """What a new Gradebook's session would read: every row but the instructor's cells is
        read again from the database (written first) when next used."""
        self._each_row_but_the_cells(self.gradebook.db.expire)

    def release(self) -> None:
        """Every row but the instructor's cells leaves the session (written first): a submission
        the sync is done with is no longer held, so that the session stays the size of one
        submission (and fresh() as quick) however large the class."""
        self._each_row_but_the_cells(self.gradebook.db.expunge)

    def _each_row_but_the_cells(self, act) -> None:
        """act(row) for every row the session holds but the instructor's cells, after writing them."""
        session = self.gradebook.db
        session.flush()
        keep = _instructor_cell_classes()
        for obj in list(session.identity_map.values()):
            if not isinstance(obj, keep):
                act(obj)
        self._lookups.forget_submitted()

    @contextlib.contextmanager
    def transaction(self):
        """The writes inside as one transaction: all of them, or none when an exception leaves it
        (see the module's docstring)."""
        session = self.gradebook.db
        transaction = self._connection.begin()
        session.info["in_transaction"] = True
        try:
            yield self.gradebook
            session.info["in_transaction"] = False
            session.commit()          # flushes into the transaction (rollback_only: no COMMIT)
            transaction.commit()
            self.release()
        except BaseException:
            session.info["in_transaction"] = False
            session.rollback()        # expires every object: the cells are looked up again
            self._lookups.forget()
            if transaction.is_active:
                transaction.rollback()
            raise

    def close(self) -> None:
        self._lookups.restore()
        self.gradebook.db.remove()
        self._connection.close()
        self.gradebook.close()


class _Lookups:
    """The shared gradebook's lookups that nbgrader's code makes once per cell, answered with
    fewer queries, with the same objects (the session's own) and the same MissingEntry:

    - find_source_cell, find_graded_cell: each answer kept for the whole sync (the instructor's
      cells are the same for every student, and the sync never writes them);
    - find_grade, find_comment: the first lookup in a submitted notebook reads all of its grades
      (comments) in one query, kept until the rows are read again (SharedGradebook.fresh); a name
      found twice is answered as nbgrader answers it (a grade or solution cell before a task cell),
      and a name not found by nbgrader's own query (its MissingEntry).
    """

    KEPT = ("find_source_cell", "find_graded_cell")
    SUBMITTED = {"find_grade": ("Grade", ("GradeCell", "TaskCell")),
                 "find_comment": ("Comment", ("SolutionCell", "TaskCell"))}

    def __init__(self, gradebook):
        self._gradebook = gradebook
        self._cells: dict[tuple, object] = {}
        self._submitted: dict[tuple, dict[str, object]] = {}
        for name in self.KEPT:
            setattr(gradebook, name, self._kept(name, getattr(gradebook, name)))
        for name, (table, kinds) in self.SUBMITTED.items():
            setattr(gradebook, name, self._by_notebook(name, table, kinds, getattr(gradebook, name)))

    def _kept(self, method: str, find):
        def kept(name, notebook, assignment):
            key = (method, name, notebook, assignment)
            cell = self._cells.get(key)
            if cell is None:
                cell = self._cells[key] = find(name, notebook, assignment)   # MissingEntry: raised, not kept
            return cell
        return kept

    def _by_notebook(self, method: str, table: str, kinds: tuple, find):
        def by_notebook(cell_name, notebook, assignment, student):
            key = (method, notebook, assignment, student)
            rows = self._submitted.get(key)
            if rows is None:
                rows = self._submitted[key] = self._read(table, kinds, notebook, assignment, student)
            row = rows.get(cell_name)
            return row if row is not None else find(cell_name, notebook, assignment, student)
        return by_notebook

    def _read(self, table: str, kinds: tuple, notebook: str, assignment: str, student: str) -> dict:
        import nbgrader.api as api

        row_class = getattr(api, table)
        query = (self._gradebook.db.query(row_class, api.BaseCell.name, api.BaseCell.type)
                 .join(api.BaseCell, api.BaseCell.id == row_class.cell_id)
                 .join(api.SubmittedNotebook, api.SubmittedNotebook.id == row_class.notebook_id)
                 .join(api.Notebook, api.Notebook.id == api.SubmittedNotebook.notebook_id)
                 .join(api.SubmittedAssignment, api.SubmittedAssignment.id == api.SubmittedNotebook.assignment_id)
                 .join(api.Assignment, api.Assignment.id == api.SubmittedAssignment.assignment_id)
                 .join(api.Student, api.Student.id == api.SubmittedAssignment.student_id)
                 .filter(api.Notebook.name == notebook, api.Assignment.name == assignment, api.Student.id == student))
        found: dict[str, tuple[int, object]] = {}
        for row, name, kind in query.all():
            if kind in kinds and (name not in found or kinds.index(kind) < found[name][0]):
                found[name] = (kinds.index(kind), row)
        return {name: row for name, (_, row) in found.items()}

    def forget_submitted(self) -> None:
        self._submitted.clear()

    def forget(self) -> None:
        self._cells.clear()
        self._submitted.clear()

    def restore(self) -> None:
        for name in (*self.KEPT, *self.SUBMITTED):
            self._gradebook.__dict__.pop(name, None)
        self.forget()


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
