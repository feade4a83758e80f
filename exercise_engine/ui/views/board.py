"""The decision board: who owes what, how long is left, which advice has come in.

Shared by the facilitator's board and the participant's decision and advice lists, so both
consoles describe a decision point the same way.
"""

from __future__ import annotations

from dataclasses import dataclass

from exercise_engine.engine import Advice, ExerciseState, PointState
from exercise_engine.loading import LoadedScenario
from exercise_engine.ui.views.timefmt import countdown_text, short_time

PointKey = tuple[str, str]


@dataclass(frozen=True)
class BoardRow:
    """One decision point on the facilitator's board."""

    key: PointKey
    role: str
    """The deciding role's abbreviation."""
    prompt: str
    state: str
    """``open``, ``decided``, ``expired`` or ``closed``."""
    timing: str
    """The countdown while open (minutes and seconds); when it closed otherwise."""
    advice: str
    """Each consulted role's abbreviation, ticked once its advice is in."""
    answer: str
    """The chosen option's label (``[hot seat]`` when the facilitator recorded it)."""


def point_advice(state: ExerciseState, key: PointKey) -> list[Advice]:
    return [a for a in state.advice if (a.inject, a.decision) == key]


def option_label(scenario: LoadedScenario, key: PointKey, option: str | None) -> str:
    if option is None:
        return "answered in writing"
    found = scenario.option(key[0], key[1], option)
    return found.label if found else option


def advice_marks(scenario: LoadedScenario, state: ExerciseState, key: PointKey) -> str:
    spec = scenario.decision_point(*key)
    if spec is None:
        return ""
    given = {a.role for a in point_advice(state, key)}
    marks = []
    for role in spec.consult:
        abbr = scenario.roles[role].abbreviation if role in scenario.roles else role
        marks.append(f"{abbr} {'✓' if role in given else '·'}")
    return "  ".join(marks)


def timing_text(point: PointState, now: int, speed: float, running: bool) -> str:
    """The countdown while open (with real time at this speed); when it closed otherwise."""
    if point.is_open:
        return countdown_text(point.deadline, now, speed, running)
    return f"{point.status} {short_time(point.closed_at or 0)}"


def board_timing(point: PointState, now: int, running: bool) -> str:
    """The same, short enough for a table column: ``12:30 left``, ``paused``, ``at 00:14``."""
    if not point.is_open:
        return f"at {short_time(point.closed_at or 0)}"
    if point.deadline is None:
        return "no deadline"
    left = point.deadline - now
    if left <= 0:
        return "time is up"
    minutes, seconds = divmod(left, 60)
    text = f"{minutes:02d}:{seconds:02d} left"
    return text if running else f"{text}, paused"


def board_rows(
    scenario: LoadedScenario, state: ExerciseState, now: int, running: bool
) -> list[BoardRow]:
    """Open points first (soonest deadline first), then the closed ones, latest first."""
    rows = []
    open_points = sorted(
        (p for p in state.points.values() if p.is_open),
        key=lambda p: (p.deadline if p.deadline is not None else 10**9, p.opened_at),
    )
    closed = sorted(
        (p for p in state.points.values() if not p.is_open),
        key=lambda p: -(p.closed_at or 0),
    )
    for point in [*open_points, *closed]:
        key = (point.inject, point.decision)
        spec = scenario.decision_point(*key)
        answer = ""
        if point.status == "decided":
            answer = option_label(scenario, key, point.option)
            if point.on_behalf:
                answer += " [hot seat]"
        role = scenario.roles.get(point.role)
        rows.append(
            BoardRow(
                key,
                role.abbreviation if role else point.role,
                spec.prompt if spec else point.decision,
                point.status,
                board_timing(point, now, running),
                advice_marks(scenario, state, key),
                answer,
            )
        )
    return rows
