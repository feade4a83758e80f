"""The engine's semantics, case by case, on small scenarios and a virtual clock (no sleeping)."""

from __future__ import annotations

from pathlib import Path

import pytest

from exercise_engine.engine import fold
from exercise_engine.exercise import Refused
from tests.engine_helpers import Run, decision, inject, scenario_from

MIN = 60


@pytest.mark.parametrize(
    ("body", "moment", "expected"),
    [
        # an 'at' inject arrives at its time, not before
        (inject("a", 'at = "00:10"'), "00:09", {}),
        (inject("a", 'at = "00:10"'), "00:10", {"a": 10 * MIN}),
        # 'after' counts from the other inject's delivery
        (
            inject("a", 'at = "00:10"') + inject("b", 'after = { inject = "a", delay = "00:05" }'),
            "00:30",
            {"a": 10 * MIN, "b": 15 * MIN},
        ),
        # 'phase' alone: delivered on entering that phase (at 00:30 here)
        (inject("a", 'phase = "two"'), "00:40", {"a": 30 * MIN}),
        # 'at' plus 'phase': waits for the phase even when its time has passed
        (inject("a", 'at = "00:05"\nphase = "two"'), "00:40", {"a": 30 * MIN}),
        # 'when' on a variable that never changes: never delivered
        (inject("a", 'when = "risk > 90"'), "01:00", {}),
        # 'when' on elapsed: delivered at the exact second it becomes true
        (inject("a", "when = \"elapsed >= '00:17'\""), "01:00", {"a": 17 * MIN}),
    ],
)
def test_inject_timing(tmp_path: Path, body: str, moment: str, expected: dict[str, int]) -> None:
    transitions = '\n[[transitions]]\nfrom = "one"\nto = "two"\nwhen = "elapsed >= \'00:30\'"\n'
    run = Run(scenario_from(tmp_path, transitions + body), tmp_path)
    run.to(moment)
    assert run.delivered_at() == expected


def test_decision_applies_effects_clamped_and_flags(tmp_path: Path) -> None:
    run = Run(scenario_from(tmp_path, inject("a", 'at = "00:01"') + decision()), tmp_path)
    run.to("00:02")
    outcome = run.ex.decide(role="hom", inject="a", decision="d", option="no", rationale="x")
    assert outcome.accepted
    assert run.state.variables["risk"] == 100  # 50 + 80 clamped to max 100
    assert run.state.points[("a", "d")].status == "decided"


def test_expiry_applies_on_expire_at_the_deadline(tmp_path: Path) -> None:
    body = inject("a", 'at = "00:01"') + decision(expire="effects = { risk = 20 }")
    run = Run(scenario_from(tmp_path, body), tmp_path)
    run.to("00:30")
    point = run.state.points[("a", "d")]
    assert point.status == "expired"
    assert point.closed_at == 11 * MIN
    assert run.state.variables["risk"] == 70


@pytest.mark.parametrize(
    ("role", "option", "when", "reason"),
    [
        # only the deciding role may decide
        ("force_commander", "yes", "00:02", "only the Head of Mission"),
        # a role not in play
        ("dms", "yes", "00:02", "not in play"),
        # an option the point does not have
        ("hom", "maybe", "00:02", "has no option 'maybe'"),
        # after the window closed
        ("hom", "yes", "00:20", "late: the window"),
        # before the inject arrives
        ("hom", "yes", "00:00", "has not been delivered yet"),
    ],
)
def test_refusals_are_journalled_with_a_reason(
    tmp_path: Path, role: str, option: str, when: str, reason: str
) -> None:
    run = Run(scenario_from(tmp_path, inject("a", 'at = "00:01"') + decision()), tmp_path)
    run.to(when)
    outcome = run.ex.decide(role=role, inject="a", decision="d", option=option)
    assert not outcome.accepted
    assert reason in outcome.reason
    assert run.state.refusals[-1].reason == outcome.reason
    assert run.ex.journal.events()[-1].kind == "decision_refused"


def test_duplicate_decision_refused(tmp_path: Path) -> None:
    run = Run(scenario_from(tmp_path, inject("a", 'at = "00:01"') + decision()), tmp_path)
    run.to("00:02")
    assert run.ex.decide(role="hom", inject="a", decision="d", option="yes").accepted
    again = run.ex.decide(role="hom", inject="a", decision="d", option="no")
    assert not again.accepted and "already decided" in again.reason


def test_hot_seat_decision_is_marked(tmp_path: Path) -> None:
    run = Run(scenario_from(tmp_path, inject("a", 'at = "00:01"') + decision()), tmp_path)
    run.to("00:02")
    assert run.ex.decide(
        role="hom", inject="a", decision="d", option="yes", actor="facilitator"
    ).accepted
    point = run.state.points[("a", "d")]
    assert point.on_behalf and point.actor == "facilitator"


