"""What the consoles say about presence: the Seats tab's rows, read receipts, outage notices.

Who calls it: the facilitator's Seats tab (:mod:`exercise_engine.ui.facilitator.seats`), the
participant console's banner and notifications, and ``exercise-engine status``. Pure functions of
the state, the journal's heartbeats and a wall time, tested directly (no Textual).

Wall times (when a seat was last seen, since when the facilitator is offline) are the room's
local clock, ``HH:MM``, and are labelled so: they are the one place the consoles show the real
clock, because an outage happens in the room, not in the story.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from exercise_engine.engine import ExerciseState
from exercise_engine.engine.presence import FACILITATOR, Presence, seat_presence
from exercise_engine.loading import LoadedScenario
from exercise_engine.ui.views.timefmt import scenario_clock_text, short_time


def wall_text(wall: float) -> str:
    """A wall time as the room's local ``HH:MM``."""
    return time.strftime("%H:%M", time.localtime(wall))


def offline_text(scenario: LoadedScenario, since: float, stood_at: int) -> str:
    """The participant's banner while the facilitator is offline."""
    return (
        f"Facilitator offline since {wall_text(since)} (room time): the clock is stopped at "
        f"{scenario_clock_text(scenario, stood_at)} until exercise control is back."
    )


def recovered_text(scenario: LoadedScenario, payload: dict[str, Any]) -> str:
    """What every seat is told when the facilitator's console comes back after a crash."""
    stood = int(payload.get("stood_at") or 0)
    since = payload.get("offline_since")
    gap = f" (offline since {wall_text(float(since))}, room time)" if since else ""
    return (
        f"Recovered after an interruption{gap}. The clock is paused at "
        f"{scenario_clock_text(scenario, stood)}; anything that fell due meanwhile arrives "
        "on resume, marked late."
    )


@dataclass(frozen=True)
class SeatRow:
    """One seat on the facilitator's Seats tab."""

    seat: str
    title: str
    presence: str
    """``connected``, ``last seen 14:05`` or ``never joined``."""
    opened: str
    """Messages the seat opened, of those it was sent (``3/5``)."""
    played: str
    """``played`` or ``NOT PLAYED`` (the facilitator's word: left out of the scores)."""


def seat_rows(
    scenario: LoadedScenario,
    state: ExerciseState,
    presence: Presence,
    wall_now: float,
    seats: list[str],
) -> list[SeatRow]:
    """Every seat in ``seats`` (the facilitator first, then the roles), as the tab shows it."""
    rows = []
    for seat in seats:
        title = "Facilitator" if seat == FACILITATOR else scenario.role_title(seat)
        found = seat_presence(seat, state, presence, wall_now)
        if found.state == "connected":
            where = "connected"
        elif found.state == "away" and found.last_seen is not None:
            where = f"last seen {wall_text(found.last_seen)}"
        else:
            where = "never joined"
        if seat == FACILITATOR:
            opened, played = "", ""
        else:
            sent = [key for key in _messages(state) if _sent_to(state, key, seat)]
            read = [key for key in sent if seat in state.opened.get(key, {})]
            opened = f"{len(read)}/{len(sent)}"
            played = "played" if state.seat_played.get(seat, True) else "NOT PLAYED"
        rows.append(SeatRow(seat, title, where, opened, played))
    return rows


@dataclass(frozen=True)
class ReceiptRow:
    """One delivered message and which of its seats have opened it."""

    key: str
    time: str
    title: str
    opened: str
    waiting: str
    late: bool


def receipt_rows(scenario: LoadedScenario, state: ExerciseState) -> list[ReceiptRow]:
    """Read receipts per message, newest first: who opened it, who has not yet."""
    rows = []
    for key in reversed(_messages(state)):
        delivery = state.deliveries.get(key)
        if delivery is not None:
            inject = scenario.injects.get(key)
            title = inject.title if inject else key
            audience, at, late = list(delivery.roles), delivery.at, delivery.late
        else:
            manual = state.manual_injects[key]
            title = str(manual.get("title", key))
            audience, at, late = list(manual.get("to", [])), int(manual.get("at", 0)), False
        got = state.opened.get(key, {})
        opened = [_abbr(scenario, r) for r in audience if r in got]
        waiting = [_abbr(scenario, r) for r in audience if r not in got]
        rows.append(
            ReceiptRow(
                key,
                short_time(at),
                title + (" (late)" if late else ""),
                ", ".join(opened) or "—",
                ", ".join(waiting) or "—",
                late,
            )
        )
    return rows


def _messages(state: ExerciseState) -> list[str]:
    """Delivered messages in delivery order (scenario injects and manual ones)."""
    found = [(d.seq, d.inject) for d in state.deliveries.values()]
    found += [(int(m.get("seq", 0)), key) for key, m in state.manual_injects.items()]
    return [key for _, key in sorted(found)]


def _sent_to(state: ExerciseState, key: str, seat: str) -> bool:
    delivery = state.deliveries.get(key)
    if delivery is not None:
        return seat in delivery.roles
    return seat in state.manual_injects.get(key, {}).get("to", [])


def _abbr(scenario: LoadedScenario, role: str) -> str:
    info = scenario.roles.get(role)
    return info.abbreviation if info is not None and info.abbreviation else role
