"""The SQLite gradebook: schema, WAL, one transaction per student, resume and regrade semantics,
and clear errors for a gradebook that is not ours. No grading engine involved: results are made here."""
from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest

from tutor.classroom import gradebook as gb
from tutor.classroom.gradebook import Gradebook, GradebookBusy, GradebookError
from tutor.classroom.runner import plan
from tutor.classroom.submissions import Student
from tutor.engine.results import ExerciseResult

EXERCISES = ["layers.affine_forward", "layers.affine_backward", "cnn.conv_forward"]
MODULES = ["layers", "cnn"]
VERSION = "0.1.0+test"


def results(score: float = 1.0) -> list[ExerciseResult]:
    return [ExerciseResult(exercise=e, score=score, max_score=1.0, passed=score == 1.0, message=f"msg {e}",
                           status="passed" if score == 1.0 else "failed",
                           diagnosis="ok" if score == 1.0 else "transposed", details=["case 1: ✗"], seconds=0.01)
            for e in EXERCISES]


def student(name: str, text: str = "x = 1\n") -> Student:
    return Student(name=name, folder=Path(name), sources={"layers": text, "cnn": text})


@pytest.fixture
def book(tmp_path: Path):
    with Gradebook(tmp_path / "gradebook.sqlite", tmp_path / "class") as opened:
        yield opened


def new_run(book: Gradebook, **kw) -> int:
    options = dict(grader_version=VERSION, isolation="test isolation", jobs=2, timeout=2.0, regrade=False,
                   options={"jobs": 2}, students_total=3)
    options.update(kw)
    return book.start_run(**options)


def test_schema_and_wal(book: Gradebook):
    tables = {r[0] for r in book.query("SELECT name FROM sqlite_master WHERE type='table'")}
    assert gb.TABLES <= tables
    assert book.query("PRAGMA journal_mode")[0][0] == "wal"
    assert book.meta["app"] == "tutor-gradebook" and book.meta["schema"] == "1"
    assert book.meta["submissions"] == str((book.path.parent / "class").resolve())
    columns = [r[1] for r in book.query("PRAGMA table_info(results)")]
    assert columns == list(gb.RESULT_COLUMNS)
    pk = [r[1] for r in sorted(book.query("PRAGMA table_info(results)"), key=lambda r: r[5]) if r[5]]
    assert pk == ["student", "exercise", "content_hash", "grader_version"]
    run_cols = {r[1] for r in book.query("PRAGMA table_info(runs)")}
    assert {"isolation", "options", "jobs", "timeout", "regrade", "grader_version", "status"} <= run_cols


def test_record_writes_one_complete_set_in_one_transaction(book: Gradebook):
    run = new_run(book)
    book.record(run, "alice", "h1", VERSION, results()).result()
    rows = book.results("alice", "h1", VERSION)
    assert [r["exercise"] for r in rows] == EXERCISES
    assert rows[0]["isolation"] == "test isolation" and rows[0]["details"] == ["case 1: ✗"]
    assert rows[0]["graded_at"] and rows[0]["status"] == "passed" and rows[0]["message"]
    assert book.complete(VERSION, EXERCISES) == {("alice", "h1")}
    assert book.complete("other-version", EXERCISES) == set()
    book.finish_run(run, "finished", graded=1, reused=0)
    assert book.query("SELECT status, students_graded FROM runs WHERE id=?", (run,)) == [("finished", 1)]


def test_a_failing_write_leaves_nothing_behind(book: Gradebook):
    run = new_run(book)
    broken = results() + results()[:1]    # the last row repeats the first: its insert fails
    with pytest.raises(sqlite3.IntegrityError):
        book.record(run, "alice", "h1", VERSION, broken).result()
    assert book.query("SELECT COUNT(*) FROM results") == [(0,)]
    assert book.query("SELECT COUNT(*) FROM submissions") == [(0,)]


