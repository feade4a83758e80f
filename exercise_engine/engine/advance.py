"""What falls due as exercise time moves on: deliveries, expiries, phase changes, the ending.

``advance`` is the functional heart of the runtime. Given a state and a target exercise time, it
returns the events that are due, each stamped with the exact exercise time it fell due at (not the
time the clock happened to tick), applying them to a scratch copy as it goes so that one event can
make the next due. Because stamps come from the scenario and the state alone, a real-time run, a
virtual-clock run and a replay produce the same journal (wall times aside).

Order at each moment: windows that closed (a window includes its last second), then deliveries (by due time, then file order), then
one phase transition, then the end conditions; repeated until nothing more is due at that moment,
then on to the next moment anything can happen (an ``at`` time, an ``after`` delay, a deadline, or
an ``elapsed`` threshold some condition compares against).

Runaway guard: phase transitions that undo each other would change phase forever at one moment.
The state after each phase change is fingerprinted; when one repeats, nothing can ever settle and
:class:`EngineError` names the loop (validation already refuses loops of always-true
transitions; this catches the ones that only loop in some state). A condition that cannot be
evaluated (a division by a variable now 0) raises :class:`EngineError` naming its place too.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Mapping
from itertools import pairwise

from exercise_engine.conditions import ConditionFailed
from exercise_engine.engine.fold import apply
from exercise_engine.engine.outcomes import outcome_drafts
from exercise_engine.engine.rules import Rules as Rules
from exercise_engine.engine.rules import rules_for as rules_for
from exercise_engine.engine.schedule import Schedule
from exercise_engine.engine.state import Delivery, ExerciseState, Savepoint
from exercise_engine.errors import ExerciseError
from exercise_engine.loading.loaded import LoadedScenario
from exercise_engine.model import Inject, format_duration
from exercise_engine.model.events import Draft

MAX_STEPS_AT_ONE_MOMENT = 10_000

Emit = Callable[[Draft], None]


class EngineError(ExerciseError):
    """The scenario cannot advance (phase transitions that loop forever, a condition that cannot
    be evaluated); the message names the loop or the condition and where it is written."""


def holds(scenario: LoadedScenario, key: str, state: ExerciseState) -> bool:
    """Whether the compiled condition ``key`` (``transition:0``, ``end:1``, ``inject:ID``) holds."""
    try:
        return rules_for(scenario).answers.holds(key, state)
    except ConditionFailed as exc:
        at = format_duration(max(state.moment, state.last_time))
        raise EngineError(
            f"{condition_place(scenario, key)}: {exc} (at {at}, phase {state.phase!r})"
        ) from None


def condition_place(scenario: LoadedScenario, key: str) -> str:
    """Where a condition is written, as a facilitator finds it: file and key."""
    kind, _, name = key.partition(":")
    main = scenario.sources[0].name if scenario.sources else scenario.id
    if kind == "transition":
        t = scenario.file.transitions[int(name)]
        return f"{main}: transitions[{name}] ({t.from_} -> {t.to})"
    if kind == "end":
        return f"{main}: end[{name}] ({scenario.ending_id(int(name))})"
    return f"{scenario.inject_files.get(name, main)}: inject {name!r}"


def due_after(inject: Inject, deliveries: Mapping[str, Delivery]) -> int | None:
    """When an inject's time triggers are met given these deliveries (0 if it has none); None
    while its ``after`` target has not been delivered."""
    times = [0]
    if inject.at is not None:
        times.append(inject.at)
    if inject.after is not None:
        target = deliveries.get(inject.after.inject)
        if target is None:
            return None
        times.append(target.at + inject.after.delay)
    return max(times)


def timed_due(inject: Inject, state: ExerciseState) -> int | None:
    """When an inject's time triggers are met in ``state`` (see :func:`due_after`)."""
    return due_after(inject, state.deliveries)


def schedule_of(rules: Rules, state: ExerciseState) -> Schedule:
    """The state's schedule, built on first use (``fold.apply`` keeps it in step after that)."""
    schedule = state.schedule
    if schedule is None:
        schedule = state.schedule = Schedule.build(rules, state)
    return schedule


def gate_open(scenario: LoadedScenario, state: ExerciseState) -> bool:
    """A gated phase holds its transitions while a point delivered in it is still open."""
    phase = scenario.phases.get(state.phase)
    if phase is None or not phase.gate:
        return True
    return schedule_of(rules_for(scenario), state).gate_open(state.phase)


