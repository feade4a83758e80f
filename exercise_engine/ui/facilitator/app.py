"""The facilitator's console app: owns the exercise clock and follows the lifecycle's screens.

Who calls it: ``exercise-engine run`` (and ``join --role facilitator`` from a browser link). It
ticks ``Exercise.tick()`` on every poll, so injects arrive, windows expire and phases change on
time; it shows the briefing screen until play starts, the console while the clock runs or is
paused, and the hot-wash screen once the scenario has ended. Quitting pauses a running clock, so
nothing is delivered to an empty room; reopening resumes from the journal.
"""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import ClassVar

from textual.binding import Binding, BindingType

from exercise_engine.clock import WallClock
from exercise_engine.exercise import Exercise
from exercise_engine.journal.url import PgLocation
from exercise_engine.model.events import Event
from exercise_engine.safe_text import printable
from exercise_engine.ui.base import ConsoleApp
from exercise_engine.ui.codes import FACILITATOR, join_codes
from exercise_engine.ui.sign_in_limit import AttemptLimiter

LIVE = ("running", "paused")
MOVE_PAUSE = "pause at the move to "
"""How a pause at a move begins its reason (the log and the seats' shared log show it)."""
AFTER = ("hot_wash", "ended")


class FacilitatorApp(ConsoleApp):
    """The facilitator's console on one exercise journal."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+q", "quit", "Quit", tooltip="Quit (a running clock is paused)")
    ]

    def __init__(
        self,
        db: Path | str | PgLocation,
        *,
        clock: WallClock | None = None,
        poll_interval: float | None = 0.25,
        hot_seat: bool = False,
        pause_at_moves: bool = True,
        ask_code: bool = False,
        limiter: AttemptLimiter | None = None,
        client: str = "this terminal",
    ) -> None:
        super().__init__(
            db,
            clock=clock,
            poll_interval=poll_interval,
            ask_code=ask_code,
            limiter=limiter,
            client=client,
        )
        self.hot_seat = hot_seat
        self.link.exercise.owns_clock = True  # it ticks the clock: never "offline" to itself
        self.pause_at_moves = pause_at_moves
        """Stop the clock whenever the scenario moves to a new phase (``run --no-pause-at-moves``
        turns it off): the room takes stock of the new situation before time runs on."""
        """One screen for the whole room: the decision board first, the facilitator records."""
        self.seat = FACILITATOR
        self.seat_title = "Facilitator"
        self.codes: dict[str, str] = {}
        self._screens_ready = False
        self.history: list[Event] = []
        """Every event this console has seen, in order (screens build their logs from it)."""
        self.title = printable(self.scenario.title)
        self.sub_title = "Facilitator" + (" · hot seat" if hot_seat else "")

    def journal_step(self, exercise: Exercise) -> None:
        """Deliver what is due, then follow the other consoles; pause at a move when asked to."""
        events = exercise.tick() if exercise.state.status == "running" else []
        events += exercise.poll()  # a seat's decision may have moved the phase too
        moves = [e for e in events if e.kind == "phase_changed"]
        if moves and self.pause_at_moves and exercise.state.status == "running":
            phase = exercise.scenario.phases.get(str(moves[-1].payload.get("to")))
            title = phase.title if phase else str(moves[-1].payload.get("to"))
            exercise.pause(f"{MOVE_PAUSE}{title}")
        exercise.heartbeat(self.seat)

    async def open_console(self) -> None:
        """Signed in (or no sign-in asked): open the briefing if need be, then the screen that
        fits the lifecycle."""
        self.codes = await self.link.call(join_codes)
        if self.link.view.status == "draft":
            await self.command(lambda exercise: exercise.open_briefing())
        self._screens_ready = True
        self.show_screen_for_status()

    def on_events(self, events: list[Event]) -> None:
        self.history.extend(events)
        for event in events:
            reason = str(event.payload.get("reason", ""))
            if event.kind == "paused" and reason.startswith(MOVE_PAUSE):
                self.notify(
                    f"Paused at the move to {reason.removeprefix(MOVE_PAUSE)}: space resumes.",
                    title="New move",
                    severity="warning",
                )
        if self._screens_ready and any(
            e.kind in ("started", "scenario_ended", "ended") for e in events
        ):
            self.show_screen_for_status()

    def show_screen_for_status(self) -> None:
        """The screen that fits the lifecycle: briefing, console, or hot wash."""
        from exercise_engine.ui.facilitator.briefing import BriefingScreen
        from exercise_engine.ui.facilitator.console import FacilitatorScreen
        from exercise_engine.ui.facilitator.hot_wash import HotWashScreen

        if not (self.signed_in and self._screens_ready):
            return
        status = self.link.view.status
        wanted: type[BriefingScreen | FacilitatorScreen | HotWashScreen]
        if status in LIVE:
            wanted = FacilitatorScreen
        elif status in AFTER:
            wanted = HotWashScreen
        else:
            wanted = BriefingScreen
        if any(isinstance(s, wanted) for s in self.screen_stack):
            return
        while len(self.screen_stack) > 2:
            self.pop_screen()
        if len(self.screen_stack) == 2:
            self.switch_screen(wanted())
        else:
            self.push_screen(wanted())

    async def action_quit(self) -> None:
        if self.signed_in and self.link.view.status == "running":
            await self.command(
                lambda exercise: exercise.pause("the facilitator closed the console")
            )
        self.exit()

    async def deliver_record(self) -> None:
        """Hand over the exercise record as JSON: a download in a browser (``serve``), a file
        beside the journal in a terminal (Textual's ``deliver_text`` picks the right one)."""
        from exercise_engine.record import exercise_record

        record = await self.link.call(exercise_record)
        text = json.dumps(record, indent=2, ensure_ascii=False) + "\n"
        name = f"{self.db.stem}-record.json"
        self.deliver_text(
            io.StringIO(text),
            save_directory=self.db.resolve().parent,
            save_filename=name,
            mime_type="application/json",
        )
        self.notify(f"Exercise record: {name} (a download in a browser, beside the journal here)")
