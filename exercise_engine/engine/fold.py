"""State = fold(scenario, events): how each event kind changes an exercise's state.

This is the only place that writes to :class:`ExerciseState`. It is pure with respect to its
inputs: the same scenario and events always give the same state, which is what makes resume
after a crash a replay and a fork a prefix of another journal.

While a savepoint is open (``state.undo``), each change to a dict or a point is logged first so
it can be undone; when the state carries the engine's schedule, it is kept in step here too.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from exercise_engine.engine.rules import rules_for
from exercise_engine.engine.state import (
    Advice,
    Delivery,
    ExerciseState,
    PointState,
    Refusal,
    SeatLog,
    remember,
    remember_point,
)
from exercise_engine.loading.loaded import LoadedScenario
from exercise_engine.machines import EVENT_TRIGGERS, Lifecycle, LifecycleError
from exercise_engine.model.events import Draft, Event


class ReplayError(ValueError):
    """The journal holds an event that cannot follow the ones before it."""


def initial_state(scenario: LoadedScenario) -> ExerciseState:
    """The state before any event: initial variables and flags, the start phase."""
    return ExerciseState(
        scenario_id=scenario.id,
        scenario_hash=scenario.content_hash(),
        phase=scenario.file.start_phase,
        speed=scenario.file.clock.speed,
        variables={name: var.initial for name, var in scenario.file.variables.items()},
        flags=dict(scenario.file.flags),
        phase_history=[(0, scenario.file.start_phase)],
    )


def fold(scenario: LoadedScenario, events: Iterable[Event]) -> ExerciseState:
    """Replay ``events`` from the start."""
    state = initial_state(scenario)
    for event in events:
        apply(scenario, state, event, event.wall_time)
    return state


def apply(scenario: LoadedScenario, state: ExerciseState, event: Draft, wall_time: float) -> None:
    """Apply one event (journalled or about to be) to ``state``."""
    kind, t, p = event.kind, event.exercise_time, event.payload
    seq = event.seq if isinstance(event, Event) else 0
    log = state.undo
    if kind in EVENT_TRIGGERS:
        _lifecycle(state, kind, t, wall_time, p)
        if kind != "paused":  # the resume (or start, or end) after a recovery has come
            state.recovery_pending = False
    elif kind == "inject_delivered":
        _deliver(scenario, state, p, t, seq)
    elif kind in _CLOSING:
        _close(scenario, state, event, p, t, seq)
    elif kind == "decision_refused":
        state.refusals.append(
            Refusal(
                t,
                event.role,
                event.actor,
                p.get("inject", ""),
                p.get("decision", ""),
                p.get("reason", ""),
                seq,
            )
        )
    elif kind == "advice_recorded":
        state.advice.append(
            Advice(
                event.role or "",
                p["inject"],
                p["decision"],
                t,
                p.get("text", ""),
                p.get("recommend"),
                seq,
            )
        )
    elif kind == "variable_changed":
        remember(log, state.variables, p["name"])
        state.variables[p["name"]] = float(p["value"])
    elif kind == "flag_changed":
        remember(log, state.flags, p["name"])
        state.flags[p["name"]] = bool(p["value"])
    elif kind == "phase_changed":
        state.phase = p["to"]
        state.phase_entered_at = t
        state.phase_history.append((t, p["to"]))
    elif kind == "speed_changed":
        _re_anchor(state, t, wall_time)
        state.speed = float(p["speed"])
    elif kind == "time_jumped":
        state.last_time = max(state.last_time, int(p["to"]))
        _re_anchor(state, int(p["to"]), wall_time)
    elif kind == "inject_injected_manually":
        remember(log, state.manual_injects, p["inject"])
        state.manual_injects[p["inject"]] = {**p, "at": t, "seq": seq}
    elif kind == "pre_played":
        state.pre_played = {**p, "at": t, "seq": seq}
        for point in state.points.values():
            point.pre_played = point.pre_played or not point.is_open
    elif kind == "facilitator_note":
        state.notes.append({"at": t, "text": p.get("text", ""), "seq": seq})
    elif kind == "hot_wash_note":
        state.hot_wash.append(
            {"at": t, "kind": p.get("kind", "observation"), "text": p.get("text", ""), "seq": seq}
        )
    elif kind in ("seat_joined", "seat_left", "recovered"):
        for seat in list(state.seats) if kind == "recovered" else [str(p["seat"])]:
            remember(log, state.seats, seat)
        _presence(state, kind, p, wall_time)
    elif kind == "exercise_forked":
        # a fork starts with nobody in its room: the original's consoles are not its own
        state.seats = {
            seat: SeatLog(last_wall=log.last_wall, left=True) for seat, log in state.seats.items()
        }
    elif kind == "seat_set":
        remember(log, state.seat_played, str(p["role"]))
        remember(log, state.seat_participants, str(p["role"]))
        state.seat_played[str(p["role"])] = bool(p.get("played", True))
        state.seat_participants[str(p["role"])] = p.get("participant")
    elif kind == "inject_opened":
        inject_id = str(p["inject"])
        remember(log, state.opened, inject_id)
        # replaced, never changed in place: a copy of the state shares the inner dicts
        state.opened[inject_id] = {**state.opened.get(inject_id, {}), str(p["seat"]): t}
    elif kind == "exercise_created":
        state.scenario_id = p.get("scenario", state.scenario_id)
        state.syndicate = p.get("syndicate", "")
        if "speed" in p:
            state.speed = float(p["speed"])
    state.last_time = max(state.last_time, t)
    state.event_count += 1
    if isinstance(event, Event):
        state.last_seq = event.seq
        state.last_hash = event.hash


_CLOSING = {
    "decision_recorded": "decided",
    "decision_expired": "expired",
    "decision_closed": "closed",
}


def _close(
    scenario: LoadedScenario,
    state: ExerciseState,
    event: Draft,
    p: dict[str, Any],
    t: int,
    seq: int,
) -> None:
    """A point decided, expired or closed."""
    point = _point(state, p)
    was_open = point.is_open
    remember_point(state.undo, point)
    point.status = _CLOSING[event.kind]
    point.closed_at = t
    if event.kind == "decision_recorded":
        point.option = p.get("option")
        point.rationale = p.get("rationale", "")
        point.actor = event.actor
        point.on_behalf = bool(p.get("on_behalf"))
        point.seq = seq
    if was_open and state.schedule is not None:
        key = (point.inject, point.decision)
        state.schedule.closed(rules_for(scenario), key, point, state.undo)


def _presence(state: ExerciseState, kind: str, p: dict[str, Any], wall_time: float) -> None:
    """Join and leave open and close a seat's consoles; a recovery closes the consoles that
    were lost with the crash (they never said goodbye)."""
    if kind == "recovered":
        lost = frozenset(str(c) for c in p.get("consoles") or [])
        for seat, log in list(state.seats.items()):
            if log.consoles & lost:
                state.seats[seat] = SeatLog(
                    log.consoles - lost, log.clock_consoles - lost, log.last_wall, log.left
                )
        state.recovery_pending = True
        state.recoveries.append(
            {
                "offline_since": p.get("offline_since"),
                "stood_at": int(p.get("stood_at") or 0),
                "wall": wall_time,
            }
        )
        return
    seat, console = str(p["seat"]), str(p.get("console", ""))
    log = state.seats.get(seat, SeatLog())
    if kind == "seat_joined":
        clock = log.clock_consoles | {console} if p.get("clock") else log.clock_consoles
        state.seats[seat] = SeatLog(log.consoles | {console}, clock, wall_time)
    else:
        state.seats[seat] = SeatLog(
            log.consoles - {console}, log.clock_consoles - {console}, wall_time, left=True
        )


def _re_anchor(state: ExerciseState, t: int, wall_time: float) -> None:
    state.elapsed = t
    state.anchor_wall = wall_time if state.status == "running" else None


def _lifecycle(
    state: ExerciseState, kind: str, t: int, wall_time: float, p: dict[str, Any]
) -> None:
    machine = Lifecycle(initial=state.status)
    try:
        machine.fire(EVENT_TRIGGERS[kind])
    except LifecycleError as exc:
        raise ReplayError(f"{kind}: {exc}") from None
    state.status = machine.state
    _re_anchor(state, max(t, state.last_time), wall_time)
    if kind == "scenario_ended":
        state.ending = p.get("ending")
        state.ending_title = p.get("title", "")


def _deliver(
    scenario: LoadedScenario, state: ExerciseState, p: dict[str, Any], t: int, seq: int
) -> None:
    inject_id = p["inject"]
    if inject_id in state.deliveries:
        raise ReplayError(f"inject {inject_id!r} delivered twice")
    inject = scenario.injects.get(inject_id)
    if inject is None:
        raise ReplayError(f"unknown inject {inject_id!r}")
    log = state.undo
    remember(log, state.deliveries, inject_id)
    state.deliveries[inject_id] = Delivery(
        inject_id,
        t,
        list(p.get("roles", [])),
        state.phase,
        bool(p.get("manual")),
        seq,
        late=bool(p.get("late")),
    )
    for point in inject.decisions:
        deadline = t + point.respond_within if point.respond_within else None
        remember(log, state.points, (inject_id, point.id))
        state.points[(inject_id, point.id)] = PointState(
            inject=inject_id,
            decision=point.id,
            role=point.role,
            opened_at=t,
            deadline=deadline,
            phase=state.phase,
        )
    if state.schedule is not None:
        state.schedule.delivered(rules_for(scenario), state, inject_id, log)


def _point(state: ExerciseState, p: dict[str, Any]) -> PointState:
    key = (p["inject"], p["decision"])
    if key not in state.points:
        raise ReplayError(f"decision point {key[0]}/{key[1]} was never opened")
    return state.points[key]
