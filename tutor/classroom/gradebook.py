"""The class gradebook: one SQLite file (OUT/gradebook.sqlite) that is the record of truth.

grades.csv and the feedback files are views of it, rewritten at the end of every run.

Schema (version 1; docs/GRADING.md explains it for instructors):

    meta(key, value)            app = tutor-gradebook, schema, submissions (absolute path), created_at
    runs(id, started_at, finished_at, status, submissions, grader_version, isolation, jobs, timeout,
         regrade, options, tutor_version, python, students_total, students_graded, students_reused)
         status: running | finished | interrupted (killed; found on the next start) | failed
    submissions(student, content_hash, grader_version, run_id, graded_at, exercises, files)
         one per graded (student, content) pair: written in the same transaction as its results,
         so it marks a complete set
    results(student, exercise, content_hash, grader_version, score, max_score, status, diagnosis,
            message, details, seconds, graded_at, run_id)
         primary key (student, exercise, content_hash, grader_version)
    results_history(... the columns of results ..., superseded_at, superseded_by_run)
         rows that `--regrade` replaced: grades are never lost, only superseded

Concurrency: WAL journal; every write goes through one writer thread (`Gradebook.writer`),
one transaction per student (or per batch of students from a cluster: record_batch), so a
`kill -9` leaves each student either complete or absent.
Readers use their own connection. A lock file beside the database (flock, released by the
kernel when the process dies) keeps two `tutor grade` runs from sharing one output folder.
"""
from __future__ import annotations

import fcntl
import json
import os
import platform
import queue
import sqlite3
import threading
from concurrent.futures import Future
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable, Iterable, Sequence

APP = "tutor-gradebook"
SCHEMA_VERSION = 1
FILENAME = "gradebook.sqlite"
REFERENCE_PACKAGE = "tutor.reference"   # what every class is graded against (Grader's default)

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS runs (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    started_at       TEXT NOT NULL,
    finished_at      TEXT,
    status           TEXT NOT NULL,
    submissions      TEXT NOT NULL,
    grader_version   TEXT NOT NULL,
    isolation        TEXT NOT NULL,
    jobs             INTEGER,
    timeout          REAL,
    regrade          INTEGER NOT NULL DEFAULT 0,
    options          TEXT NOT NULL DEFAULT '{}',
    tutor_version    TEXT,
    python           TEXT,
    students_total   INTEGER,
    students_graded  INTEGER,
    students_reused  INTEGER
);
CREATE TABLE IF NOT EXISTS submissions (
    student        TEXT NOT NULL,
    content_hash   TEXT NOT NULL,
    grader_version TEXT NOT NULL,
    run_id         INTEGER NOT NULL REFERENCES runs(id),
    graded_at      TEXT NOT NULL,
    exercises      INTEGER NOT NULL,
    files          TEXT NOT NULL DEFAULT '{}',
    PRIMARY KEY (student, content_hash, grader_version)
);
CREATE TABLE IF NOT EXISTS results (
    student        TEXT NOT NULL,
    exercise       TEXT NOT NULL,
    content_hash   TEXT NOT NULL,
    grader_version TEXT NOT NULL,
    score          REAL NOT NULL,
    max_score      REAL NOT NULL,
    status         TEXT NOT NULL,
    diagnosis      TEXT NOT NULL,
    message        TEXT NOT NULL,
    details        TEXT NOT NULL DEFAULT '[]',
    seconds        REAL NOT NULL DEFAULT 0,
    graded_at      TEXT NOT NULL,
    run_id         INTEGER NOT NULL REFERENCES runs(id),
    PRIMARY KEY (student, exercise, content_hash, grader_version)
);
CREATE TABLE IF NOT EXISTS results_history (
    student        TEXT NOT NULL,
    exercise       TEXT NOT NULL,
    content_hash   TEXT NOT NULL,
    grader_version TEXT NOT NULL,
    score          REAL NOT NULL,
    max_score      REAL NOT NULL,
    status         TEXT NOT NULL,
    diagnosis      TEXT NOT NULL,
    message        TEXT NOT NULL,
    details        TEXT NOT NULL,
    seconds        REAL NOT NULL,
    graded_at      TEXT NOT NULL,
    run_id         INTEGER NOT NULL,
    superseded_at  TEXT NOT NULL,
    superseded_by_run INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS results_by_run ON results(run_id);
"""
TABLES = {"meta", "runs", "submissions", "results", "results_history"}
RESULT_COLUMNS = ("student", "exercise", "content_hash", "grader_version", "score", "max_score", "status",
                  "diagnosis", "message", "details", "seconds", "graded_at", "run_id")


class GradebookError(Exception):
    """The gradebook cannot be used as it is; str() says why and what to do."""


class GradebookBusy(GradebookError):
    """Another `tutor grade` holds this output folder."""


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def grader_version() -> str:
    """tutor's version plus a digest of everything that decides a grade (computed_grader_version).
    Any change to it makes earlier grades stale.

    $TUTOR_GRADER_VERSION, when set, is used instead: the tests pin it (other people edit the
    engine in the same checkout while they run), and an instructor may pin it to keep grades
    across a tutor upgrade that must not regrade anyone (the runs table records the real one)."""
    pinned = os.environ.get("TUTOR_GRADER_VERSION", "").strip()
    if pinned:
        return pinned
    return computed_grader_version()


def computed_grader_version() -> str:
    """'<tutor version>+<12 hex digits>': the digits are the engine's grading_fingerprint (the
    manifest, the reference, the library versions, every engine file and the known mistakes)."""
    import tutor
    from tutor.engine.fingerprint import grading_fingerprint

    return f"{tutor.__version__}+{grading_fingerprint(REFERENCE_PACKAGE)[:12]}"


@dataclass
class Inspection:
    state: str                  # "absent" | "empty" | "ours"
    meta: dict[str, str]


def inspect(path: Path) -> Inspection:
    """What is at `path`: nothing, an empty SQLite file, or our gradebook. Raises GradebookError
    (with what to do) for anything else: not SQLite, corrupt, another program's, a newer schema."""
    path = Path(path)
    if not path.exists():
        return Inspection("absent", {})
    if not path.is_file():
        raise GradebookError(f"{path} is not a file; move it away or choose another --out folder.")
    if path.stat().st_size == 0 and not Path(f"{path}-wal").exists():
        return Inspection("empty", {})
    _check_sqlite_header(path)
    tables, meta = _tables_and_meta(path)
    if not tables:
        return Inspection("empty", {})
    _check_ours(path, tables, meta)
    return Inspection("ours", meta)


