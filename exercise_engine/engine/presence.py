"""Who is in the room: seat presence, the facilitator's heartbeat, and where the clock stood.

Who calls it: :class:`exercise_engine.exercise.Exercise` (recovery, the stopped clock of an
outage), ``exercise-engine status``, and the consoles (the Seats tab, the "facilitator offline"
banner). Pure: it reads what the journal holds and a wall time given to it; no I/O, no clock.

Two kinds of record, on purpose:

- **Join, leave, first read and recovery are chained events** (``seat_joined``, ``seat_left``,
  ``inject_opened``, ``recovered``): they are facts of the exercise an evaluator may want ("the
  Police Commissioner had not opened the message when the decision fell due"), and there are few
  of them — one per console opened or closed, one per seat and message, one per crash.
- **Heartbeats are not events.** Every console writes "still here" every
  :data:`HEARTBEAT_EVERY` seconds into the journal's ``local`` table (``presence:<seat>``, the
  latest value only, outside the hash chain). As events they would flood the chain: eight seats
  for four hours at one beat every two seconds is 57,600 events that say nothing, each folded by
  every console and hashed into the record. The heartbeat is operational state, like the clock's
  checkpoint: it is only needed live, and for recovery its latest value is all that counts.

The facilitator's heartbeat (its ``presence:facilitator`` row and, while the clock runs, the
checkpoint written at every tick) is how the room notices an outage: when the newest of the two is
more than :data:`OFFLINE_AFTER` seconds old the facilitator is offline. With a beat every 2 s and
consoles polling four times a second, every seat says so within ``OFFLINE_AFTER`` + 0.25 s of the
last beat — inside the 10 s the course asked for, and with 5 s of slack for a loaded machine whose
facilitator is slow to beat (a false "offline" is worse than a late one).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field

from exercise_engine.engine.state import ExerciseState
from exercise_engine.model.events import Draft

HEARTBEAT_EVERY = 2.0
"""Seconds between a console's heartbeats."""
OFFLINE_AFTER = 7.0
"""A console not heard from for longer than this (seconds) is offline."""
FACILITATOR = "facilitator"
"""The facilitator's seat name (beside the role ids)."""
LOCAL_PREFIX = "presence:"
"""Key prefix of the heartbeat rows in the journal's ``local`` table."""
LIVE = ("briefing", "running", "paused")
"""Statuses in which the room needs its facilitator (before and after play nobody waits)."""


@dataclass(frozen=True)
class Heartbeat:
    """A console's latest "still here": when (wall time) and the exercise time it saw."""

    seat: str
    wall: float
    exercise_time: int


@dataclass(frozen=True)
class Presence:
    """The live part of presence, as last read from the journal: heartbeats and the checkpoint."""

    heartbeats: Mapping[str, Heartbeat] = field(default_factory=dict)
    checkpoint: tuple[int, float] | None = None
    """Where the clock stood at the facilitator's last tick: (exercise time, wall time)."""

    def facilitator_seen(self) -> float | None:
        """The wall time the facilitator was last heard from (heartbeat or clock tick)."""
        times = [b.wall for s, b in self.heartbeats.items() if s == FACILITATOR]
        if self.checkpoint is not None:
            times.append(self.checkpoint[1])
        return max(times) if times else None

    def facilitator_offline_since(self, status: str, wall_now: float) -> float | None:
        """When the facilitator was last heard from, if that is too long ago for a live
        exercise; None while it is online, before any heartbeat, or outside play."""
        if status not in LIVE:
            return None
        seen = self.facilitator_seen()
        if seen is None or wall_now - seen <= OFFLINE_AFTER:
            return None
        return seen

    def stood(self, state: ExerciseState) -> int:
        """The exercise time the clock had reached when the facilitator was last heard from
        (never before the latest event: events never go back in time)."""
        times = [state.last_time]
        if self.checkpoint is not None:
            times.append(self.checkpoint[0])
        beat = self.heartbeats.get(FACILITATOR)
        if beat is not None and state.status == "running":
            times.append(beat.exercise_time)
        return max(times)

    def seen(self, seat: str) -> float | None:
        beat = self.heartbeats.get(seat)
        return None if beat is None else beat.wall


