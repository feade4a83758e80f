"""The imperative shell that drives an exercise's clock.

Two drivers: :func:`play_script` moves a :class:`VirtualClock` from one scripted row to the next
and then to the scenario's end (headless play, tests, demos, lint); :func:`run_live` ticks a real
clock for a facilitator process with no screen. The Textual facilitator console ticks the same
``Exercise.tick`` from a timer.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from exercise_engine.clock import VirtualClock
from exercise_engine.engine import next_moment, rules_for
from exercise_engine.exercise import Exercise
from exercise_engine.model.events import Event
from exercise_engine.model.playthrough import Playthrough

MAX_MOMENTS = 1_000_000


@dataclass
class ScriptRefusal:
    """A scripted row the engine refused, with the row's place in the file."""

    table: str
    index: int
    reason: str


@dataclass
class PlayResult:
    """What a scripted run did."""

    refusals: list[ScriptRefusal] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    stuck: str = ""
    """Why the run stopped before an ending, if it did."""


def advance_clock_to(exercise: Exercise, clock: VirtualClock, target: int) -> list[Event]:
    """Move the virtual clock until the exercise time reaches ``target``, ticking on the way."""
    events: list[Event] = []
    while exercise.state.status == "running" and exercise.now() < target:
        gap = target - exercise.now()
        clock.advance(gap / exercise.state.speed)
        if exercise.now() < target:  # float rounding: nudge to the exact second
            clock.advance(1 / exercise.state.speed)
        events += exercise.tick()
    return events


def play_script(
    exercise: Exercise,
    clock: VirtualClock,
    script: Playthrough,
    on_events: Callable[[list[Event]], None] | None = None,
) -> PlayResult:
    """Play every scripted row at its time, then run the clock until the scenario ends."""
    result = PlayResult()

    def seen(events: list[Event]) -> None:
        result.events += events
        if on_events and events:
            on_events(events)

    if exercise.state.status == "draft":
        seen(exercise.open_briefing())
    if exercise.state.status == "briefing":
        seen(exercise.start())
    rows: list[tuple[int, int, str, int]] = []
    rows += [(d.at, 1, "decision", i) for i, d in enumerate(script.decision)]
    rows += [(a.at, 0, "advice", i) for i, a in enumerate(script.advice)]
    rows += [(n.at, 2, "note", i) for i, n in enumerate(script.note)]
    for at, _order, table, index in sorted(rows):
        if exercise.state.status not in ("running", "paused"):
            result.refusals.append(ScriptRefusal(table, index, "the exercise had already ended"))
            continue
        seen(advance_clock_to(exercise, clock, at))
        if table == "decision":
            d = script.decision[index]
            outcome = exercise.decide(
                role=d.role,
                inject=d.inject,
                decision=d.decision,
                option=d.option,
                rationale=d.rationale,
                actor="facilitator" if d.hot_seat else None,
            )
        elif table == "advice":
            a = script.advice[index]
            outcome = exercise.advise(
                role=a.role,
                inject=a.inject,
                decision=a.decision,
                text=a.text,
                recommend=a.recommend,
            )
        else:
            seen(exercise.note(script.note[index].text))
            continue
        seen(outcome.events)
        if not outcome.accepted:
            result.refusals.append(ScriptRefusal(table, index, outcome.reason))
        seen(exercise.tick())
    result.stuck = run_to_end(exercise, clock, seen)
    return result


def run_to_end(
    exercise: Exercise, clock: VirtualClock, seen: Callable[[list[Event]], None] | None = None
) -> str:
    """Run the virtual clock from moment to moment until the scenario ends; '' or why it stopped."""
    rules = rules_for(exercise.scenario)
    for _ in range(MAX_MOMENTS):
        if exercise.state.status != "running":
            return ""
        target = next_moment(rules, exercise.state, exercise.now())
        if target is None:
            return f"nothing more can happen: the scenario is in phase {exercise.state.phase!r} and no end condition holds"
        events = advance_clock_to(exercise, clock, target)
        if seen:
            seen(events)
    return "the scenario did not end within a million moments"


def run_live(
    exercise: Exercise, interval: float = 0.2, stop: Callable[[], bool] = lambda: False
) -> None:
    """Tick a real clock until the scenario ends or ``stop()`` says so (headless facilitator)."""
    while exercise.state.status in ("running", "paused") and not stop():
        exercise.tick()
        time.sleep(interval)