def _check_sqlite_header(path: Path) -> None:
    try:
        with open(path, "rb") as f:
            header = f.read(16)
    except OSError as exc:
        raise GradebookError(f"{path}: cannot read it ({exc.strerror}).") from None
    if header != b"SQLite format 3\x00":
        raise GradebookError(f"{path} is not a tutor gradebook (not even an SQLite database); it may be "
                             f"damaged or belong to something else.")


def _tables_and_meta(path: Path) -> tuple[set[str], dict[str, str]]:
    """The database's tables and its meta table, read-only, after SQLite's own quick check;
    (no tables, {}) for a database without tables."""
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=5)
        try:
            check = con.execute("PRAGMA quick_check").fetchone()
            if not check or check[0] != "ok":
                raise sqlite3.DatabaseError(check[0] if check else "quick_check returned nothing")
            tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
            if not tables:
                return tables, {}
            if "meta" not in tables:
                raise GradebookError(f"{path} is an SQLite database but not a tutor gradebook "
                                     f"(it has tables {', '.join(sorted(tables))}).")
            return tables, dict(con.execute("SELECT key, value FROM meta"))
        finally:
            con.close()
    except GradebookError:
        raise
    except sqlite3.DatabaseError as exc:
        raise GradebookError(f"{path} is damaged and cannot be read safely (SQLite: {exc}).") from None


def _check_ours(path: Path, tables: set[str], meta: dict[str, str]) -> None:
    """Raises unless the meta table says: tutor's gradebook, of the schema this tutor reads."""
    if meta.get("app") != APP:
        raise GradebookError(f"{path} is an SQLite database but not a tutor gradebook.")
    try:
        schema = int(meta.get("schema", "0"))
    except ValueError:
        schema = -1
    if schema > SCHEMA_VERSION:
        raise GradebookError(f"{path} was written by a newer tutor (gradebook schema {schema}; this tutor "
                             f"reads {SCHEMA_VERSION}): upgrade tutor to grade into it.")
    if schema != SCHEMA_VERSION or not TABLES <= tables:
        raise GradebookError(f"{path} is a tutor gradebook of an unknown layout (schema {meta.get('schema')}, "
                             f"tables {', '.join(sorted(tables))}).")


