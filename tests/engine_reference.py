"""The engine's scheduling as it was before the indexed scheduler: a straightforward scan of
every inject and every point at every moment, on a copy of the state.

Kept in the tests as the reference the indexed engine must agree with event for event
(``tests/test_engine_equivalence.py``): slow (O(injects) per moment) but obviously right.
"""

from __future__ import annotations

from collections.abc import Callable

from exercise_engine.conditions import evaluate
from exercise_engine.engine.advance import _check_loop, finish, timed_due
from exercise_engine.engine.fold import apply
from exercise_engine.engine.outcomes import outcome_drafts
from exercise_engine.engine.rules import Rules, rules_for
from exercise_engine.engine.state import ExerciseState
from exercise_engine.loading.loaded import LoadedScenario
from exercise_engine.model import Inject, format_duration
from exercise_engine.model.events import Draft

Emit = Callable[[Draft], None]


def holds(scenario: LoadedScenario, key: str, state: ExerciseState) -> bool:
    """A condition evaluated afresh every time (no cache)."""
    return evaluate(scenario.conditions[key], state)


def _is_due(rules: Rules, inject: Inject, state: ExerciseState, t: int) -> bool:
    if inject.id in state.deliveries:
        return False
    due = timed_due(inject, state)
    if due is None or due > t:
        return False
    if inject.phase is not None and inject.phase != state.phase:
        return False
    if inject.when is not None:
        return holds(rules.scenario, f"inject:{inject.id}", state)
    return True


def gate_open(scenario: LoadedScenario, state: ExerciseState) -> bool:
    phase = scenario.phases.get(state.phase)
    if phase is None or not phase.gate:
        return True
    return not any(p.is_open and p.phase == state.phase for p in state.points.values())


def reference_advance(
    scenario: LoadedScenario, state: ExerciseState, until: int, wall: float
) -> tuple[list[Draft], ExerciseState]:
    work = state.copy()
    work.schedule = None  # the reference never looks at the indexes
    drafts: list[Draft] = []
    if work.status != "running":
        return drafts, work
    rules = rules_for(scenario)

    def emit(draft: Draft) -> None:
        apply(scenario, work, draft, wall)
        drafts.append(draft)

    t = work.last_time
    while True:
        if _settle(rules, work, t, emit):
            until = work.last_time
        t = max(t, work.last_time)
        if work.status != "running":
            break
        nxt = reference_next_moment(rules, work, t)
        if nxt is None or nxt > until:
            break
        t = nxt
    return drafts, work


def reference_next_moment(rules: Rules, state: ExerciseState, t: int) -> int | None:
    candidates: list[int] = []
    for inject in rules.timed:
        if inject.id not in state.deliveries:
            due = timed_due(inject, state)
            if due is not None and due > t:
                candidates.append(due)
    candidates += [
        p.deadline + 1
        for p in state.points.values()
        if p.is_open and p.deadline is not None and p.deadline + 1 > t
    ]
    candidates += [x for x in rules.thresholds if x > t][:1]
    return min(candidates) if candidates else None


def _settle(rules: Rules, work: ExerciseState, t: int, emit: Emit) -> int:
    scenario = rules.scenario
    jumped = 0
    seen: dict[tuple[object, ...], int] = {}
    for _ in range(10_000):
        before = work.event_count
        t = max(t, work.last_time)
        work.moment = t
        closing = sorted(
            (
                p
                for p in work.points.values()
                if p.is_open and p.deadline is not None and p.deadline < t
            ),
            key=lambda p: (p.deadline or 0, rules.order[p.inject]),
        )
        for point in closing:
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
        due = [i for i in rules.timed if _is_due(rules, i, work, t)]
        due.sort(key=lambda i: (timed_due(i, work) or 0, rules.order[i.id]))
        for inject in due:
            if inject.id in work.deliveries:
                continue
            payload = {
                "inject": inject.id,
                "roles": scenario.audience(inject),
                "due": timed_due(inject, work),
            }
            emit(Draft("inject_delivered", t, "system", None, payload))
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
        if work.event_count == before:
            for index, _ending in enumerate(scenario.file.end):
                if holds(scenario, f"end:{index}", work):
                    finish(scenario, work, t, emit, index)
                    return jumped
        if work.event_count == before:
            return jumped
    raise AssertionError("the reference did not settle")