def test_advice_only_from_consulted_roles_and_before_the_decision(tmp_path: Path) -> None:
    run = Run(scenario_from(tmp_path, inject("a", 'at = "00:01"') + decision()), tmp_path)
    run.to("00:02")
    assert run.ex.advise(
        role="force_commander", inject="a", decision="d", text="hold", recommend="yes"
    ).accepted
    refused = run.ex.advise(role="police_commissioner", inject="a", decision="d", text="me too")
    assert not refused.accepted and "not consulted" in refused.reason
    run.ex.decide(role="hom", inject="a", decision="d", option="yes")
    late = run.ex.advise(role="force_commander", inject="a", decision="d", text="again")
    assert not late.accepted and "no longer open" in late.reason
    assert [a.role for a in run.state.advice] == ["force_commander"]


def test_gate_holds_transition_until_points_close(tmp_path: Path) -> None:
    header_gate = '\n[[transitions]]\nfrom = "one"\nto = "two"\nwhen = "elapsed >= \'00:05\'"\n'
    body = inject("a", 'at = "00:01"') + decision(window='"00:30"')
    scenario_from(tmp_path, header_gate + body)
    text = (
        (tmp_path / "mini.toml")
        .read_text()
        .replace('id = "one"\ntitle = "One"', 'id = "one"\ntitle = "One"\ngate = true')
    )
    (tmp_path / "mini.toml").write_text(text)
    from exercise_engine.loading import load_scenario

    scenario = load_scenario(tmp_path / "mini.toml")
    run = Run(scenario, tmp_path)
    run.to("00:20")
    assert run.state.phase == "one"  # held: 'a/d' is still open
    run.ex.decide(role="hom", inject="a", decision="d", option="yes")
    run.ex.tick()
    assert run.state.phase == "two"
    assert run.state.phase_history[-1] == (20 * MIN, "two")


def test_phase_advance_jumps_time_and_delivers_the_span_in_order(tmp_path: Path) -> None:
    body = '\n[[transitions]]\nfrom = "one"\nto = "two"\nwhen = "elapsed >= \'00:10\'"\n'
    body += (
        inject("late", 'at = "05:00"')
        + inject("early", 'at = "02:00"')
        + inject("after-jump", 'at = "09:00"')
    )
    scenario_from(tmp_path, body)
    text = (
        (tmp_path / "mini.toml")
        .read_text()
        .replace('id = "two"\ntitle = "Two"', 'id = "two"\ntitle = "Two"\nadvance = "08:00"')
    )
    (tmp_path / "mini.toml").write_text(text)
    from exercise_engine.loading import load_scenario

    run = Run(load_scenario(tmp_path / "mini.toml"), tmp_path)
    run.to("00:11")
    delivered = [
        e.payload["inject"] for e in run.ex.journal.events() if e.kind == "inject_delivered"
    ]
    assert delivered == ["early", "late"]  # in time order, at once
    assert run.state.last_time >= 8 * 3600 + 10 * MIN
    assert run.delivered_at()["early"] == 8 * 3600 + 10 * MIN
    assert "after-jump" not in run.delivered_at()


def test_end_condition_ends_and_closes_open_points(tmp_path: Path) -> None:
    body = '\n[[end]]\nid = "over"\ntitle = "Over"\nwhen = "elapsed >= \'00:05\'"\n'
    body += inject("a", 'at = "00:01"') + decision(window='"01:00"')
    run = Run(scenario_from(tmp_path, body), tmp_path)
    run.to("00:30")
    assert run.state.status == "hot_wash"
    assert run.state.ending == "over"
    assert run.state.points[("a", "d")].status == "closed"
    late = run.ex.decide(role="hom", inject="a", decision="d", option="yes")
    assert not late.accepted and "ended" in late.reason


def test_pause_stops_exercise_time(tmp_path: Path) -> None:
    run = Run(scenario_from(tmp_path, inject("a", 'at = "00:10"')), tmp_path)
    run.to("00:05")
    run.ex.pause()
    run.clock.advance(3600)
    assert run.ex.now() == 5 * MIN
    run.ex.tick()
    assert "a" not in run.delivered_at()
    run.ex.resume()
    run.clock.advance(5 * MIN)
    run.ex.tick()
    assert run.delivered_at() == {"a": 10 * MIN}


def test_speed_and_jump_to_next(tmp_path: Path) -> None:
    run = Run(scenario_from(tmp_path, inject("a", 'at = "01:00"')), tmp_path)
    run.ex.set_speed(60)
    run.clock.advance(30)  # 30 wall seconds at x60 = 30 exercise minutes
    assert run.ex.now() == 30 * MIN
    run.ex.jump_to_next()
    assert run.delivered_at() == {"a": 60 * MIN}
    with pytest.raises(Refused):
        run.ex.jump_to_next()


