"""The gradebook sync in a process of its own (tutor/nbgrader/process.py): what it answers is
what the sync in this process answers, its errors included; a submission it could not write is
reported with an internal error kept here too; without a process started for the gradebook the
caller is told to sync itself."""
from __future__ import annotations

import pytest

pytest.importorskip("nbgrader")

from nbgrader.api import Gradebook  # noqa: E402

from tutor.classroom import incidents
from tutor.nbgrader import process as nbgrader_process  # noqa: E402
from tutor.nbgrader.sync import SyncRequest, sync_request  # noqa: E402

pytestmark = pytest.mark.filterwarnings("ignore:Object of type")   # nbgrader's own add_submission


@pytest.fixture()
def course(tmp_path):
    with Gradebook(f"sqlite:///{tmp_path / 'gradebook.db'}") as gb:
        gb.add_assignment("a1")
        gb.add_notebook("nb", "a1")
        gb.add_grade_cell("test-layers-affine_forward", "nb", "a1", max_score=1, cell_type="code")
    return tmp_path


def _in_process(request: SyncRequest) -> str:
    try:
        return sync_request(request)
    except Exception as exc:  # noqa: BLE001 - the error is the answer compared
        return f"error {type(exc).__name__}: {exc}"


def _in_its_process(request: SyncRequest) -> str:
    nbgrader_process.start(request.nbgrader_db)
    pending = nbgrader_process.submit(request)
    assert pending is not None
    try:
        return pending.result()
    except nbgrader_process.SyncFailed as exc:
        return f"error {exc}"


def test_the_process_answers_what_the_sync_here_answers(course):
    folder = course / "submitted" / "ada"
    (folder / "a1").mkdir(parents=True)
    students = {"ada": (str(folder), {"a1": {}}), "bob": (str(folder), None)}
    request = SyncRequest(str(course / "gradebook.db"), [], students, {})
    answer = _in_its_process(request)
    assert "1 submission(s) written" in answer and "bob (not in the nbgrader layout)" in answer
    assert answer == _in_process(request)


def test_the_process_reports_the_error_the_sync_here_raises(course):
    request = SyncRequest(str(course / "no-such-folder" / "gradebook.db"), [], {}, {})
    answer = _in_its_process(request)
    assert answer.startswith("error OperationalError") and answer == _in_process(request)


def test_a_submission_it_could_not_write_is_an_internal_error_kept_here(course):
    (course / "autograded").write_text("a file where the folder belongs")
    folder = course / "submitted" / "ada"
    (folder / "a1").mkdir(parents=True)
    request = SyncRequest(str(course / "gradebook.db"), [], {"ada": (str(folder), {"a1": {}})}, {})
    incidents.drain()
    answer = _in_its_process(request)
    assert "0 submission(s) written" in answer and "skipped ada/a1 (internal error " in answer
    kept = incidents.drain()
    assert [incident for incident, student, text in kept if student == "ada" and incident in answer]


def test_without_a_process_for_the_gradebook_the_caller_syncs(course):
    assert nbgrader_process.submit(SyncRequest(str(course / "gradebook.db"), [], {}, {})) is None
