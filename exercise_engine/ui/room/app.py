"""The room console app: a projector view that follows a running exercise and never writes.

Who calls it: ``exercise-engine room DB [--quiet]``. It opens the journal like the other consoles
and follows it (``PRAGMA data_version`` polling through :class:`~exercise_engine.ui.link.JournalLink`),
but it holds no seat and records nothing: the facilitator's console still owns the clock, and the
room console may be opened and closed any number of times during play. It shows what
:mod:`exercise_engine.ui.room.view` allows the whole room to see, and on a new public inject, a
decision asked or a decision falling due it rings the terminal bell (``b`` switches it, ``--quiet``
starts with it off) and lights the alert line and the title (``f`` switches the flash).
"""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.reactive import var

from exercise_engine.clock import WallClock
from exercise_engine.exercise import Exercise
from exercise_engine.safe_text import printable
from exercise_engine.ui.base import ConsoleApp
from exercise_engine.ui.room.screen import FLASH_SECONDS, RoomScreen

FLASH_MARK = "★ "
"""Put before the title while the flash is lit (a browser tab shows the screen's title bar)."""


class RoomApp(ConsoleApp):
    """The projector's console on one exercise journal."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+q", "quit", "Quit", tooltip="Close the room view (the exercise goes on)")
    ]

    bell_on: var[bool] = var(True)
    """Ring the terminal bell on an alert."""
    flash_on: var[bool] = var(True)
    """Light the alert line and the title on an alert."""

    def __init__(
        self,
        db: Path | str,
        *,
        clock: WallClock | None = None,
        poll_interval: float | None = 0.25,
        quiet: bool = False,
    ) -> None:
        """Open the journal at ``db`` (raises JournalError); ``quiet``: start with the bell off."""
        super().__init__(db, clock=clock, poll_interval=poll_interval)
        self.set_reactive(RoomApp.bell_on, not quiet)
        self.bells = 0
        """How many times the bell rang (what a test can count: a headless bell is silent)."""
        self.title = printable(self.scenario.title)
        self.sub_title = "Room view"

    async def open_console(self) -> None:
        self.push_screen(RoomScreen())

    def journal_step(self, exercise: Exercise) -> None:
        """Follow the journal; nothing else (the room holds no seat: no heartbeat, no event)."""
        exercise.poll()

    async def _join(self) -> None:
        """The room holds no seat: it announces no presence (consoles that do join a seat)."""

    async def _leave(self) -> None:
        """Nor says goodbye."""

    def on_room_screen_alert(self, message: RoomScreen.Alert) -> None:
        if self.bell_on:
            self.bells += 1
            self.bell()
        if self.flash_on and isinstance(self.screen, RoomScreen):
            screen = self.screen
            screen.flash(True)
            self.title = FLASH_MARK + printable(self.scenario.title)
            self.set_timer(FLASH_SECONDS, self._unflash, name="room flash")

    def _unflash(self) -> None:
        self.title = printable(self.scenario.title)
        for screen in self.screen_stack:
            if isinstance(screen, RoomScreen):
                screen.flash(False)

    def action_toggle_bell(self) -> None:
        self.bell_on = not self.bell_on
        self.notify("Bell on" if self.bell_on else "Bell off")

    def action_toggle_flash(self) -> None:
        self.flash_on = not self.flash_on
        self.notify("Flash on" if self.flash_on else "Flash off")
