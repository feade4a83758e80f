"""The decision board: who owes what, how long is left, which advice has come in.

Shared by the facilitator's board and the participant's decision and advice lists, so both
consoles describe a decision point the same way. Times are on the scenario clock (``Mon 07:15``)
and what is left is counted in real time at the current speed (issue 13).

Urgency order: open points with the least time left first, then open points without a response
window ("pending": owed, but no clock runs on them), then the closed ones, latest first.
"""

from __future__ import annotations

from dataclasses import dataclass

from exercise_engine.engine import Advice, ExerciseState, PointState
from exercise_engine.loading import LoadedScenario
from exercise_engine.ui.views.columns import Column, fit_widths, fixed_width, wrap_cell
from exercise_engine.ui.views.timefmt import (
    countdown_text,
    real_seconds,
    scenario_clock_text,
    short_duration,
)

PointKey = tuple[str, str]

BOARD_LABELS = ("Seat", "State", "Time", "Advice", "Decision", "Answer")
"""The board's columns, in order: the four a facilitator scans, then the prose."""


@dataclass(frozen=True)
class BoardRow:
    """One decision point on the facilitator's board."""

    key: PointKey
    seat: str
    """The deciding role's abbreviation."""
    state: str
    """``open``, ``decided``, ``expired`` or ``closed``."""
    time: tuple[str, ...]
    """While open: the deadline on the scenario clock, then the real time left at this speed
    (``Mon 07:15`` / ``4m30s left``); once closed, when it closed."""
    advice: str
    """Advice received over advice asked (``1/2``); ``–`` when nobody is consulted."""
    prompt: str
    answer: str
    """The chosen option's label (``[hot seat]`` when the facilitator recorded it)."""

    @property
    def owed(self) -> bool:
        """The point is still owed (open): what the "still owed" filter keeps."""
        return self.state == "open"


def point_advice(state: ExerciseState, key: PointKey) -> list[Advice]:
    return [a for a in state.advice if (a.inject, a.decision) == key]


def option_label(scenario: LoadedScenario, key: PointKey, option: str | None) -> str:
    if option is None:
        return "answered in writing"
    found = scenario.option(key[0], key[1], option)
    return found.label if found else option


def advice_marks(scenario: LoadedScenario, state: ExerciseState, key: PointKey) -> str:
    """Each consulted role's abbreviation, ticked once its advice is in (``PC ✓  HoM ·``)."""
    spec = scenario.decision_point(*key)
    if spec is None:
        return ""
    given = {a.role for a in point_advice(state, key)}
    marks = []
    for role in spec.consult:
        abbr = scenario.roles[role].abbreviation if role in scenario.roles else role
        marks.append(f"{abbr} {'✓' if role in given else '·'}")
    return "  ".join(marks)


def advice_count(scenario: LoadedScenario, state: ExerciseState, key: PointKey) -> str:
    """``given/asked`` over the consulted roles; advice from others counts alone."""
    spec = scenario.decision_point(*key)
    given = {a.role for a in point_advice(state, key)}
    consult = list(spec.consult) if spec else []
    if consult:
        return f"{len(given & set(consult))}/{len(consult)}"
    return str(len(given)) if given else "–"


def timing_text(
    scenario: LoadedScenario, point: PointState, now: int, speed: float, running: bool
) -> str:
    """The countdown while open (``due Mon 07:15, 4 min 30 s left``); when it closed otherwise."""
    if point.is_open:
        return countdown_text(scenario, point.deadline, now, speed, running)
    return f"{point.status} {scenario_clock_text(scenario, point.closed_at or 0)}"


def board_time(
    scenario: LoadedScenario, point: PointState, now: int, speed: float, running: bool
) -> tuple[str, ...]:
    """The board's Time cell: ``Mon 07:15`` over ``4m30s left`` (or ``paused``, ``time up``)."""
    if not point.is_open:
        return (scenario_clock_text(scenario, point.closed_at or 0),)
    if point.deadline is None:
        return ("no deadline",)
    due = scenario_clock_text(scenario, point.deadline)
    left = point.deadline - now
    if left <= 0:
        return (due, "time up")
    real = short_duration(real_seconds(left, speed))
    return (due, f"{real} left" if running else f"{real} paused")


def urgency(point: PointState) -> tuple[int, int, int]:
    """Sort key: open with the least time left, then open without a window, then closed
    (latest first)."""
    if point.is_open and point.deadline is not None:
        return (0, point.deadline, point.opened_at)
    if point.is_open:
        return (1, point.opened_at, 0)
    return (2, -(point.closed_at or 0), 0)


def board_rows(
    scenario: LoadedScenario,
    state: ExerciseState,
    now: int,
    running: bool,
    *,
    owed_only: bool = False,
) -> list[BoardRow]:
    """Every opened decision point, most urgent first (only the open ones with ``owed_only``)."""
    rows = []
    for point in sorted(state.points.values(), key=urgency):
        if owed_only and not point.is_open:
            continue
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
                key=key,
                seat=role.abbreviation if role else point.role,
                state=point.status,
                time=board_time(scenario, point, now, state.speed, running),
                advice=advice_count(scenario, state, key),
                prompt=spec.prompt if spec else point.decision,
                answer=answer,
            )
        )
    return rows


def board_widths(scenario: LoadedScenario, rows: list[BoardRow], total: int) -> list[int]:
    """Column widths for the board in ``total`` cells: the scanned columns whole, the prompt and
    the answer share the rest (the prompt a little more)."""
    seats = [r.abbreviation for r in scenario.roles.values()] + [r.seat for r in rows]
    columns = [
        Column("Seat", fixed_width("Seat", seats, 12)),
        Column("State", fixed_width("State", ["decided", "expired"], 8)),
        Column("Time", fixed_width("Time", [t for r in rows for t in r.time] or ["Mon 07:15"], 13)),
        Column("Advice", fixed_width("Advice", [r.advice for r in rows], 7)),
        Column("Decision", share=3, minimum=12),
        Column("Answer", share=2, minimum=10),
    ]
    return fit_widths(columns, total)


def board_cells(row: BoardRow, widths: list[int], lines: int = 2) -> list[list[str]]:
    """The row's cells as lines fitted to ``widths``: prompt and answer wrap onto ``lines``."""
    seat, _state, _time, _advice, prompt, answer = widths
    return [
        wrap_cell(row.seat, seat, 1),
        [row.state],
        list(row.time),
        [row.advice],
        wrap_cell(row.prompt, prompt, lines),
        wrap_cell(row.answer, answer, lines),
    ]
