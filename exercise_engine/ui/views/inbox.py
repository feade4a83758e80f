"""What one role may read: its inbox, the decisions it owes, the decisions it is consulted on.

Privacy lives here. An inbox item is built only from ``scenario.copy_for(inject, role)`` (the
role's own variant, or the main text when the role is in its audience) and from manual injects
whose ``to`` names the role. Nothing else about an inject reaches a participant console.
"""

from __future__ import annotations

from dataclasses import dataclass

from exercise_engine.engine import ExerciseState, PointState
from exercise_engine.loading import LoadedScenario


@dataclass(frozen=True)
class InboxItem:
    """One message in a role's inbox."""

    key: str
    at: int
    channel: str
    """The channel's label (``JOC flash report``, ``Phone call``...)."""
    sender: str
    title: str
    body: str
    late: bool = False
    """Delivered late: it fell due while the facilitator was offline (recovery)."""


def inbox_for(scenario: LoadedScenario, state: ExerciseState, role: str) -> list[InboxItem]:
    """Messages delivered to ``role``, newest first."""
    channels = scenario.channels
    items: list[tuple[int, InboxItem]] = []
    for delivery in state.deliveries.values():
        if role not in delivery.roles:
            continue
        inject = scenario.injects.get(delivery.inject)
        if inject is None:
            continue
        copy = scenario.copy_for(inject, role)
        if copy is None:
            continue
        item = InboxItem(
            delivery.inject,
            delivery.at,
            channels.get(copy.channel, copy.channel),
            copy.sender,
            copy.title,
            copy.body,
            delivery.late,
        )
        items.append((delivery.seq, item))
    for mid, payload in state.manual_injects.items():
        if role not in payload.get("to", []):
            continue
        channel = str(payload.get("channel", "report"))
        item = InboxItem(
            mid,
            int(payload.get("at", 0)),
            channels.get(channel, channel),
            str(payload.get("sender", "")),
            str(payload.get("title", "")),
            str(payload.get("body", "")),
        )
        items.append((int(payload.get("seq", 0)), item))
    items.sort(key=lambda pair: (pair[1].at, pair[0]), reverse=True)
    return [item for _seq, item in items]


def points_for(state: ExerciseState, role: str) -> list[PointState]:
    """The decision points ``role`` owes or owed: open ones first, by deadline."""
    mine = [p for p in state.points.values() if p.role == role]
    return sorted(
        mine,
        key=lambda p: (
            not p.is_open,
            p.deadline if p.deadline is not None else 10**9,
            p.opened_at,
        ),
    )


def consulted_points(scenario: LoadedScenario, state: ExerciseState, role: str) -> list[PointState]:
    """The opened decision points on which ``role`` is consulted: open ones first."""
    found = []
    for (inject, decision), point in state.points.items():
        spec = scenario.decision_point(inject, decision)
        if spec is not None and role in spec.consult and point.role != role:
            found.append(point)
    return sorted(found, key=lambda p: (not p.is_open, p.opened_at))