def clock_now(state: ExerciseState, presence: Presence, wall_now: float, *, owner: bool) -> int:
    """Exercise time now, as a console that does not own the clock must see it: while the
    facilitator is offline the clock is stopped where it stood (it resumes from there after
    recovery, so nothing may be stamped later). The clock's owner always reads its own clock."""
    now = state.now(wall_now)
    if owner or state.status != "running":
        return now
    if presence.facilitator_offline_since(state.status, wall_now) is None:
        return now
    return min(now, presence.stood(state))


def parse_heartbeats(rows: Mapping[str, str]) -> dict[str, Heartbeat]:
    """Heartbeats from the ``local`` table's ``presence:<seat>`` rows (a damaged row is
    skipped: a heartbeat is a hint, never a reason to stop a console)."""
    beats: dict[str, Heartbeat] = {}
    for key, value in rows.items():
        if not key.startswith(LOCAL_PREFIX):
            continue
        seat = key[len(LOCAL_PREFIX) :]
        try:
            data = json.loads(value)
            beat = Heartbeat(seat, float(data["wall"]), int(data["exercise_time"]))
        except (ValueError, TypeError, KeyError):
            continue
        beats[seat] = beat
    return beats


def heartbeat_row(seat: str, wall: float, exercise_time: int) -> tuple[str, str]:
    """The ``local`` row a console writes for its heartbeat."""
    value = json.dumps({"wall": wall, "exercise_time": exercise_time}, sort_keys=True)
    return f"{LOCAL_PREFIX}{seat}", value


@dataclass(frozen=True)
class SeatPresence:
    """One seat as the facilitator's Seats tab shows it."""

    seat: str
    state: str
    """``connected``, ``away`` (joined once, not heard from now) or ``never`` (never joined)."""
    last_seen: float | None
    """Wall time the seat was last heard from (heartbeat, join or leave)."""


def seat_presence(
    seat: str, state: ExerciseState, presence: Presence, wall_now: float
) -> SeatPresence:
    """Whether ``seat`` is connected now, when it was last seen, or that it never joined.

    Connected: the seat's heartbeat is fresh and came after its latest leave (another console
    of the same seat still open beats again within two seconds). A console killed without
    leaving stops beating: it turns to "last seen" after :data:`OFFLINE_AFTER` seconds."""
    log = state.seats.get(seat)
    beat = presence.seen(seat)
    times = [t for t in (beat, log.last_wall if log else None) if t is not None]
    last = max(times) if times else None
    if log is None and beat is None:
        return SeatPresence(seat, "never", None)
    fresh = beat is not None and wall_now - beat <= OFFLINE_AFTER
    if fresh and (log is None or not log.left or (beat or 0) > log.last_wall):
        return SeatPresence(seat, "connected", last)
    return SeatPresence(seat, "away", last)


def may_journal_presence(state: ExerciseState) -> bool:
    """Presence events are journalled until the exercise is closed: after ``ended`` only
    evaluators write (``verify`` checks it), so a console opened on a closed exercise records
    nothing at all."""
    return state.status != "ended"


def received(state: ExerciseState, seat: str, inject: str) -> bool:
    """Whether ``seat`` was sent the message ``inject`` (a scenario inject or a manual one)."""
    delivery = state.deliveries.get(inject)
    if delivery is not None:
        return seat in delivery.roles
    manual = state.manual_injects.get(inject)
    return manual is not None and seat in manual.get("to", [])


def opened_drafts(state: ExerciseState, now: int, *, seat: str, inject: str) -> list[Draft]:
    """The read receipt for ``seat`` opening ``inject`` in full: only the first time, only for
    a message the seat was sent, never after the close (nothing to record otherwise)."""
    if not may_journal_presence(state) or not received(state, seat, inject):
        return []
    if seat in state.opened.get(inject, {}):
        return []
    payload = {"inject": inject, "seat": seat}
    return [Draft("inject_opened", now, f"role:{seat}", seat, payload)]


def late_drafts(drafts: list[Draft], stood_at: int) -> list[Draft]:
    """Deliveries of the first tick after a recovery that fell due by the moment the clock
    stood (while nobody ran it), marked ``late`` for the seat and the report."""
    out: list[Draft] = []
    for d in drafts:
        if d.kind == "inject_delivered" and d.exercise_time <= stood_at:
            d = Draft(d.kind, d.exercise_time, d.actor, d.role, {**d.payload, "late": True})
        out.append(d)
    return out
