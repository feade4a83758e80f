"""The events of an exercise journal: everything that happens is one of these, appended once.

The state of an exercise is a fold over its events (``exercise_engine.engine``). Payloads are
plain JSON-able dicts so the journal stays readable with any SQLite tool; their keys per kind are
listed in :data:`KINDS` and documented in ``docs/journal.md``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

KINDS: dict[str, str] = {
    "exercise_created": "scenario id, content hash, title, speed, syndicate, meta (row hashes)",
    "exercise_forked": "from, at_seq, meta (row hashes of the fork's metadata)",
    "pre_played": "playthrough, file, phase, decisions (the moves before phase were pre-played)",
    "briefing_opened": "-",
    "started": "-",
    "paused": "reason (optional)",
    "resumed": "-",
    "speed_changed": "speed",
    "time_jumped": "from, to, reason",
    "inject_delivered": "inject, roles, due, manual",
    "inject_injected_manually": "inject, title, body, channel, sender, to",
    "decision_recorded": "inject, decision, option, rationale, on_behalf",
    "decision_refused": "inject, decision, option, reason",
    "decision_expired": "inject, decision, deadline",
    "decision_closed": "inject, decision, reason",
    "advice_recorded": "inject, decision, recommend, text",
    "variable_changed": "name, value, delta, cause",
    "flag_changed": "name, value, cause",
    "phase_changed": "from, to, transition",
    "scenario_ended": "ending, title",
    "facilitator_note": "text",
    "hot_wash_note": "kind (strength | issue | observation), text",
    "ended": "-",
    "evaluator_rating": "evaluator, inject, decision, consideration, rating, note",
    "evaluator_note": "evaluator, inject, decision, text",
    "objective_rating": "evaluator, objective, rating, note",
    "plan_edited": "editor, row, fields (improvement-plan field -> value)",
    "seat_set": "role, participant (who sat it, or null), played (false: nobody played the seat)",
    "seat_joined": "seat (a role id or facilitator), console (an id per console), clock (true: the clock's owner)",
    "seat_left": "seat, console",
    "inject_opened": "inject, seat (a role that opened the message in full for the first time)",
    "recovered": "offline_since (wall time last seen), stood_at (exercise time), consoles (closed)",
}
"""Every event kind and the keys of its payload."""

PRESENCE_KINDS = frozenset({"seat_joined", "seat_left", "inject_opened", "recovered"})
"""Who was in the room and what they read (see ``exercise_engine.engine.presence``): chained
because they are facts of the exercise, but few (one per console opened or closed, one per seat
and message) — a console's heartbeat is *not* an event (``Journal.set_local``)."""

LIFECYCLE_KINDS = frozenset(
    {"briefing_opened", "started", "paused", "resumed", "scenario_ended", "ended"}
)


@dataclass(frozen=True)
class Draft:
    """An event not yet in the journal: what happened, when in exercise time, by whom."""

    kind: str
    exercise_time: int
    actor: str = "system"
    """Who caused it: ``system`` (the clock), ``facilitator``, ``role:<id>``, ``evaluator:<name>``."""
    role: str | None = None
    """The MLT role concerned (the decider, the adviser), if any."""
    payload: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Event(Draft):
    """An event as journalled: sequence number, wall time and hash chain added."""

    seq: int = 0
    wall_time: float = 0.0
    prev_hash: str = ""
    hash: str = ""
