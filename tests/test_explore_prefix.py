"""Lint's bot reuses the branches of shared prefixes: the runs are exactly those it plays when
every run is replayed from the start (nothing remembered), only cheaper."""

from __future__ import annotations

import pytest

from exercise_engine.authoring import explore as explore_module
from exercise_engine.authoring.explore import Exploration, explore
from exercise_engine.loading import load_scenario
from tests.conftest import REPO


def _summary(result: Exploration) -> list[tuple[object, ...]]:
    return [
        (
            run.path(),
            run.ending,
            run.end_time,
            run.stuck,
            tuple(run.phase_history),
            tuple((k, d.at) for k, d in run.deliveries.items()),
            tuple((k, p.status, p.option, p.closed_at) for k, p in run.points.items()),
        )
        for run in result.runs
    ]


def test_sampled_runs_forked_from_shared_prefixes_match_runs_replayed_from_the_start(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    scenario = load_scenario(REPO / "scenarios" / "tutorial.toml")
    shared = explore(scenario, max_runs=25, seed=3)
    monkeypatch.setattr(explore_module, "MAX_KNOWN", 0)  # remember nothing: replay every run
    replayed = explore(scenario, max_runs=25, seed=3)
    assert not shared.exhaustive
    assert _summary(shared) == _summary(replayed)
    assert shared.condition_held == replayed.condition_held
    assert len({s[0] for s in _summary(shared)}) > 10  # the runs did take different paths
