"""The projector screen: a big scenario clock, the phase, the decision board, the public injects.

Who calls it: :class:`exercise_engine.ui.room.app.RoomApp`. Data comes down from the app's
snapshot (``link.view``) and the :mod:`exercise_engine.ui.room.view` functions, which decide what
the room may see; alerts go up as :class:`RoomScreen.Alert` messages, so the app rings its bell
and flashes the title (the screen never imports the app). Nothing here can act on the exercise:
the screen has no control but the bell and flash switches and quitting.
"""

from __future__ import annotations

from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual import getters
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Digits, Footer, Static

from exercise_engine.safe_text import printable
from exercise_engine.ui.base import ConsoleApp
from exercise_engine.ui.messages import ExerciseUpdated
from exercise_engine.ui.room.view import (
    PointKey,
    due_alerts,
    event_alerts,
    owed_count,
    public_injects,
    room_rows,
)
from exercise_engine.ui.safe_output import shown
from exercise_engine.ui.views.timefmt import clock_text, scenario_datetime, speed_text
from exercise_engine.ui.widgets.clock_bar import STATUS

FLASH_SECONDS = 2.0
"""How long the alert line stays lit after a new inject or a decision falling due."""


class RoomScreen(Screen[None]):
    """What the projector shows; redrawn from the snapshot at every poll."""

    app = getters.app(ConsoleApp)

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f1", "app.help", "Help", tooltip="The keys of this screen"),
        Binding("b", "app.toggle_bell", "Bell", tooltip="Bell on new injects and due decisions"),
        Binding("f", "app.toggle_flash", "Flash", tooltip="Flash on new injects and due decisions"),
        Binding("f2", "app.toggle_contrast", "Contrast", tooltip="High contrast for projectors"),
    ]
    AUTO_FOCUS = ""
    CSS_PATH = "room.tcss"
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (140, "-wide")]  # noqa: RUF012 (Textual's type)
    TITLE = "Room"

    class Alert(Message):
        """Something the room should notice now (a public inject, a decision asked or due)."""

        def __init__(self, texts: list[str]) -> None:
            super().__init__()
            self.texts = texts

    def __init__(self) -> None:
        super().__init__()
        self.warned: set[PointKey] = set()
        """Points already announced as due soon (each is announced once)."""
        self.alerts: list[str] = []
        """Every alert this screen raised, in order (what the alert line showed)."""

    def compose(self) -> ComposeResult:
        yield Static("", id="room-title")
        with Horizontal(id="clock-row"):
            yield Digits("--:--", id="room-clock")
            yield Static("", id="clock-info")
        yield Static("", id="room-alert")
        with Horizontal(id="room-body"):
            with Vertical(id="board-box"):
                yield Static("", id="board-title", classes="box-title")
                with VerticalScroll(id="board-scroll"):
                    yield Static("", id="room-board")
            with Vertical(id="injects-box"):
                yield Static("Public injects", classes="box-title")
                with VerticalScroll(id="injects-scroll"):
                    yield Static("", id="room-injects")
        yield Footer()

    def on_mount(self) -> None:
        view, now = self.app.link.view, self.app.exercise_time
        due_alerts(self.app.scenario, view, now, self.warned)  # no alert for the past
        self.watch(self.app, "exercise_time", self.tick)
        self.watch(self.app, "revision", self.redraw)
        self.query_one("#room-alert", Static).display = False

    # --- following -------------------------------------------------------------------------

    def on_exercise_updated(self, message: ExerciseUpdated) -> None:
        texts = event_alerts(self.app.scenario, [(e.kind, e.payload) for e in message.events])
        self._raise(texts)

    def tick(self, _value: object = None) -> None:
        texts = due_alerts(
            self.app.scenario, self.app.link.view, self.app.exercise_time, self.warned
        )
        self._raise(texts)
        self.redraw()

    def _raise(self, texts: list[str]) -> None:
        if not texts:
            return
        self.alerts.extend(texts)
        line = self.query_one("#room-alert", Static)
        line.update(Text(printable("  ·  ".join(texts[-3:]))))
        line.display = True
        self.post_message(self.Alert(texts))

    def flash(self, on: bool) -> None:
        """Light the alert line (``on``) or dim it again; the app calls it, then a timer."""
        self.set_class(on, "-flash")

    # --- drawing ---------------------------------------------------------------------------

    def redraw(self, _value: object = None) -> None:
        app = self.app
        view, scenario, now = app.link.view, app.scenario, app.exercise_time
        label, _colour = STATUS.get(view.status, (view.status.upper(), "$text"))
        self.query_one("#room-title", Static).update(
            f"[b]{shown(scenario.title)}[/b]  ·  [b]{label}[/b]"
        )
        self.set_class(view.status != "running", "-stopped")
        self.query_one("#room-clock", Digits).update(f"{scenario_datetime(scenario, now):%H:%M}")
        phase = scenario.phases.get(view.phase)
        phase_title = phase.title if phase else view.phase
        if view.status in ("hot_wash", "ended") and view.ending_title:
            phase_title = f"Ended: {view.ending_title}"
        self.query_one("#clock-info", Static).update(
            f"[b]{scenario_datetime(scenario, now):%A %d %B %Y}[/b]\n"
            f"Phase: [b]{shown(phase_title)}[/b]\n"
            f"exercise time {clock_text(now)}  {speed_text(view.speed)}"
        )
        owed = owed_count(view)
        self.query_one("#board-title", Static).update(
            f"Decisions · {owed} still owed" if owed else "Decisions · none owed"
        )
        self.query_one("#room-board", Static).update(self._board(now))
        self.query_one("#room-injects", Static).update(self._injects())

    def _board(self, now: int) -> Table | Text:
        app = self.app
        rows = room_rows(app.scenario, app.link.view, now)
        if not rows:
            return Text("No decision has been asked yet.")
        table = Table(expand=True, show_edge=False, box=None, pad_edge=False, header_style="bold")
        table.add_column("Seat", no_wrap=True)
        table.add_column("Decision", ratio=1)
        table.add_column("State", no_wrap=True)
        table.add_column("Due / at", no_wrap=True)
        table.add_column("Left", no_wrap=True)
        for row in rows:
            style = "bold reverse" if row.urgent else ("" if row.state == "OPEN" else "dim")
            decision = Text(printable(row.prompt))
            if row.answer:
                decision.append(f"\n→ {printable(row.answer)}", style="italic")
            table.add_row(
                Text(printable(row.seat), style="bold"),
                decision,
                Text(row.state, style=style),
                Text(printable(row.due), style=style),
                Text(printable(row.left), style=style),
            )
        return table

    def _injects(self) -> Text:
        app = self.app
        items = public_injects(app.scenario, app.link.view)
        if not items:
            return Text("No public inject yet.")
        text = Text()
        for index, item in enumerate(items):
            text.append(f"{item.when}  ", style="bold")
            text.append(printable(item.title), style="bold")
            text.append(f"\n{printable(item.channel)} · {printable(item.sender)}\n", style="dim")
            if index == 0 and item.body.strip():
                text.append(printable(item.body.strip()) + "\n")
            text.append("\n")
        text.rstrip()
        return text
