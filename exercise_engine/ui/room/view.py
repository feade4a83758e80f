"""What the room may see: the clock, the phase, the public injects and who owes which decision.

Who calls it: :mod:`exercise_engine.ui.room.screen` (the projector console) and its tests. Why a
module of its own: the projector faces the whole room, so what it shows is a privacy decision,
made here in plain functions without Textual. It shows an inject only when every seat receives
the same text (``to = "all"`` and no variants, or a manual inject sent to every seat); it never
shows a join code, a world gauge, an option's effects nor a private inject's title.
"""

from __future__ import annotations

from dataclasses import dataclass

from exercise_engine.engine import ExerciseState, PointState
from exercise_engine.loading import LoadedScenario
from exercise_engine.model.inject import ALL
from exercise_engine.ui.views.board import option_label
from exercise_engine.ui.views.timefmt import scenario_clock_text

PointKey = tuple[str, str]

DUE_SOON_SECONDS = 60
"""A decision is "due soon" once this much exercise time (or a fifth of its window) is left."""


@dataclass(frozen=True)
class PublicInject:
    """An inject every seat received in the same words."""

    key: str
    at: int
    when: str
    """The scenario's time of day, ``Tue 06:12``."""
    channel: str
    sender: str
    title: str
    body: str


@dataclass(frozen=True)
class RoomRow:
    """One decision point on the room's board: no options' effects, no advice text."""

    key: PointKey
    seat: str
    """The deciding seat's abbreviation."""
    prompt: str
    state: str
    """``OPEN``, ``DECIDED``, ``EXPIRED`` or ``CLOSED``."""
    due: str
    """While open: when it is due on the scenario clock (``Tue 07:15``); otherwise when it closed."""
    left: str
    """While open: ``04:30`` left (``time is up``, ``no deadline``); empty once closed."""
    answer: str
    """The chosen option's label once decided (the shared log tells every seat as much)."""
    urgent: bool
    """Open and due soon (or overdue): the board shows it in the warning colour."""


def is_public(scenario: LoadedScenario, inject_id: str) -> bool:
    """Whether every seat gets the same text of this scripted inject."""
    inject = scenario.injects.get(inject_id)
    return inject is not None and ALL in inject.to and not inject.variants


def public_injects(scenario: LoadedScenario, state: ExerciseState) -> list[PublicInject]:
    """The injects the whole room may read, newest first."""
    channels = scenario.channels
    found: list[tuple[int, int, PublicInject]] = []
    for delivery in state.deliveries.values():
        inject = scenario.injects.get(delivery.inject)
        if inject is None or not is_public(scenario, inject.id):
            continue
        item = PublicInject(
            inject.id,
            delivery.at,
            scenario_clock_text(scenario, delivery.at),
            channels.get(inject.channel, inject.channel),
            inject.sender,
            inject.title,
            inject.body,
        )
        found.append((delivery.at, delivery.seq, item))
    every_seat = set(scenario.roles)
    for mid, payload in state.manual_injects.items():
        if set(payload.get("to", [])) != every_seat:
            continue
        at = int(payload.get("at", 0))
        channel = str(payload.get("channel", "report"))
        item = PublicInject(
            mid,
            at,
            scenario_clock_text(scenario, at),
            channels.get(channel, channel),
            str(payload.get("sender", "")),
            str(payload.get("title", "")),
            str(payload.get("body", "")),
        )
        found.append((at, int(payload.get("seq", 0)), item))
    found.sort(key=lambda triple: (triple[0], triple[1]), reverse=True)
    return [item for _at, _seq, item in found]


def due_soon(point: PointState, now: int) -> bool:
    """Open with a deadline, and at most a minute (or a fifth of its window) left."""
    if not point.is_open or point.deadline is None:
        return False
    window = max(0, point.deadline - point.opened_at)
    return point.deadline - now <= max(DUE_SOON_SECONDS, window // 5)


def left_text(seconds: int) -> str:
    """``04:30 left`` (minutes may pass 60), ``time is up`` at or after the deadline."""
    if seconds <= 0:
        return "time is up"
    minutes, secs = divmod(seconds, 60)
    return f"{minutes:02d}:{secs:02d} left"


def room_rows(scenario: LoadedScenario, state: ExerciseState, now: int) -> list[RoomRow]:
    """Open points first (soonest deadline first), then the closed ones, latest first."""
    open_points = sorted(
        (p for p in state.points.values() if p.is_open),
        key=lambda p: (p.deadline if p.deadline is not None else 10**9, p.opened_at),
    )
    closed = sorted(
        (p for p in state.points.values() if not p.is_open),
        key=lambda p: -(p.closed_at or 0),
    )
    rows = []
    for point in [*open_points, *closed]:
        key = (point.inject, point.decision)
        spec = scenario.decision_point(*key)
        role = scenario.roles.get(point.role)
        if point.is_open and point.deadline is None:
            due, left = "", "no deadline"
        elif point.is_open and point.deadline is not None:
            due = scenario_clock_text(scenario, point.deadline)
            left = left_text(point.deadline - now).removesuffix(" left")
        else:
            due, left = scenario_clock_text(scenario, point.closed_at or 0), ""
        answer = option_label(scenario, key, point.option) if point.status == "decided" else ""
        rows.append(
            RoomRow(
                key,
                role.abbreviation if role else point.role,
                spec.prompt if spec else point.decision,
                point.status.upper(),
                due,
                left,
                answer,
                due_soon(point, now),
            )
        )
    return rows


def owed_count(state: ExerciseState) -> int:
    """How many decisions are still owed (open)."""
    return sum(1 for p in state.points.values() if p.is_open)


def event_alerts(
    scenario: LoadedScenario, kinds_payloads: list[tuple[str, dict[str, object]]]
) -> list[str]:
    """What the room is alerted to among new events: a public inject, a decision asked, one
    that expired. Private injects are not announced (their titles are not the room's)."""
    every_seat = set(scenario.roles)
    alerts: list[str] = []
    for kind, payload in kinds_payloads:
        inject_id = str(payload.get("inject", ""))
        if kind == "inject_delivered":
            inject = scenario.injects.get(inject_id)
            if inject is None:
                continue
            if is_public(scenario, inject_id):
                alerts.append(f"New inject: {inject.title}")
            for spec in inject.decisions:
                alerts.append(f"Decision asked of {_abbr(scenario, spec.role)}: {spec.prompt}")
        elif kind == "inject_injected_manually":
            to = payload.get("to", [])
            if isinstance(to, list) and set(map(str, to)) == every_seat:
                alerts.append(f"New inject: {payload.get('title', '')}")
        elif kind == "decision_expired":
            point = scenario.decision_point(inject_id, str(payload.get("decision", "")))
            if point is not None:
                alerts.append(f"Time is up for {_abbr(scenario, point.role)}: {point.prompt}")
    return alerts


def due_alerts(
    scenario: LoadedScenario, state: ExerciseState, now: int, warned: set[PointKey]
) -> list[str]:
    """One alert per open point the first time it is due soon (``warned`` remembers which)."""
    alerts = []
    for key, point in sorted(state.points.items(), key=lambda kv: kv[1].deadline or 0):
        if key in warned or not due_soon(point, now) or point.deadline is None:
            continue
        warned.add(key)
        spec = scenario.decision_point(*key)
        prompt = spec.prompt if spec else key[1]
        alerts.append(
            f"Due soon, {_abbr(scenario, point.role)}: {prompt} ({left_text(point.deadline - now)})"
        )
    return alerts


def _abbr(scenario: LoadedScenario, role: str) -> str:
    info = scenario.roles.get(role)
    return info.abbreviation if info else role
