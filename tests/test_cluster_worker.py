"""The Dask worker's checks (tutor/classroom/cluster_worker.py): which workers refuse, and why.

The plugin and grade_batch run on real Dask workers in tests/test_cluster.py."""
from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from tutor.classroom.cluster_worker import plugin_name, refusal, versions

FULL = "full: bubblewrap (no network, no repository) + namespaces"
KEYS = ("tutor", "NumPy", "manifest", "engine")


def test_this_machine_agrees_with_itself():
    found = versions()
    assert set(found) == set(KEYS) and all(found.values())
    assert refusal(found, versions(), FULL) is None


def test_a_sandbox_below_full_is_refused_with_what_to_do():
    found = versions()
    why = refusal(found, found, "reduced: no namespaces [TUTOR_SANDBOX=none]")
    assert "full isolation" in why and "reduced: no namespaces" in why and "bubblewrap" in why


@given(key=st.sampled_from(KEYS), other=st.text(min_size=1, max_size=12))
def test_any_version_that_differs_is_named_with_both_values(key, other):
    expected = versions()
    found = dict(expected, **{key: expected[key] + other})
    why = refusal(expected, found, FULL)
    assert why is not None and f"{key} {found[key]}" in why and f"coordinator has {expected[key]}" in why
    assert ";" not in why.replace(found[key], "")      # one problem, one clause


def test_several_problems_are_all_said():
    expected = versions()
    found = dict(expected, NumPy="0.0", tutor="9.9")
    why = refusal(expected, found, "reduced: ...")
    assert "full isolation" in why and "NumPy 0.0" in why and "tutor 9.9" in why


def test_one_plugin_per_set_of_versions():
    """Coordinators of the same tutor share a worker's plugin; another tutor's never replaces it."""
    mine = versions()
    assert plugin_name(mine) == plugin_name(dict(reversed(list(mine.items()))))
    assert plugin_name(mine) != plugin_name(dict(mine, NumPy="0.0"))
