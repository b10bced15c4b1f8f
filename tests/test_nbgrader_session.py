"""One nbgrader Gradebook for the whole gradebook sync (tutor/nbgrader/session.py): nbgrader's
own preprocessors get the shared gradebook while it is open and their own afterwards, a submission's
writes are one transaction (all of it, or nothing of it when it fails), no other database is ever
opened under the shared one's name, and nbgrader's metadata validation gives the same verdicts and
the same errors as jsonschema's."""
from __future__ import annotations

import copy

import pytest

pytest.importorskip("nbgrader")

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from nbgrader.api import Gradebook, MissingEntry  # noqa: E402

from tutor.nbgrader.session import PREPROCESSOR_MODULES, shared_gradebook  # noqa: E402

pytestmark = pytest.mark.filterwarnings("ignore:Object of type")   # nbgrader's own add_submission


@pytest.fixture()
def db_url(tmp_path) -> str:
    url = f"sqlite:///{tmp_path / 'gradebook.db'}"
    with Gradebook(url) as gb:
        gb.add_assignment("a1")
    return url


def _modules():
    import importlib

    return [importlib.import_module(f"nbgrader.preprocessors.{name}") for name in PREPROCESSOR_MODULES]


def test_the_preprocessors_share_one_gradebook_while_it_is_open_and_get_their_own_after(db_url):
    with shared_gradebook(db_url) as book:
        for module in _modules():
            opened = module.Gradebook(db_url)
            with opened as gb:
                assert gb is book.gradebook
            assert book.gradebook.find_assignment("a1").name == "a1"   # their `with` did not close it
    assert all(module.Gradebook is Gradebook for module in _modules())


def test_another_database_is_never_opened_under_the_shared_ones_name(db_url, tmp_path):
    with shared_gradebook(db_url):
        with pytest.raises(RuntimeError, match="while writing"):
            _modules()[0].Gradebook(f"sqlite:///{tmp_path / 'other.db'}")


def test_a_submission_is_written_whole_and_a_failing_one_leaves_nothing(db_url):
    with shared_gradebook(db_url) as book:
        with book.transaction() as gb:
            gb.update_or_create_student("ada")
            gb.update_or_create_submission("a1", "ada")
            gb.db.commit()                            # nbgrader's commits inside: the transaction's
        with pytest.raises(ValueError):
            with book.transaction() as gb:
                gb.update_or_create_student("bob")
                gb.update_or_create_submission("a1", "bob")
                gb.db.commit()
                raise ValueError("the submission failed half-way")
        with book.transaction() as gb:                 # the next one is written as usual
            gb.update_or_create_student("cy")
    with Gradebook(db_url) as gb:                     # read back through a new connection
        assert gb.find_submission("a1", "ada").student.id == "ada"
        assert {s.id for s in gb.students} == {"ada", "cy"}
        with pytest.raises(MissingEntry):
            gb.find_submission("a1", "bob")


@pytest.fixture()
def course_url(tmp_path) -> str:
    """A notebook with grade, solution and task cells (one name both a grade and a task cell), and
    one student's submission of it."""
    url = f"sqlite:///{tmp_path / 'course.db'}"
    with Gradebook(url) as gb:
        gb.add_assignment("a1")
        gb.add_notebook("nb", "a1")
        for name in ("g1", "g2", "both"):
            gb.add_grade_cell(name, "nb", "a1", max_score=2, cell_type="code")
        gb.add_task_cell("both", "nb", "a1", max_score=1, cell_type="markdown")
        gb.add_task_cell("t1", "nb", "a1", max_score=3, cell_type="markdown")
        for name in ("s1", "both"):
            gb.add_solution_cell(name, "nb", "a1")
        for name in ("g1", "g2", "both", "t1", "s1"):
            gb.add_source_cell(name, "nb", "a1", cell_type="code", locked=False, source=f"# {name}", checksum=name)
        gb.add_student("ada")
        gb.add_submission("a1", "ada")
    return url