def test_idempotent_and_regrade_keeps_history(book: Gradebook):
    run1 = new_run(book)
    book.record(run1, "alice", "h1", VERSION, results(0.0)).result()
    run2 = new_run(book, regrade=True)
    book.record(run2, "alice", "h1", VERSION, results(1.0)).result()     # same key: replaces
    assert book.query("SELECT COUNT(*), SUM(score) FROM results") == [(3, 3.0)]
    assert book.query("SELECT COUNT(*), SUM(score), MIN(superseded_by_run) FROM results_history") == [(3, 0.0, run2)]
    assert book.query("SELECT COUNT(*) FROM submissions") == [(1,)]


def test_plan_resumes_and_regrades_changed_submissions(book: Gradebook):
    modules = MODULES
    students = {n: student(n) for n in ("alice", "bob", "carol")}
    hashes = {n: s.content_hash(modules) for n, s in students.items()}
    first = plan(students, hashes, book, VERSION, EXERCISES, regrade=False)
    assert first.to_grade == ["alice", "bob", "carol"] and first.reused == [] and first.changed == []

    run = new_run(book)
    for name in ("alice", "bob"):          # carol was not reached (a killed run)
        book.record(run, name, hashes[name], VERSION, results()).result()
    again = plan(students, hashes, book, VERSION, EXERCISES, regrade=False)
    assert again.to_grade == ["carol"] and again.reused == ["alice", "bob"]

    students["bob"] = student("bob", "x = 2\n")                        # bob hands in again
    hashes["bob"] = students["bob"].content_hash(modules)
    changed = plan(students, hashes, book, VERSION, EXERCISES, regrade=False)
    assert changed.to_grade == ["bob", "carol"] and changed.changed == ["bob"]

    new_grader = plan(students, hashes, book, "0.2.0+other", EXERCISES, regrade=False)
    assert new_grader.to_grade == ["alice", "bob", "carol"]

    forced = plan(students, hashes, book, VERSION, EXERCISES, regrade=True)
    assert forced.to_grade == ["alice", "bob", "carol"] and forced.reused == []

    # a new exercise in the manifest makes every earlier set incomplete
    assert plan(students, hashes, book, VERSION, EXERCISES + ["cnn.new"], regrade=False).reused == []


def test_the_old_rows_of_a_changed_submission_stay(book: Gradebook):
    run = new_run(book)
    book.record(run, "alice", "old", VERSION, results(0.0)).result()
    book.record(run, "alice", "new", VERSION, results(1.0)).result()
    assert book.query("SELECT content_hash, SUM(score) FROM results GROUP BY content_hash ORDER BY 1") == \
        [("new", 3.0), ("old", 0.0)]