def last_run_options(path: Path) -> dict:
    """The options of the last `tutor grade` run recorded in the gradebook at `path` (read only);
    {} when there is none or it cannot be read (its reader falls back to its own defaults)."""
    if not Path(path).is_file():
        return {}
    try:
        con = sqlite3.connect(f"file:{Path(path).resolve()}?mode=ro", uri=True)
        try:
            row = con.execute("SELECT options FROM runs ORDER BY id DESC LIMIT 1").fetchone()
        finally:
            con.close()
        return json.loads(row[0]) if row and row[0] else {}
    except (sqlite3.Error, ValueError, TypeError):
        return {}


def set_aside(path: Path) -> Path:
    """Rename a gradebook (and its -wal/-shm) to <name>.set-aside-<time>; returns the new path."""
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    target = path.with_name(f"{path.name}.set-aside-{stamp}")
    n = 1
    while target.exists():
        n += 1
        target = path.with_name(f"{path.name}.set-aside-{stamp}-{n}")
    os.replace(path, target)
    for suffix in ("-wal", "-shm"):
        side = Path(f"{path}{suffix}")
        if side.exists():
            os.replace(side, Path(f"{target}{suffix}"))
    return target


class Writer(threading.Thread):
    """The one thread that writes to the gradebook. `submit(fn)` runs fn(connection) inside a
    transaction there and returns a Future of its result."""

    def __init__(self, path: Path):
        super().__init__(name="gradebook-writer", daemon=True)
        self.path = path
        self._queue: queue.Queue = queue.Queue()
        self._ready: Future = Future()
        self.start()
        self._ready.result()   # raises if the connection could not be opened

    def run(self) -> None:
        try:
            con = sqlite3.connect(self.path, timeout=30, isolation_level=None)
            con.execute("PRAGMA journal_mode=WAL")
            con.execute("PRAGMA synchronous=NORMAL")   # durable against a killed process
            con.execute("PRAGMA foreign_keys=ON")
        except BaseException as exc:   # noqa: BLE001 - handed to the caller
            self._ready.set_exception(exc)
            return
        self._ready.set_result(None)
        try:
            while True:
                item = self._queue.get()
                if item is None:
                    break
                fn, future = item
                if not future.set_running_or_notify_cancel():
                    continue
                try:
                    con.execute("BEGIN IMMEDIATE")
                    try:
                        value = fn(con)
                    except BaseException:
                        con.execute("ROLLBACK")
                        raise
                    con.execute("COMMIT")
                except BaseException as exc:   # noqa: BLE001
                    future.set_exception(exc)
                else:
                    future.set_result(value)
        finally:
            con.close()

    def submit(self, fn: Callable[[sqlite3.Connection], Any]) -> Future:
        if not self.is_alive():
            raise GradebookError("the gradebook writer has stopped")
        future: Future = Future()
        self._queue.put((fn, future))
        return future

    def close(self) -> None:
        if self.is_alive():
            self._queue.put(None)
            self.join()


