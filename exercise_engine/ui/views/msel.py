"""The facilitator's MSEL timeline: every inject with its state now.

States, in the words the room uses: ``scheduled`` (the clock or a condition will deliver it),
``contingency`` (only the facilitator delivers it), ``delivered``, ``awaiting decision`` (a
decision point is still open), ``decided``, ``expired`` (a window closed undecided) and ``closed``
(undecided when play ended). Manual injects written during play are rows too. Times are on the
scenario clock (``Mon 07:15``), like the top bar and the seats' inboxes.
"""

from __future__ import annotations

from dataclasses import dataclass

from exercise_engine.engine import ExerciseState
from exercise_engine.loading import LoadedScenario
from exercise_engine.model import Inject
from exercise_engine.ui.views.columns import Column, fit_widths, fixed_width, wrap_cell
from exercise_engine.ui.views.timefmt import scenario_clock_text, short_time

NEVER = 10**9
UNDATED = "--:--"

MSEL_LABELS = ("Time", "Inject", "State", "Title", "To", "Detail")


@dataclass(frozen=True)
class MselRow:
    """One line of the MSEL."""

    inject: str
    time: str
    """Delivery time if delivered, the expected time if known, else ``--:--`` (scenario clock)."""
    title: str
    to: str
    """The audience, as role abbreviations."""
    state: str
    detail: str
    """When the state was reached, or what will deliver it (the trigger in words)."""
    manual: bool
    """A contingency inject the facilitator may deliver by hand now."""
    order: tuple[int, int]


def audience_text(scenario: LoadedScenario, roles: list[str]) -> str:
    if roles and len(roles) == len(scenario.roles):
        return "all"
    return " ".join(scenario.roles[r].abbreviation if r in scenario.roles else r for r in roles)


def expected_time(inject: Inject, state: ExerciseState) -> int | None:
    """The exercise time the inject is due, where the clock alone decides it."""
    if inject.after is not None:
        anchor = state.deliveries.get(inject.after.inject)
        if anchor is None:
            return None
        return anchor.at + inject.after.delay
    if inject.at is not None and inject.when is None:
        return inject.at
    return None


def trigger_text(scenario: LoadedScenario, inject: Inject) -> str:
    """What will deliver an inject, in words (for rows the clock cannot date yet)."""
    if inject.manual:
        return "by hand"
    parts = []
    if inject.after is not None:
        parts.append(f"{inject.after.inject}+{short_time(inject.after.delay)}")
    if inject.at is not None:
        parts.append(scenario_clock_text(scenario, inject.at))
    if inject.when is not None:
        parts.append(f"when {inject.when}")
    if inject.phase is not None:
        parts.append(f"in {inject.phase}")
    return " ".join(parts)


def point_state(scenario: LoadedScenario, state: ExerciseState, inject: str) -> tuple[str, str]:
    """The state of a delivered inject's decision points: (state, detail)."""
    points = [p for (i, _d), p in state.points.items() if i == inject]
    if not points:
        return "", ""
    open_points = [p for p in points if p.is_open]
    if open_points:
        due = [p.deadline for p in open_points if p.deadline is not None]
        if not due:
            return "awaiting decision", "no deadline"
        return "awaiting decision", f"due {scenario_clock_text(scenario, min(due))}"
    closed_at = scenario_clock_text(scenario, max(p.closed_at or 0 for p in points))
    for status in ("expired", "closed"):
        if any(p.status == status for p in points):
            return status, closed_at
    return "decided", closed_at


def msel_rows(scenario: LoadedScenario, state: ExerciseState) -> list[MselRow]:
    """Every inject (and every manual inject written in play), in time order."""
    rows: list[MselRow] = []
    for index, (iid, inject) in enumerate(scenario.injects.items()):
        delivery = state.deliveries.get(iid)
        if delivery is not None:
            status, detail = point_state(scenario, state, iid)
            rows.append(
                MselRow(
                    iid,
                    scenario_clock_text(scenario, delivery.at),
                    inject.title,
                    audience_text(scenario, delivery.roles),
                    status or "delivered",
                    detail or ("by hand" if delivery.manual else ""),
                    False,
                    (delivery.at, index),
                )
            )
            continue
        due = expected_time(inject, state)
        rows.append(
            MselRow(
                iid,
                scenario_clock_text(scenario, due) if due is not None else UNDATED,
                inject.title,
                audience_text(scenario, scenario.audience(inject)),
                "contingency" if inject.manual else "scheduled",
                trigger_text(scenario, inject),
                inject.manual,
                (due if due is not None else NEVER, index),
            )
        )
    for offset, (mid, payload) in enumerate(state.manual_injects.items()):
        at = int(payload.get("at", 0))
        rows.append(
            MselRow(
                mid,
                scenario_clock_text(scenario, at),
                str(payload.get("title", "")),
                audience_text(scenario, list(payload.get("to", []))),
                "delivered",
                "written in play",
                False,
                (at, len(scenario.injects) + offset),
            )
        )
    return sorted(rows, key=lambda r: r.order)


def msel_widths(rows: list[MselRow], total: int) -> list[int]:
    """Column widths for the MSEL in ``total`` cells: time, inject and state whole; the title,
    the audience and the detail share the rest (wrapping onto a second line)."""
    columns = [
        Column("Time", fixed_width("Time", [r.time for r in rows] or ["Mon 07:15"], 10)),
        Column("Inject", fixed_width("Inject", [r.inject for r in rows], 16)),
        Column("State", fixed_width("State", ["contingency", "delivered"], 11)),
        Column("Title", share=3, minimum=12),
        Column("To", share=1, minimum=8),
        Column("Detail", share=2, minimum=13),
    ]
    return fit_widths(columns, total)


def msel_cells(row: MselRow, widths: list[int], lines: int = 2) -> list[list[str]]:
    """The row's cells as lines fitted to ``widths``."""
    _time, inject, state, title, to, detail = widths
    return [
        [row.time],
        wrap_cell(row.inject, inject, 1),
        wrap_cell(row.state, state, lines),
        wrap_cell(row.title, title, lines),
        wrap_cell(row.to, to, lines),
        wrap_cell(row.detail, detail, lines),
    ]