def test_lifecycle_refuses_impossible_moves(tmp_path: Path) -> None:
    run = Run(scenario_from(tmp_path, inject("a", 'at = "00:10"')), tmp_path)
    with pytest.raises(Refused, match="cannot resumed"):
        run.ex.resume()
    run.ex.end_scenario()
    assert run.state.status == "hot_wash"
    run.ex.hot_wash_note("strength", "The MLT consulted before deciding.")
    run.ex.close_hot_wash()
    assert run.state.status == "ended"
    with pytest.raises(Refused):
        run.ex.pause()


def test_fold_and_live_state_equal_a_state_worked_out_by_hand(tmp_path: Path) -> None:
    """The expected state is written out here from the scenario's rules, not computed by the
    engine: live play and a replay of the journal must both arrive at it (a fold that drops an
    effect, applies one twice or forgets a field fails, however consistently it does so)."""
    body = (
        inject("a", 'at = "00:01"')
        + decision(expire="effects = { risk = 5 }")
        + inject("b", 'at = "00:02"', to='["force_commander", "police_commissioner"]')
        + decision(role="police_commissioner", window='"00:05"', expire="effects = { risk = 5 }")
        + inject("c", 'when = "warned"', to='["hom"]')
    )
    run = Run(scenario_from(tmp_path, body), tmp_path)
    run.to("00:03")
    run.ex.decide(role="hom", inject="a", decision="d", option="yes", rationale="warn them")
    run.to("00:30")
    everyone = ["hom", "force_commander", "police_commissioner"]
    # risk 50; 'yes' on a/d at 00:03: -30 and warned, so c arrives at once; b/d (window 5 min
    # from 00:02) expires at 00:07: +5.
    expected_deliveries = {
        "a": (1 * MIN, everyone, "one", False),
        "b": (2 * MIN, ["force_commander", "police_commissioner"], "one", False),
        "c": (3 * MIN, ["hom"], "one", False),
    }
    expected_points = {
        ("a", "d"): ("hom", 1 * MIN, 11 * MIN, "decided", 3 * MIN, "yes", "warn them"),
        ("b", "d"): ("police_commissioner", 2 * MIN, 7 * MIN, "expired", 7 * MIN, None, ""),
    }
    events = run.ex.journal.events()
    for state in (run.state, fold(run.ex.scenario, events)):
        assert (state.status, state.phase, state.ending) == ("running", "one", None)
        assert state.variables == {"risk": 25}
        assert state.flags == {"warned": True}
        assert state.phase_history == [(0, "one")]
        assert {
            k: (d.at, d.roles, d.phase, d.manual) for k, d in state.deliveries.items()
        } == expected_deliveries
        assert {
            k: (p.role, p.opened_at, p.deadline, p.status, p.closed_at, p.option, p.rationale)
            for k, p in state.points.items()
        } == expected_points
        assert state.points[("a", "d")].actor.endswith("hom")
        assert state.open_points() == []
    assert fold(run.ex.scenario, events) == fold(run.ex.scenario, events)  # deterministic


def test_same_playthrough_gives_the_same_events_twice(tmp_path: Path) -> None:
    """Determinism: wall times (and so hashes) aside, two plays journal identical events."""
    import time

    from exercise_engine.clock import VirtualClock
    from exercise_engine.exercise import Exercise
    from exercise_engine.loading import load_scenario
    from exercise_engine.loading.playthrough import load_playthrough
    from exercise_engine.runtime import play_script
    from tests.conftest import REPO

    runs = []
    for n in range(2):
        scenario = load_scenario(REPO / "scenarios" / "tutorial.toml")
        script, _ = load_playthrough(REPO / "scenarios/playthroughs/tutorial/robust.toml", scenario)
        clock = VirtualClock(time.time() + n * 1000)
        exercise = Exercise.create(tmp_path / f"run{n}.db", scenario, clock, speed=1.0)
        play_script(exercise, clock, script)
        runs.append(
            [
                # the first event's "meta" hashes the metadata rows, the creation wall time too
                (e.seq, e.kind, e.exercise_time, e.actor, e.role, _without_meta(e.payload))
                for e in exercise.journal.events()
            ]
        )
    assert runs[0] == runs[1]


def _without_meta(payload: dict[str, object]) -> dict[str, object]:
    return {k: v for k, v in payload.items() if k != "meta"}


def test_a_window_includes_its_last_second(tmp_path: Path) -> None:
    """respond_within = 00:10 from 00:01: a decision at 00:11:00 is on time, at 00:11:01 late."""
    body = inject("a", 'at = "00:01"') + decision() + inject("b", 'at = "00:01"') + decision()
    run = Run(scenario_from(tmp_path, body), tmp_path)
    run.to("00:11")
    assert run.ex.decide(role="hom", inject="a", decision="d", option="yes").accepted
    run.clock.advance(1)
    late = run.ex.decide(role="hom", inject="b", decision="d", option="yes")
    assert not late.accepted and "closed at 00:11" in late.reason
    run.ex.tick()
    assert run.state.points[("b", "d")].status == "expired"
    assert run.state.points[("b", "d")].closed_at == 11 * MIN