class Gradebook:
    """An open gradebook: `writer` for writes (one thread), reads on the calling thread."""

    def __init__(self, path: Path, submissions: Path, *, force: bool = False):
        """Open (or create) the gradebook for the class folder `submissions`. Refuses, with a
        GradebookError, a gradebook of another class folder, another program's file or a damaged
        one; with `force`, adopts the first (nothing in it is deleted) and renames the others
        aside (`set_aside_to`) before starting a fresh one."""
        self.path = Path(path)
        self.set_aside_to: Path | None = None
        self.adopted_from: str | None = None
        self._lock_file = _lock(self.path)
        try:
            try:
                found = inspect(self.path)
            except GradebookError:
                if not force or not self.path.is_file():
                    raise
                self.set_aside_to = set_aside(self.path)
                found = inspect(self.path)
            self.meta = found.meta
            self.writer = Writer(self.path)
            submissions = str(Path(submissions).resolve())
            if found.state != "ours":
                self.writer.submit(lambda con: _create(con, submissions)).result()
            elif found.meta.get("submissions") != submissions:
                if not force:
                    raise GradebookError(
                        f"{self.path} holds the grades of another class folder ({found.meta.get('submissions')}), "
                        f"not {submissions}.")
                def adopt_(con, old=found.meta.get("submissions")):
                    con.execute("UPDATE meta SET value=? WHERE key='submissions'", (submissions,))
                    con.execute("INSERT OR REPLACE INTO meta VALUES ('adopted_from', ?)", (old,))
                self.writer.submit(adopt_).result()
                self.adopted_from = found.meta.get("submissions")
            # runs that were still 'running' died (we hold the lock, so nobody else runs)
            self.interrupted_runs = self.writer.submit(
                lambda con: con.execute("UPDATE runs SET status='interrupted' WHERE status='running'").rowcount
            ).result()
            self._read = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, timeout=30)
            self.meta = dict(self._read.execute("SELECT key, value FROM meta"))
        except BaseException:
            self.close()
            raise

    # ---- runs ---------------------------------------------------------------------------
    def start_run(self, *, grader_version: str, isolation: str, jobs: int, timeout: float, regrade: bool,
                  options: dict, students_total: int) -> int:
        import tutor

        def fn(con):
            cur = con.execute(
                "INSERT INTO runs (started_at, status, submissions, grader_version, isolation, jobs, timeout,"
                " regrade, options, tutor_version, python, students_total, students_graded, students_reused)"
                " VALUES (?, 'running', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, 0)",
                (now(), self.meta.get("submissions", ""), grader_version, isolation, jobs, timeout, int(regrade),
                 json.dumps(options, sort_keys=True, default=str), tutor.__version__, platform.python_version(),
                 students_total))
            return cur.lastrowid
        return self.writer.submit(fn).result()

    def finish_run(self, run_id: int, status: str, *, graded: int, reused: int) -> None:
        self.writer.submit(lambda con: con.execute(
            "UPDATE runs SET finished_at=?, status=?, students_graded=?, students_reused=? WHERE id=?",
            (now(), status, graded, reused, run_id))).result()

    # ---- writing one student ------------------------------------------------------------
    def record(self, run_id: int, student: str, content_hash: str, version: str, results: Sequence,
               files: dict | None = None) -> Future:
        """Store one student's complete set of results in one transaction (asynchronously).
        Rows already there for the same key move to results_history first."""
        stamp = now()
        return self.writer.submit(
            lambda con: _store(con, run_id, stamp, student, content_hash, version, results, files))

    def record_batch(self, run_id: int, version: str, students: Sequence[tuple]) -> Future:
        """Store several students, each (student, content_hash, results, files), in one transaction
        (asynchronously); its result is the students actually written. A student this run has
        recorded already is skipped: a batch that ran twice (a cluster re-runs work after a worker
        dies) is recorded once, with no duplicate history."""
        stamp = now()

        def fn(con):
            written = []
            for student, content_hash, results, files in students:
                if con.execute("SELECT 1 FROM submissions WHERE student=? AND content_hash=? AND grader_version=?"
                               " AND run_id=?", (student, content_hash, version, run_id)).fetchone():
                    continue
                _store(con, run_id, stamp, student, content_hash, version, results, files)
                written.append(student)
            return written
        return self.writer.submit(fn)

    # ---- reading ------------------------------------------------------------------------
    def complete(self, version: str, exercises: Iterable[str]) -> set[tuple[str, str]]:
        """(student, content_hash) pairs that have a complete set of rows for `version`."""
        wanted = set(exercises)
        have: dict[tuple[str, str], set[str]] = {}
        marked = {(s, h) for s, h in self._read.execute(
            "SELECT student, content_hash FROM submissions WHERE grader_version=?", (version,))}
        for student, content_hash, exercise in self._read.execute(
                "SELECT student, content_hash, exercise FROM results WHERE grader_version=?", (version,)):
            have.setdefault((student, content_hash), set()).add(exercise)
        return {key for key in marked if wanted <= have.get(key, set())}

    def results(self, student: str, content_hash: str, version: str) -> list[dict]:
        cur = self._read.execute(
            "SELECT r.*, runs.isolation AS isolation FROM results r JOIN runs ON runs.id = r.run_id"
            " WHERE r.student=? AND r.content_hash=? AND r.grader_version=? ORDER BY r.rowid", (student, content_hash, version))
        names = [d[0] for d in cur.description]
        rows = []
        for values in cur.fetchall():
            row = dict(zip(names, values))
            try:
                row["details"] = json.loads(row["details"])
            except (TypeError, ValueError):
                row["details"] = [str(row["details"])]
            rows.append(row)
        return rows

    def graded_in_run(self, run_id: int) -> int:
        """How many students run `run_id` has recorded (committed) so far."""
        return self._read.execute("SELECT COUNT(*) FROM submissions WHERE run_id=?", (run_id,)).fetchone()[0]

    def graded_students(self) -> set[str]:
        return {r[0] for r in self._read.execute("SELECT DISTINCT student FROM submissions")}

    def query(self, sql: str, params: Sequence = ()) -> list[tuple]:
        return self._read.execute(sql, params).fetchall()

    def close(self) -> None:
        read = getattr(self, "_read", None)
        if read is not None:
            read.close()
            self._read = None
        writer = getattr(self, "writer", None)
        if writer is not None:
            writer.close()
            self.writer = None
        lock = getattr(self, "_lock_file", None)
        if lock is not None:
            lock.close()
            self._lock_file = None

    def __enter__(self) -> "Gradebook":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _store(con: sqlite3.Connection, run_id: int, stamp: str, student: str, content_hash: str, version: str,
           results: Sequence, files: dict | None) -> None:
    """One student's complete set of results (inside the caller's transaction); rows already there
    for the same key move to results_history first."""
    rows = [(student, _text(r.exercise), content_hash, version, float(r.score), float(r.max_score), _text(r.status),
             _text(r.diagnosis), _text(r.message), json.dumps([_text(d) for d in r.details or []]),
             float(r.seconds or 0.0), stamp, run_id)
            for r in results]
    key = (student, content_hash, version)
    con.execute(
        f"INSERT INTO results_history SELECT {', '.join(RESULT_COLUMNS)}, ?, ? FROM results"
        " WHERE student=? AND content_hash=? AND grader_version=?", (stamp, run_id, *key))
    con.execute("DELETE FROM results WHERE student=? AND content_hash=? AND grader_version=?", key)
    con.execute("DELETE FROM submissions WHERE student=? AND content_hash=? AND grader_version=?", key)
    con.executemany(f"INSERT INTO results ({', '.join(RESULT_COLUMNS)}) VALUES "
                    f"({', '.join('?' * len(RESULT_COLUMNS))})", rows)
    con.execute("INSERT INTO submissions VALUES (?, ?, ?, ?, ?, ?, ?)",
                (*key, run_id, stamp, len(rows), json.dumps(files or {}, sort_keys=True)))
    con.execute("UPDATE runs SET students_graded = students_graded + 1 WHERE id=?", (run_id,))


