"""The participant console app: one role's view of the exercise, nothing more.

Who calls it: ``exercise-engine join DB --role ROLE`` (and ``serve``, through ``join
--ask-code``). It never ticks the clock (the facilitator's console does); it polls the journal
for new events and records this role's decisions and advice. Everything it shows about injects
comes from :mod:`exercise_engine.ui.views.inbox` and :mod:`exercise_engine.ui.views.shared_log`,
which decide what one role may read.
"""

from __future__ import annotations

from pathlib import Path

from exercise_engine.clock import WallClock
from exercise_engine.journal.url import PgLocation
from exercise_engine.model.events import Event
from exercise_engine.safe_text import printable
from exercise_engine.ui.base import ConsoleApp
from exercise_engine.ui.sign_in_limit import AttemptLimiter


class NotInPlay(ValueError):
    """The role asked for is not one of the scenario's seats."""


class ParticipantApp(ConsoleApp):
    """One MLT role's console on one exercise journal."""

    def __init__(
        self,
        db: Path | str | PgLocation,
        role: str,
        *,
        clock: WallClock | None = None,
        poll_interval: float | None = 0.25,
        ask_code: bool = False,
        limiter: AttemptLimiter | None = None,
        client: str = "this terminal",
    ) -> None:
        """Open the journal; NotInPlay (after closing it) if ``role`` has no seat in the scenario."""
        super().__init__(
            db,
            clock=clock,
            poll_interval=poll_interval,
            ask_code=ask_code,
            limiter=limiter,
            client=client,
        )
        if role not in self.scenario.roles:
            self.link.exercise.close()
            seats = ", ".join(self.scenario.roles)
            raise NotInPlay(
                f"role {role!r} is not in play in this exercise: {db} plays scenario "
                f"{self.scenario.id!r} (roles: {seats})"
            )
        self.role = role
        self.role_info = self.scenario.roles[role]
        self.seat = role
        self.seat_title = self.role_info.title
        self.history: list[Event] = []
        """Every event this console has seen, in order (the shared log is built from it)."""
        self.title = printable(self.scenario.title)
        self.sub_title = printable(f"{self.role_info.title} ({self.role_info.abbreviation})")

    async def open_console(self) -> None:
        """Signed in (or no sign-in asked): the role's console."""
        from exercise_engine.ui.participant.console import ParticipantScreen

        self.push_screen(ParticipantScreen())

    def on_events(self, events: list[Event]) -> None:
        self.history.extend(events)
