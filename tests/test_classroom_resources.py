"""tutor/classroom/resources.py: --jobs clamped to what the machine holds (the real run: see
tests/test_adversarial_classes.py::test_jobs_1000_is_clamped_and_starts_few_processes)."""
from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from tutor.classroom.resources import WORKER_BUDGET_BYTES, available_memory, clamp_jobs, cores


def test_few_jobs_are_kept():
    assert clamp_jobs(2, cores_=4, available=64 << 30) == (2, None)


def test_cores_bound():
    jobs, message = clamp_jobs(1000, cores_=2, available=64 << 30)
    assert jobs == 4 and "--jobs 1000" in message and "2 per core on 2 core(s)" in message


def test_memory_bound():
    jobs, message = clamp_jobs(64, cores_=64, available=3 * WORKER_BUDGET_BYTES)
    assert jobs == 3 and "GiB of memory available" in message


def test_unknown_memory_and_no_memory():
    assert clamp_jobs(100, cores_=1, available=None)[0] == 2
    assert clamp_jobs(100, cores_=8, available=0)[0] == 1


@given(st.integers(1, 10**6), st.integers(1, 512), st.one_of(st.none(), st.integers(0, 1 << 44)))
def test_clamp_is_between_one_and_requested(requested, n_cores, memory):
    jobs, message = clamp_jobs(requested, cores_=n_cores, available=memory)
    assert 1 <= jobs <= requested and jobs <= 2 * n_cores
    assert (message is None) == (jobs == requested)


def test_this_machine():
    assert cores() >= 1
    memory = available_memory()
    assert memory is None or memory > 0