def _text(value) -> str:
    """Text from the learner's side (exception messages, printed output) as valid UTF-8: a lone
    surrogate would make SQLite refuse the whole student."""
    return str(value).encode("utf-8", "backslashreplace").decode("utf-8")


def _create(con: sqlite3.Connection, submissions: str) -> None:
    for statement in SCHEMA.split(";"):
        if statement.strip():
            con.execute(statement)
    con.executemany("INSERT OR REPLACE INTO meta VALUES (?, ?)", [
        ("app", APP), ("schema", str(SCHEMA_VERSION)), ("submissions", submissions), ("created_at", now()),
        ("created_by", _tutor_version())])


def _tutor_version() -> str:
    import tutor

    return tutor.__version__


def _lock(path: Path):
    lock_path = path.with_name(f".{path.name}.lock")
    try:
        handle = open(lock_path, "a+")
    except OSError as exc:
        raise GradebookError(f"cannot write in {path.parent} ({exc.strerror}); choose an --out folder "
                             f"you can write to.") from None
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        handle.seek(0)
        owner = handle.read().strip()
        handle.close()
        raise GradebookBusy(f"another `tutor grade` ({owner or 'a running process'}) is writing to "
                            f"{path.parent}; wait for it to finish or stop it first.") from None
    handle.seek(0)
    handle.truncate()
    handle.write(f"pid {os.getpid()}")
    handle.flush()
    return handle