def advance(
    scenario: LoadedScenario, state: ExerciseState, until: int, wall: float
) -> tuple[list[Draft], ExerciseState]:
    """The events due up to exercise time ``until``, and the state after them (a copy: ``state``
    is left as it was). Prefer :func:`due_drafts` (no copy) or :func:`advance_in_place`."""
    work = state.copy()
    return advance_in_place(scenario, work, until, wall), work


def due_drafts(
    scenario: LoadedScenario, state: ExerciseState, until: int, wall: float
) -> list[Draft]:
    """The events due up to exercise time ``until``; ``state`` is left as it was.

    Worked out on ``state`` itself under a :class:`Savepoint` and rolled back (also when the
    engine stops with an error): the cost is what the events change, not a copy of the state.
    """
    schedule_of(rules_for(scenario), state)  # built outside the savepoint: it is kept
    savepoint = Savepoint(state)
    try:
        return advance_in_place(scenario, state, until, wall)
    finally:
        savepoint.rollback()


def advance_in_place(
    scenario: LoadedScenario, state: ExerciseState, until: int, wall: float
) -> list[Draft]:
    """Apply to ``state`` the events due up to exercise time ``until``; return them."""
    drafts: list[Draft] = []
    if state.status != "running":
        return drafts
    rules = rules_for(scenario)

    def emit(draft: Draft) -> None:
        apply(scenario, state, draft, wall)
        drafts.append(draft)

    t = state.last_time
    while True:
        if _settle(rules, state, t, emit):
            # the clock was re-anchored at the jump's far side: that is "now"
            until = state.last_time
        t = max(t, state.last_time)
        if state.status != "running":
            break
        nxt = next_moment(rules, state, t)
        if nxt is None or nxt > until:
            break
        t = nxt
    return drafts


def next_moment(rules: Rules, state: ExerciseState, t: int) -> int | None:
    """The next exercise time after ``t`` at which something may fall due: an inject's time, the
    second after a deadline, or an ``elapsed`` threshold of some condition."""
    schedule = schedule_of(rules, state)
    candidates = [schedule.next_due_after(t), schedule.next_close_after(t)]
    thresholds = rules.thresholds
    index = bisect_right(thresholds, t)
    if index < len(thresholds):
        candidates.append(thresholds[index])
    known = [c for c in candidates if c is not None]
    return min(known) if known else None


def next_inject_time(scenario: LoadedScenario, state: ExerciseState) -> int | None:
    """When the next timed inject falls due in the current phase (for "jump to next inject")."""
    rules = rules_for(scenario)
    now = state.last_time
    times = []
    for inject in rules.timed:
        if inject.id in state.deliveries:
            continue
        if inject.phase is not None and inject.phase != state.phase:
            continue
        due = timed_due(inject, state)
        if due is not None and due > now:
            times.append(due)
    return min(times) if times else None


