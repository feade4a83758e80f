"""What a bundled scenario must offer a course director (issue 5's acceptance list), checked on
every real scenario so that an edit cannot quietly thin one out. The tutorial is exempt."""

from __future__ import annotations

from pathlib import Path

import pytest

from exercise_engine.loading import load_scenario
from exercise_engine.model import ALL
from tests.conftest import REPO

REAL = sorted(p for p in (REPO / "scenarios").glob("*.toml") if p.stem != "tutorial")


def test_every_real_scenario_is_checked() -> None:
    """An empty parameter list would skip the checks below, not fail them."""
    assert {p.stem for p in REAL} >= {"minusca-bambari", "unamid-saraf-umra", "unmis-tob"}


@pytest.mark.parametrize("path", REAL, ids=lambda p: p.stem)
def test_scenario_has_the_shape_of_a_half_day_table_top(path: Path) -> None:
    s = load_scenario(path)
    injects = list(s.injects.values())
    points = s.decision_points()
    assert "exercise" in s.file.briefing.lower() and "modelled on" in s.file.briefing.lower()
    assert len(s.roles) >= 6
    assert len(s.file.variables) >= 5 and s.file.flags
    assert len(s.file.phases) >= 3
    assert any(p.advance for p in s.file.phases) or any(p.gate for p in s.file.phases)
    assert len(injects) >= 15
    assert len({i.channel for i in injects}) >= 4
    private = [i for i in injects if ALL not in i.to and len(s.audience(i)) < len(s.roles)]
    assert len(private) >= 3
    assert any(i.variants for i in injects)
    assert len(points) >= 8
    assert len({p.role for _, p in points}) >= 4
    assert all(p.consult for _, p in points)
    assert all(p.on_expire is not None for _, p in points if p.respond_within)
    assert all(o.evidence for _, p in points for o in p.options)
    branching = [
        i
        for i in injects
        if i.when and ("chose(" in i.when or "expired(" in i.when or "decided(" in i.when)
    ]
    assert len(branching) >= 3
    assert len(s.file.end) >= 2
    assert any(i.manual for i in injects)


@pytest.mark.parametrize("path", REAL, ids=lambda p: p.stem)
def test_options_represent_both_sides_of_polarities(path: Path) -> None:
    s = load_scenario(path)
    served = {
        cid
        for _, p in s.decision_points()
        for o in p.options
        for cid, w in o.evidence.items()
        if w > 0
    }
    pairs = {
        tuple(sorted((a, b)))
        for a in served
        for b in s.considerations[a].tension_with
        if b in served
    }
    assert len(pairs) >= 3
