"""What evaluators and the facilitator may record after (or during) play: ratings, objective
ratings, improvement-plan edits and seats — the checks, as pure functions.

Who calls it: ``exercise_engine.exercise`` (which journals what these allow) and the after-action
package (which reads the same vocabularies back). Every check returns the reason a command is
refused, naming the bad field, or None; nothing here does I/O. Ratings and plan edits are journal
events, so an evaluator's judgement is appended, never written over.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Literal, get_args

from exercise_engine.loading.loaded import LoadedScenario

Rating = Literal["P", "S", "M", "U"]
"""HSEEP ratings: performed without challenges (P), with some (S), with major (M), unable (U)."""
RATINGS: tuple[str, ...] = get_args(Rating)

CapabilityElement = Literal["planning", "organisation", "equipment", "training", "exercise"]
"""HSEEP's capability elements: where a corrective action is made."""
CAPABILITY_ELEMENTS: tuple[str, ...] = get_args(CapabilityElement)

PlanStatus = Literal["not started", "in progress", "complete", "deferred"]
"""Where a corrective action stands."""
PLAN_STATUSES: tuple[str, ...] = get_args(PlanStatus)

PLAN_FIELDS: tuple[str, ...] = (
    "issue",
    "corrective_action",
    "capability_element",
    "responsible_role",
    "point_of_contact",
    "start",
    "completion",
    "status",
)
"""The improvement-plan fields an evaluator may set on a row (HSEEP's IP matrix columns)."""

ROW_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:/-]{0,119}$")
"""A plan row's id: derived rows are ``finding id``s; new rows ``extra-<n>``."""


@dataclass(frozen=True)
class ObjectiveRef:
    """An objective an evaluator may rate: declared by the scenario, or derived from an area."""

    id: str
    text: str
    considerations: tuple[str, ...]
    points: tuple[str, ...]
    capability: str = ""
    derived: bool = False
    """True when the scenario declares no objectives and this one stands for a catalogue area."""


def slug(text: str) -> str:
    """Lowercase words joined by '-' (an area's name as an objective id)."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "area"


def scenario_objectives(scenario: LoadedScenario) -> list[ObjectiveRef]:
    """The scenario's ``[[objectives]]``; without any, one per area of the considerations its
    decision points put at stake (so a scenario written before objectives existed still gets an
    analysis per objective)."""
    if scenario.file.objectives:
        return [
            ObjectiveRef(
                id=o.id,
                text=o.text,
                considerations=o.considerations,
                points=o.points,
                capability=o.capability or "",
            )
            for o in scenario.file.objectives
        ]
    by_area: dict[str, set[str]] = {}
    points: dict[str, set[str]] = {}
    for inject, point in scenario.decision_points():
        stake = {cid for option in point.options for cid in option.evidence}
        if point.on_expire is not None:
            stake |= set(point.on_expire.evidence)
        for cid in stake:
            consideration = scenario.considerations.get(cid)
            if consideration is None:
                continue
            by_area.setdefault(consideration.area, set()).add(cid)
            points.setdefault(consideration.area, set()).add(f"{inject.id}/{point.id}")
    return [
        ObjectiveRef(
            id=slug(area),
            text=area,
            considerations=tuple(sorted(by_area[area])),
            points=tuple(sorted(points[area])),
            derived=True,
        )
        for area in sorted(by_area)
    ]


def normalize_rating(value: str) -> str | None:
    """``p`` or ``P`` → ``P``; None for anything that is not a rating."""
    text = value.strip().upper()
    return text if text in RATINGS else None


def rating_refusal(value: str) -> str | None:
    if normalize_rating(value) is None:
        return f"rating: {value!r} is not one of {', '.join(RATINGS)} (either case)"
    return None


def objective_refusal(scenario: LoadedScenario, objective: str) -> str | None:
    known = [o.id for o in scenario_objectives(scenario)]
    if objective not in known:
        return f"objective: unknown objective {objective!r} (this scenario's: {', '.join(known) or 'none'})"
    return None


def plan_refusal(
    scenario: LoadedScenario,
    row: str,
    fields: Mapping[str, str],
    current: Mapping[str, str] | None = None,
) -> str | None:
    """Why this plan edit cannot be journalled (naming the field), or None. ``current`` holds
    the row's fields as earlier edits left them (a completion date is checked against the start
    already set)."""
    if not ROW_ID.match(row):
        return f"plan row: {row!r} is not a plan row id (letters, digits, . _ : / -)"
    if not fields:
        return "plan: nothing to set (give FIELD=VALUE)"
    for name, value in fields.items():
        if name not in PLAN_FIELDS:
            return f"plan field: unknown field {name!r} (one of {', '.join(PLAN_FIELDS)})"
        if not isinstance(value, str):
            return f"plan field {name}: must be text"
        if name == "capability_element" and value not in CAPABILITY_ELEMENTS:
            return f"plan field capability_element: {value!r} is not one of {', '.join(CAPABILITY_ELEMENTS)}"
        if name == "status" and value not in PLAN_STATUSES:
            return f"plan field status: {value!r} is not one of {', '.join(PLAN_STATUSES)}"
        if name == "responsible_role" and value and value not in scenario.roles:
            return f"plan field responsible_role: {value!r} is not a role in play (one role id: {', '.join(scenario.roles)})"
        if name in ("start", "completion") and value:
            try:
                date.fromisoformat(value)
            except ValueError:
                return f"plan field {name}: {value!r} is not a date (YYYY-MM-DD)"
        if len(value) > 2000:
            return f"plan field {name}: longer than 2000 characters"
    merged = {**(current or {}), **fields}
    start, end = merged.get("start"), merged.get("completion")
    if start and end and date.fromisoformat(end) < date.fromisoformat(start):
        return f"plan field completion: {end} is before the start {start}"
    return None


def seat_refusal(scenario: LoadedScenario, role: str) -> str | None:
    if role not in scenario.roles:
        return f"role: {role!r} is not a seat in play (seats: {', '.join(scenario.roles)})"
    return None
