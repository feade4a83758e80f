"""What both consoles share: the journal link, the poll timer, help, contrast and the palette.

Who calls it: :mod:`exercise_engine.ui.facilitator.app` and :mod:`exercise_engine.ui.participant.app`
subclass :class:`ConsoleApp`. Each console opens its own connection to the exercise journal, so
any number of consoles (in one process or many) follow the same exercise: every
``poll_interval`` seconds the app asks the journal thread for new events and posts them to its
screens as :class:`~exercise_engine.ui.messages.ExerciseUpdated`. The clock is never read from
the journal: exercise time is computed from the snapshot and the console's wall clock, which tests
replace with a :class:`~exercise_engine.clock.VirtualClock`.

Presence: once open (after the sign-in), a console journals ``seat_joined`` for its seat, writes
a heartbeat at every poll (at most every two seconds, outside the hash chain: see
:mod:`exercise_engine.engine.presence`) and journals ``seat_left`` when it closes. Every console
that does not own the clock watches the facilitator's heartbeat: :attr:`ConsoleApp.offline_since`
is set while the facilitator is not heard from, and the clock then stands still where it stood.
A console on a closed exercise journals nothing.

A console started with ``ask_code`` (every ``serve`` seat) is locked until its join code is
right: it shows only :class:`~exercise_engine.ui.sign_in.SignInScreen`, refuses every action of
its own (help, palette, contrast, quit: :meth:`ConsoleApp.check_action`), offers nothing in the
palette, and neither polls nor writes the journal; the seat's screens are built by
:meth:`ConsoleApp.open_console` only after the sign-in.
"""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections.abc import Callable, Iterable, Sequence
from functools import partial
from pathlib import Path
from typing import ClassVar, TypeVar

from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.filter import LineFilter
from textual.notifications import Notification, Notify, SeverityLevel
from textual.reactive import var
from textual.screen import Screen

from exercise_engine.clock import SystemClock, WallClock
from exercise_engine.errors import ExerciseError
from exercise_engine.exercise import Exercise, Refused
from exercise_engine.journal import JournalError, JournalReplaced
from exercise_engine.journal.opener import locate
from exercise_engine.journal.url import PgLocation
from exercise_engine.model.events import Event
from exercise_engine.safe_text import printable
from exercise_engine.ui.codes import check_code, read_codes
from exercise_engine.ui.link import JournalLink
from exercise_engine.ui.messages import ExerciseUpdated
from exercise_engine.ui.safe_output import CONTROL_FILTER
from exercise_engine.ui.sign_in_limit import AttemptLimiter, Outcome
from exercise_engine.ui.theme import EVERYDAY, PROJECTOR

T = TypeVar("T")