def _settle(rules: Rules, work: ExerciseState, t: int, emit: Emit) -> int:
    """Emit everything due at moment ``t`` (repeatedly); return any time jumped by a phase."""
    scenario = rules.scenario
    jumped = 0
    seen: dict[tuple[object, ...], int] = {}
    began = t
    for _ in range(MAX_STEPS_AT_ONE_MOMENT):
        before = work.event_count
        t = max(t, work.last_time)
        work.moment = t
        schedule = schedule_of(rules, work)
        # 1. windows that close
        closing = [work.points[(key[3], key[4])] for key in schedule.closing(t)]
        for point in closing:
            # stamped at its deadline; after a time jump over it, where the clock landed (the
            # clock's anchor passes a deadline only through a jump: every other anchor ticks first)
            closed = max(point.deadline or 0, work.elapsed)
            emit(
                Draft(
                    "decision_expired",
                    closed,
                    "system",
                    point.role,
                    {
                        "inject": point.inject,
                        "decision": point.decision,
                        "deadline": point.deadline,
                    },
                )
            )
            decision = scenario.decision_point(point.inject, point.decision)
            if decision is not None and decision.on_expire is not None:
                cause = {"kind": "expired", "inject": point.inject, "decision": point.decision}
                for draft in outcome_drafts(
                    scenario, work, decision.on_expire, cause, closed, "system"
                ):
                    emit(draft)
        # 2. deliveries
        due = _deliverable(rules, work, schedule.ripe(work.phase, t))
        for inject in due:
            if inject.id in work.deliveries:
                continue
            payload = {
                "inject": inject.id,
                "roles": scenario.audience(inject),
                "due": timed_due(inject, work),
            }
            emit(Draft("inject_delivered", t, "system", None, payload))
        # 3. one phase transition
        if work.event_count == before:

            def guard(index: int) -> bool:
                return gate_open(scenario, work) and holds(scenario, f"transition:{index}", work)

            moved = rules.phases.next_phase(work.phase, guard)
            if moved is not None:
                dest, index = moved
                _check_loop(scenario, work, t, dest, seen)
                emit(
                    Draft(
                        "phase_changed",
                        t,
                        "system",
                        None,
                        {"from": work.phase, "to": dest, "transition": index},
                    )
                )
                advance_by = scenario.phases[dest].advance
                if advance_by:
                    emit(
                        Draft(
                            "time_jumped",
                            t,
                            "system",
                            None,
                            {
                                "from": t,
                                "to": t + advance_by,
                                "reason": f"entering {dest!r} moves the clock on {format_duration(advance_by)}",
                            },
                        )
                    )
                    jumped += advance_by
        # 4. the end
        if work.event_count == before:
            for index, _ending in enumerate(scenario.file.end):
                if holds(scenario, f"end:{index}", work):
                    finish(scenario, work, t, emit, index)
                    return jumped
        if work.event_count == before:
            return jumped
    recent = " -> ".join(p for _, p in work.phase_history[-6:])
    raise EngineError(
        f"more than {MAX_STEPS_AT_ONE_MOMENT} events from {format_duration(began)} on without"
        f" settling (latest phases: {recent}): phase transitions undo each other; play stopped"
    )


def _deliverable(
    rules: Rules, work: ExerciseState, ripe: list[tuple[int, int, str]]
) -> list[Inject]:
    """Of the injects whose time has come (by due time, then file order), those whose ``when``
    holds; conditions are evaluated in file order (the first that cannot be evaluated stops)."""
    injects = rules.scenario.injects
    conditional = sorted((order, iid) for _due, order, iid in ripe if injects[iid].when is not None)
    blocked = {
        iid for _order, iid in conditional if not holds(rules.scenario, f"inject:{iid}", work)
    }
    return [injects[iid] for _due, _order, iid in ripe if iid not in blocked]


def _check_loop(
    scenario: LoadedScenario,
    work: ExerciseState,
    t: int,
    dest: str,
    seen: dict[tuple[object, ...], int],
) -> None:
    """Raise EngineError when entering ``dest`` returns to a state already left at this moment."""
    fingerprint = (
        dest,
        work.last_time,
        tuple(sorted(work.variables.items())),
        tuple(sorted(work.flags.items())),
        len(work.deliveries),
        sum(not p.is_open for p in work.points.values()),
    )
    if fingerprint in seen:
        start = seen[fingerprint]
        phases = [p for _, p in work.phase_history[start:]] + [dest]
        taken = [
            i
            for i, tr in enumerate(scenario.file.transitions)
            if any(tr.from_ == a and tr.to == b for a, b in pairwise(phases))
        ]
        where = ", ".join(f"transitions[{i}]" for i in taken)
        raise EngineError(
            f"phase transitions loop at {format_duration(t)}: {' -> '.join(phases)}"
            f" ({where} hold at once and undo each other); play stopped"
        )
    seen[fingerprint] = len(work.phase_history)


def finish(
    scenario: LoadedScenario,
    work: ExerciseState,
    t: int,
    emit: Emit,
    ending: int | None,
    actor: str = "system",
) -> None:
    """Close every open point and end the scenario (with an ending, or by the facilitator)."""
    for point in sorted(work.open_points(), key=lambda p: (p.opened_at, p.inject, p.decision)):
        emit(
            Draft(
                "decision_closed",
                t,
                actor,
                point.role,
                {
                    "inject": point.inject,
                    "decision": point.decision,
                    "reason": "the exercise ended",
                },
            )
        )
    if ending is None:
        payload = {"ending": None, "title": "Ended by the facilitator"}
    else:
        spec = scenario.file.end[ending]
        payload = {
            "ending": scenario.ending_id(ending),
            "title": spec.title or scenario.ending_id(ending),
        }
    emit(Draft("scenario_ended", t, actor, None, payload))