def test_writes_from_many_threads_go_through_one_writer(book: Gradebook):
    run = new_run(book)
    writer_threads = set()
    original = book.writer.submit

    def spy(fn):
        def wrapped(con):
            writer_threads.add(threading.current_thread().name)
            return fn(con)
        return original(wrapped)

    book.writer.submit = spy
    threads = [threading.Thread(target=lambda i=i: book.record(run, f"s{i:02d}", "h", VERSION, results()).result())
               for i in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert writer_threads == {"gradebook-writer"}
    assert book.query("SELECT COUNT(DISTINCT student), COUNT(*) FROM results") == [(20, 60)]
    assert book.query("SELECT students_graded FROM runs WHERE id=?", (run,)) == [(20,)]


def test_reopen_marks_dead_runs_interrupted(tmp_path: Path):
    path = tmp_path / "gradebook.sqlite"
    with Gradebook(path, tmp_path / "class") as book:
        new_run(book)                      # never finished: as after a kill -9
    with Gradebook(path, tmp_path / "class") as book:
        assert book.interrupted_runs == 1
        assert book.query("SELECT status FROM runs") == [("interrupted",)]


def test_two_processes_cannot_share_an_output_folder(tmp_path: Path):
    path = tmp_path / "gradebook.sqlite"
    with Gradebook(path, tmp_path / "class"):
        with pytest.raises(GradebookBusy, match="another `tutor grade`"):
            Gradebook(path, tmp_path / "class")
    Gradebook(path, tmp_path / "class").close()    # released


def test_another_class_folder_is_refused_unless_forced(tmp_path: Path):
    path = tmp_path / "gradebook.sqlite"
    with Gradebook(path, tmp_path / "class-a") as book:
        book.record(new_run(book), "alice", "h", VERSION, results()).result()
    with pytest.raises(GradebookError, match="another class folder"):
        Gradebook(path, tmp_path / "class-b")
    with Gradebook(path, tmp_path / "class-b", force=True) as book:
        assert book.adopted_from == str((tmp_path / "class-a").resolve())
        assert book.query("SELECT COUNT(*) FROM results") == [(3,)]      # nothing lost


@pytest.mark.parametrize("content, expected", [
    (b"this is not a database at all" * 10, "not a tutor gradebook"),
    (b"SQLite format 3\x00" + b"\xff" * 2000, "damaged"),
])
def test_corrupt_gradebook_gets_a_clear_error(tmp_path: Path, content: bytes, expected: str):
    path = tmp_path / "gradebook.sqlite"
    path.write_bytes(content)
    with pytest.raises(GradebookError, match=expected):
        Gradebook(path, tmp_path / "class")
    assert path.read_bytes() == content           # untouched
    with Gradebook(path, tmp_path / "class", force=True) as book:
        assert book.set_aside_to is not None and book.set_aside_to.read_bytes() == content
        assert book.meta["app"] == "tutor-gradebook"


def test_truncated_gradebook_is_damaged(tmp_path: Path):
    path = tmp_path / "gradebook.sqlite"
    with Gradebook(path, tmp_path / "class") as book:
        run = new_run(book)
        for i in range(50):
            book.record(run, f"s{i}", "h", VERSION, results()).result()
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(GradebookError, match="damaged|not a tutor gradebook"):
        Gradebook(path, tmp_path / "class")


def test_foreign_sqlite_and_newer_schema(tmp_path: Path):
    path = tmp_path / "gradebook.sqlite"
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE grades (student TEXT, score REAL)")
    con.commit()
    con.close()
    with pytest.raises(GradebookError, match="not a tutor gradebook.*grades"):
        Gradebook(path, tmp_path / "class")

    path.unlink()
    with Gradebook(path, tmp_path / "class"):
        pass
    con = sqlite3.connect(path)
    con.execute("UPDATE meta SET value='99' WHERE key='schema'")
    con.commit()
    con.close()
    with pytest.raises(GradebookError, match="newer tutor"):
        Gradebook(path, tmp_path / "class")


def test_grader_version_names_tutor_and_a_digest():
    version = gb.grader_version()
    import tutor

    assert version.startswith(tutor.__version__ + "+") and len(version.split("+")[1]) == 12
    assert version == gb.grader_version()


def test_hostile_learner_text_is_stored_and_rendered_safely(book: Gradebook):
    from tutor.classroom.reports import feedback_markdown

    run = new_run(book)
    hostile = results(0.0)
    hostile[0].message = "raised ValueError: caf\udce9 \x1b[2J```"
    hostile[0].details = ["line \udcff", "\x1b]0;owned\x07", "```", "x" * 10000]
    book.record(run, "alice", "h", VERSION, hostile).result()
    rows = book.results("alice", "h", VERSION)
    assert rows[0]["message"] == "raised ValueError: caf\\udce9 \x1b[2J```"
    text = feedback_markdown("alice", rows)
    text.encode("utf-8")
    assert "\x1b" not in text and "\x07" not in text
    assert "more characters cut" in text and "````text" in text   # a longer fence than the learner's


def test_a_student_the_engine_fails_on_is_not_recorded(book: Gradebook):
    """An engine failure (not the student's fault) is retried once, then left out of the gradebook,
    so the next run grades that student again; everyone else is saved."""
    from types import SimpleNamespace

    from tutor.classroom.runner import grade_students

    exercises = [SimpleNamespace(id=e, module=e.split(".")[0], function=e.split(".")[1], points=1) for e in EXERCISES]
    calls = []

    class FailingOnBob:     # a test double for tutor.engine.Grader's grade()
        def grade(self, sources):
            calls.append(sources["layers"])
            if sources["layers"] == "bob":
                raise RuntimeError("worker pool broken")
            return results()

    students = {n: student(n, text=n) for n in ("alice", "bob", "carol")}
    hashes = {n: s.content_hash(MODULES) for n, s in students.items()}
    done = []
    run = new_run(book)
    outcome = grade_students(list(students), students, hashes, grader=FailingOnBob(), gradebook=book, run_id=run,
                             version=VERSION, exercises=exercises, jobs=2, on_done=lambda n, ok: done.append((n, ok)))
    assert sorted(outcome.graded) == ["alice", "carol"]
    assert outcome.failed == {"bob": "RuntimeError: worker pool broken"}
    assert calls.count("bob") == 2                                  # retried once
    assert sorted(done) == [("alice", True), ("bob", False), ("carol", True)]
    assert book.complete(VERSION, EXERCISES) == {("alice", hashes["alice"]), ("carol", hashes["carol"])}
    assert plan(students, hashes, book, VERSION, EXERCISES, regrade=False).to_grade == ["bob"]


def test_a_batch_is_one_transaction_and_recorded_once_per_run(book: Gradebook):
    """record_batch (the cluster's): every student of a batch in one transaction; the same batch again
    in the same run (a cluster re-ran it) writes nothing and leaves no history; another run supersedes."""
    run = new_run(book)
    batch = [(name, f"h-{name}", results(), {"layers": "source"}) for name in ("alice", "bob")]
    assert book.record_batch(run, VERSION, batch).result() == ["alice", "bob"]
    assert book.record_batch(run, VERSION, batch).result() == []
    assert book.graded_in_run(run) == 2
    assert book.query("SELECT COUNT(*) FROM results_history")[0][0] == 0
    assert book.query("SELECT COUNT(*) FROM results")[0][0] == 2 * len(EXERCISES)
    assert book.complete(VERSION, EXERCISES) == {("alice", "h-alice"), ("bob", "h-bob")}
    later = new_run(book, regrade=True)
    assert book.record_batch(later, VERSION, batch[:1]).result() == ["alice"]
    assert book.query("SELECT COUNT(*) FROM results_history")[0][0] == len(EXERCISES)
    assert book.graded_in_run(later) == 1


def test_a_batch_that_cannot_be_written_writes_nobody(book: Gradebook):
    run = new_run(book)
    broken = results()
    broken[1].score = "not a number"      # float() fails inside the transaction, after alice's rows
    with pytest.raises(ValueError):
        book.record_batch(run, VERSION, [("alice", "h1", results(), {}), ("bob", "h2", broken, {})]).result()
    assert book.graded_in_run(run) == 0
    assert book.query("SELECT COUNT(*) FROM results")[0][0] == 0


def test_the_last_run_options_are_read_back_and_a_missing_or_foreign_file_gives_none(tmp_path):
    from tutor.classroom.gradebook import Gradebook, last_run_options

    assert last_run_options(tmp_path / "nothing.sqlite") == {}
    (tmp_path / "junk.sqlite").write_bytes(b"not a database")
    assert last_run_options(tmp_path / "junk.sqlite") == {}
    path = tmp_path / "gradebook.sqlite"
    with Gradebook(path, tmp_path) as gradebook:
        gradebook.start_run(grader_version="v", isolation="full", jobs=1, timeout=10.0, regrade=False,
                            options={"assignments": ["a1"]}, students_total=0)
    assert last_run_options(path) == {"assignments": ["a1"]}
