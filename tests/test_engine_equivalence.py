"""The indexed engine schedules exactly what the old scan did: same events, same order, same
stamps, same state — on every bundled scenario and on generated ones, along random paths.

The reference (``tests/engine_reference.py``) is the scan-every-inject engine kept as it was. At
each moment a random bot may decide open points; both engines then work out what falls due,
and the events must be equal. The indexed engine works on the live state under a savepoint:
after ``due_drafts`` the state must be exactly as before (nothing leaks from the look-ahead).
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from exercise_engine.engine import (
    ExerciseState,
    advance_in_place,
    apply,
    due_drafts,
    initial_state,
    next_moment,
    rules_for,
)
from exercise_engine.engine.decisions import decision_drafts
from exercise_engine.loading import LoadedScenario, load_scenario
from exercise_engine.model.events import Draft
from tests.conftest import REPO
from tests.engine_helpers import decision, inject, scenario_from
from tests.engine_reference import reference_advance, reference_next_moment

BUNDLED = sorted((REPO / "scenarios").glob("*.toml"))


def _snapshot(state: ExerciseState, moment: bool = True) -> tuple[object, ...]:
    """Everything of a state that play can see, as plain values (points copied); ``moment`` is
    the engine's scratch time of its last look-ahead (not part of the folded state)."""
    return (
        state.status,
        state.phase,
        state.last_time,
        state.moment if moment else None,
        state.event_count,
        dict(state.variables),
        dict(state.flags),
        {k: (d.at, d.phase) for k, d in state.deliveries.items()},
        {k: dict(vars(p)) for k, p in state.points.items()},
        list(state.phase_history),
        state.ending,
    )


def _play_both(scenario: LoadedScenario, seed: int) -> int:
    """Play one random path with both engines side by side; return how many events it made."""
    rng = random.Random(seed)
    rules = rules_for(scenario)
    live = initial_state(scenario)
    for kind in ("briefing_opened", "started"):
        apply(scenario, live, Draft(kind, 0, "facilitator"), 0.0)
    reference = live.copy()
    t = 0
    for _ in range(5000):
        before = _snapshot(live)
        expected, _ = reference_advance(scenario, reference, t, 0.0)
        got = due_drafts(scenario, live, t, 0.0)
        assert got == expected, f"seed {seed}, at {t}"
        assert _snapshot(live) == before, "due_drafts left a change behind"
        applied = advance_in_place(scenario, live, t, 0.0)
        assert applied == expected
        for draft in expected:
            apply(scenario, reference, draft, 0.0)
        assert _snapshot(live, False) == _snapshot(reference, False)
        if live.status != "running":
            break
        t = max(t, live.last_time)
        for point in live.open_points():
            spec = scenario.decision_point(point.inject, point.decision)
            if spec is None or rng.random() < 0.4:
                continue
            option = rng.choice(spec.options).id if spec.options else None
            drafts = decision_drafts(
                scenario,
                live,
                t,
                role=point.role,
                inject=point.inject,
                decision=point.decision,
                option=option,
                rationale="a reason",
                actor=f"role:{point.role}",
            )
            for draft in drafts:
                apply(scenario, live, draft, 0.0)
                apply(scenario, reference, draft, 0.0)
        following = next_moment(rules, live, t)
        assert following == reference_next_moment(rules, reference, t)
        if following is None:
            break
        # sometimes jump straight to the next moment, sometimes part of the way
        t = following if rng.random() < 0.7 else t + max(1, (following - t) // 2)
    return live.event_count


@pytest.mark.parametrize("path", BUNDLED, ids=lambda p: p.stem)
def test_bundled_scenarios_schedule_as_the_scan_did(path: Path) -> None:
    scenario = load_scenario(path)
    counts = [_play_both(scenario, seed) for seed in range(6)]
    assert min(counts) > 10  # the paths did play the scenario


def _generated(tmp_path: Path, seed: int) -> LoadedScenario:
    """A random scenario: phase-limited and conditional injects, after-chains (some with no
    delay), windows with on_expire effects, a gated phase and guarded transitions."""
    rng = random.Random(seed)
    body = ""
    ids: list[str] = []
    for n in range(40):
        iid = f"g-{n}"
        if ids and rng.random() < 0.3:
            delay = rng.choice(["00:00", "00:01", "00:05"])
            trigger = f'after = {{ inject = "{rng.choice(ids)}", delay = "{delay}" }}'
        else:
            trigger = f'at = "00:{rng.randrange(0, 59):02d}"'
        if rng.random() < 0.25:
            trigger += f'\nphase = "{rng.choice(["one", "two"])}"'
        if rng.random() < 0.2:
            trigger += f'\nwhen = "risk >= {rng.randrange(20, 90)} or warned"'
        extra = ""
        if rng.random() < 0.4:
            window = rng.choice(['"00:02"', '"00:07"', '"00:15"'])
            extra = decision(window=window, expire="effects = { risk = 15 }")
        body += inject(iid, trigger, extra=extra)
        ids.append(iid)
    body += """
[[transitions]]
from = "one"
to = "two"
when = "risk >= 70 or elapsed >= '00:40'"
[[end]]
id = "calm"
when = "phase == 'two' and risk < 30"
[[end]]
id = "late"
when = "elapsed >= '01:30'"
"""
    return scenario_from(tmp_path, body)


@pytest.mark.parametrize("seed", range(4))
def test_generated_scenarios_schedule_as_the_scan_did(tmp_path: Path, seed: int) -> None:
    scenario = _generated(tmp_path, seed)
    for path_seed in range(4):
        _play_both(scenario, seed * 10 + path_seed)


@pytest.mark.parametrize(
    "when",
    [
        "elapsed >= risk * 60",  # elapsed against a variable: its value is part of the stamp
        "elapsed - 60 > 3000 or warned",  # elapsed inside arithmetic
        "elapsed >= '00:50' and not (elapsed == '01:00')",  # thresholds only: by interval
        "delivered('a') and elapsed > 30",
    ],
)
def test_the_condition_cache_answers_as_a_fresh_evaluation(tmp_path: Path, when: str) -> None:
    """Every answer the cache gives equals ``evaluate``'s, second by second, while the things
    the condition reads change under it."""
    from exercise_engine.conditions import evaluate
    from exercise_engine.engine.memo import ConditionCache

    body = (
        inject("a", 'at = "00:10"')
        + f'[[transitions]]\nfrom = "one"\nto = "two"\nwhen = "{when}"\n'
    )
    scenario = scenario_from(tmp_path, body)
    cache = ConditionCache(scenario)
    state = initial_state(scenario)
    seen = set()
    for second in range(0, 4000, 7):
        state.moment = second
        if second == 700:
            state.variables["risk"] = 20.0
        if second == 1400:
            state.deliveries["a"] = state.deliveries.get("a") or _delivery("a", second)
        if second == 2800:
            state.flags["warned"] = True
        expected = evaluate(scenario.conditions["transition:0"], state)
        assert cache.holds("transition:0", state) == expected, second
        seen.add(expected)
    assert seen == {True, False}


def _delivery(iid: str, at: int) -> object:
    from exercise_engine.engine.state import Delivery

    return Delivery(iid, at, ["hom"], "one")