class ConsoleApp(App[None]):
    """A console on one exercise journal (subclassed by the facilitator and participant apps)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f1", "help", "Help", tooltip="The keys of this screen"),
        Binding("question_mark", "help", "Help", show=False),
        Binding("f2", "toggle_contrast", "Contrast", tooltip="High contrast for projectors"),
    ]

    CSS_PATH = str(Path(__file__).parent / "widgets" / "widgets.tcss")

    exercise_time: var[int] = var(0)
    """Exercise time now (seconds), recomputed at every poll; clocks and countdowns watch it."""
    exercise_status: var[str] = var("draft")
    """The lifecycle status of the latest snapshot."""
    revision: var[int] = var(0)
    """Bumped whenever new events arrive: widgets that show the state watch it."""
    high_contrast: var[bool] = var(False)
    """Whether the projector theme is on."""
    offline_since: var[float] = var(0.0)
    """Wall time the facilitator was last heard from while it is offline; 0 while online."""
    polled: var[int] = var(0)
    """Bumped at every poll: what changes with the wall clock alone (presence) watches it."""

    def __init__(
        self,
        db: Path | str | PgLocation,
        *,
        clock: WallClock | None = None,
        poll_interval: float | None = 0.25,
        ask_code: bool = False,
        limiter: AttemptLimiter | None = None,
        client: str = "this terminal",
    ) -> None:
        """Open the journal at ``db`` (raises JournalError); ``poll_interval`` None: no timer
        (tests call :meth:`sync` themselves). With ``ask_code`` the console stays locked behind
        the sign-in; wrong codes from ``client`` are counted by ``limiter`` (in memory if None)."""
        super().__init__()
        self.signed_in = not ask_code
        """False until the seat's join code was typed: nothing of the seat exists before."""
        self.use_command_palette = self.signed_in
        self.limiter = limiter or AttemptLimiter()
        self.client = client
        exercise = Exercise.open(db, clock or SystemClock())
        self.db = locate(db)
        self.link = JournalLink(exercise)
        self.scenario = exercise.scenario
        self.clock: WallClock = exercise.clock
        self.poll_interval = poll_interval
        self._sync_lock = asyncio.Lock()
        self.console_id = uuid.uuid4().hex[:12]
        """This console's id in the presence events (a seat may have several consoles)."""
        self.holds_clock = False
        """True for the facilitator's ``run`` (the clock's owner): a crash of it is recovered."""
        self.joined = False
        """Whether this console journalled its ``seat_joined`` (it then says goodbye)."""
        self._live_note: Notification | None = None
        """The latest pop-up this app showed (a small screen merges the next one into it)."""
        self._superseded: set[int] = set()
        """Pop-ups posted but taken into a later one before they were shown."""

    # --- life -------------------------------------------------------------------------------

    seat: str = ""
    """The seat's id in the join codes (the subclass sets it)."""
    seat_title: str = ""
    """The seat as the sign-in names it (the subclass sets it)."""

    async def on_mount(self) -> None:
        from exercise_engine.ui.sign_in import SignInScreen

        self.register_theme(PROJECTOR)
        self.theme = EVERYDAY
        if self.signed_in:
            await self._open()
        else:
            screen = SignInScreen(self.scenario.title, self.seat_title, self._attempt)
            self.push_screen(screen, self._after_sign_in)

    async def _attempt(self, typed: str) -> Outcome:
        """One sign-in try: the codes are read (never written) from the journal, and the try is
        counted for this client address across every tab of the same ``serve``."""
        codes = await self.link.call(read_codes)
        right = check_code(codes, self.seat, typed)
        return await asyncio.to_thread(self.limiter.attempt, self.client, right)

    async def _after_sign_in(self, ok: bool | None) -> None:
        if not ok:
            return
        self.signed_in = True
        self.use_command_palette = True
        self.refresh_bindings()
        await self._open()

    async def _open(self) -> None:
        await self._join()
        await self.sync()
        if self.poll_interval:
            self.set_interval(self.poll_interval, self.sync, name="journal poll")
        await self.open_console()

    async def open_console(self) -> None:
        """Hook: build the seat's screens (called once, after the sign-in if there is one)."""

    def get_line_filters(self) -> Sequence[LineFilter]:
        """Textual's filters, then ours: no control character leaves for the terminal."""
        return [*super().get_line_filters(), CONTROL_FILTER]

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = False,
    ) -> None:
        """Textual's notification, but plain text by default: messages carry inject titles,
        prompts and refusal reasons written by others (controls spelled out, no markup).

        On a small screen (fewer than ``STACK_HEIGHT`` lines, an 80x24 terminal) there is at most
        one pop-up: a notice that arrives while one is shown joins it (the latest few, each on
        its line, the most severe colour) instead of stacking a second box over the form, and
        nothing waits behind it."""
        message, title = printable(message), printable(title)
        live = self._live_note
        if self.size.height < self.STACK_HEIGHT and live is not None:
            if live in self._notifications:
                self._unnotify(live, refresh=False)
            else:  # posted in this same turn and not shown yet: it never will be
                self._superseded.add(id(live))
            lines = [*live.message.splitlines(), f"{title}: {message}" if title else message]
            lines = lines[-self.MERGED_LINES :]
            if live.title and len(lines) == 2:  # the first notice's title goes into its line
                lines[0] = f"{live.title}: {lines[0]}"
            rank = ("information", "warning", "error")
            severity = max(live.severity, severity, key=rank.index)
            title = f"{len(lines)} notices"
            message = "\n".join(lines)
        note = Notification(
            message,
            title,
            severity,
            self.NOTIFICATION_TIMEOUT if timeout is None else timeout,
            markup=markup,
        )
        self._live_note = note
        self.post_message(Notify(note))

    def _on_notify(self, event: Notify) -> None:
        """Show a pop-up, unless a later one on a small screen already took it in."""
        if id(event.notification) in self._superseded:
            self._superseded.discard(id(event.notification))
            event.prevent_default()  # Textual's own handler (App._on_notify) would show it

    def _unnotify(self, notification: Notification, refresh: bool = True) -> None:
        """A pop-up went (its time ran out, it was clicked, or a later one took it in)."""
        super()._unnotify(notification, refresh)
        if notification is self._live_note:
            self._live_note = None

    STACK_HEIGHT: ClassVar[int] = 30
    """Screens at least this tall stack pop-ups; smaller ones show one (see :meth:`notify`)."""
    MERGED_LINES: ClassVar[int] = 3
    """How many notices one pop-up on a small screen lists (the latest)."""

    def action_help_quit(self) -> None:
        """ctrl+c: say how to quit (Textual's own hint is written in markup)."""
        self.notify("Press ctrl+q to quit this console.", title="Do you want to quit?")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Before the sign-in the app has no actions at all (help, palette, contrast, quit...):
        the sign-in screen's field is all there is."""
        if not self.signed_in:
            return False
        return super().check_action(action, parameters)

    async def on_unmount(self) -> None:
        await self._leave()
        await self.link.close()

    async def _join(self) -> None:
        """Announce this console (``seat_joined``), unless the exercise is closed or the console
        has no seat (an evaluator's ``review`` follows the exercise; it is nobody's seat)."""
        if not self.seat:
            return
        seat, console, clock = self.seat, self.console_id, self.holds_clock
        try:
            events = await self.link.call(lambda ex: ex.join(seat, console, clock=clock))
        except JournalReplaced as exc:
            self.journal_lost(exc)
            return
        except ExerciseError as exc:
            self.notify(str(exc), title="Journal", severity="error")
            return
        self.joined = bool(events)

    async def _leave(self) -> None:
        """Say goodbye (``seat_left``) on the way out; a journal that is gone gets nothing."""
        if not self.joined:
            return
        self.joined = False
        seat, console = self.seat, self.console_id
        # the console is closing: a lost journal was already reported
        with contextlib.suppress(ExerciseError):
            await self.link.call(lambda ex: ex.leave(seat, console))

    def journal_step(self, exercise: Exercise) -> None:
        """What each poll does on the journal thread: follow other consoles' events, and say
        "still here" (at most every two seconds; not an event)."""
        exercise.poll()
        if self.seat:  # a seatless console (review) is nobody's presence
            exercise.heartbeat(self.seat)

    async def sync(self) -> None:
        """Poll the journal now and hand anything new to the screens (never before the sign-in:
        the facilitator's poll ticks the clock, which writes)."""
        if not self.signed_in:
            return
        async with self._sync_lock:
            try:
                await self.link.call(self.journal_step)
            except JournalReplaced as exc:
                self.journal_lost(exc)
            except JournalError as exc:
                self.notify(str(exc), title="Journal", severity="error")
            except ExerciseError as exc:  # the scenario cannot go on (the clock is now paused)
                self.notify(str(exc), title="Play stopped", severity="error")
            self._publish()

    async def command(self, work: Callable[[Exercise], T], done: str = "") -> T | None:
        """Run one engine command on the journal thread; a refusal becomes a notification.
        Nothing runs before the sign-in (a locked console writes nothing)."""
        if not self.signed_in:
            return None
        try:
            result = await self.link.call(work)
        except JournalReplaced as exc:
            self.journal_lost(exc)
            result = None
        except Refused as exc:
            self.notify(str(exc), title="Not now", severity="warning")
            result = None
        except JournalError as exc:
            self.notify(str(exc), title="Journal", severity="error")
            result = None
        except ExerciseError as exc:  # e.g. the scenario cannot go on: the clock is now paused
            self.notify(str(exc), title="Play stopped", severity="error")
            result = None
        else:
            if done:
                self.notify(done)
        self._publish()
        return result

    def journal_lost(self, exc: JournalReplaced) -> None:
        """The journal file was swapped or its -wal/-shm deleted: stop, saying why (exit 2)."""
        self.exit(return_code=2, message=f"journal lost: {exc}")

    def _publish(self) -> None:
        update = self.link.take()
        self.exercise_time = self.link.now()
        self.exercise_status = self.link.view.status
        self.offline_since = self.link.offline_since() or 0.0
        self.polled += 1
        if update is None or not update.events:
            return
        self.revision += 1
        for screen in self.screen_stack:
            screen.post_message(ExerciseUpdated(update.events))
        self.on_events(update.events)

    def on_events(self, events: list[Event]) -> None:
        """Hook: the app's own reaction to new events (switching screens, for instance)."""

    # --- actions ----------------------------------------------------------------------------

    def action_help(self) -> None:
        from exercise_engine.ui.help import HelpScreen

        if self.signed_in and not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))

    def action_toggle_contrast(self) -> None:
        self.high_contrast = not self.high_contrast

    def watch_high_contrast(self, on: bool) -> None:
        self.theme = PROJECTOR.name if on else EVERYDAY

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        """The palette offers every key of the screen under its description, then Textual's own
        (nothing at all before the sign-in)."""
        if not self.signed_in:
            return
        seen: set[str] = set()
        for binding in [*screen.BINDINGS, *type(self).BINDINGS, *ConsoleApp.BINDINGS]:
            if not isinstance(binding, Binding) or not binding.description:
                continue
            if binding.description in seen:
                continue
            seen.add(binding.description)
            key = self.get_key_display(binding)
            yield SystemCommand(
                binding.description,
                binding.tooltip or f"Key: {key}",
                partial(screen.run_action, binding.action),
            )
        extra = getattr(screen, "palette_commands", None)
        if callable(extra):
            yield from extra()
        yield from super().get_system_commands(screen)