def _found(gb, method: str, *args):
    try:
        return getattr(gb, method)(*args).id
    except MissingEntry as exc:
        return f"MissingEntry: {exc}"


LOOKUPS = [("find_grade", name, "nb", "a1", "ada") for name in ("g1", "g2", "both", "t1", "s1", "nope")] + \
          [("find_comment", name, "nb", "a1", "ada") for name in ("s1", "both", "t1", "g1", "nope")] + \
          [("find_source_cell", name, "nb", "a1") for name in ("g1", "t1", "nope")] + \
          [("find_graded_cell", name, "nb", "a1") for name in ("g1", "both", "t1", "s1", "nope")] + \
          [("find_grade", "g1", "nb", "a1", "bob"), ("find_comment", "s1", "other", "a1", "ada")]


def test_the_shared_gradebook_finds_what_nbgraders_own_queries_find(course_url):
    with Gradebook(course_url) as gb:
        expected = [_found(gb, method, *args) for method, *args in LOOKUPS]
    assert len({e for e in expected if not e.startswith("MissingEntry")}) > 10
    with shared_gradebook(course_url) as book:
        for _ in range(2):   # the second time from what the first kept
            with book.transaction() as gb:
                assert [_found(gb, method, *args) for method, *args in LOOKUPS] == expected
                _modules()[0].Gradebook(course_url)   # a preprocessor opens the gradebook: rows read again


def test_a_preprocessor_reads_the_scores_written_before_it_opened_the_gradebook(course_url):
    with shared_gradebook(course_url) as book:
        with book.transaction() as gb:
            notebook = gb.find_submission_notebook("nb", "a1", "ada")
            assert notebook.score == 0
            for name in ("g1", "g2"):
                grade = gb.find_grade(name, "nb", "a1", "ada")
                grade.auto_score = 2
                gb.db.commit()                        # nbgrader's per-cell commit
            with _modules()[-1].Gradebook(course_url) as opened:   # AssignLatePenalties opens it
                assert opened.find_submission_notebook("nb", "a1", "ada").score == 4   # computed by the database
                assert notebook.score == 4
    with Gradebook(course_url) as gb:
        assert gb.find_submission_notebook("nb", "a1", "ada").score == 4


metadata = st.fixed_dictionaries({}, optional={
    "grade": st.sampled_from([True, False, "yes", None]),
    "solution": st.sampled_from([True, False, 1]),
    "locked": st.booleans(),
    "task": st.booleans(),
    "grade_id": st.sampled_from(["test-layers-affine_forward", "", 7]),
    "points": st.sampled_from([0, 1.5, -1, "two"]),
    "schema_version": st.just(3),
    "checksum": st.sampled_from(["abc", None]),
    "cell_type": st.sampled_from(["code", "markdown", "raw"]),
})


def _verdict(validator, cell):
    try:
        validator.validate_cell(cell)
    except Exception as exc:   # noqa: BLE001 - the verdict compared is the error itself
        return type(exc).__name__, str(exc)
    return None


@pytest.fixture(scope="module")
def shared_url(tmp_path_factory) -> str:
    return f"sqlite:///{tmp_path_factory.mktemp('gb') / 'gradebook.db'}"


@settings(max_examples=40, deadline=None)
@given(meta=metadata)
def test_metadata_validation_gives_nbgraders_verdicts_and_errors(shared_url, meta):
    from nbformat.v4 import new_code_cell
    from nbgrader.nbgraderformat import MetadataValidator

    url = shared_url
    cell = new_code_cell("x = 1", metadata={"nbgrader": copy.deepcopy(meta)})
    expected = _verdict(MetadataValidator(), copy.deepcopy(cell))
    with shared_gradebook(url):
        assert _verdict(MetadataValidator(), copy.deepcopy(cell)) == expected
        assert _verdict(MetadataValidator(), copy.deepcopy(cell)) == expected   # the schema checked once
    assert _verdict(MetadataValidator(), copy.deepcopy(cell)) == expected
