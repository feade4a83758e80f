"""Before play: the scenario's briefing, the seats and their join codes, and the start key.

The console opens the briefing as soon as it starts (participants then see it), so the room can
read while people join; ``s`` starts the clock.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, cast

from rich.table import Table
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Markdown, Static

from exercise_engine.safe_text import printable
from exercise_engine.ui.safe_output import plain, shown
from exercise_engine.ui.widgets.clock_bar import ClockBar

if TYPE_CHECKING:
    from exercise_engine.ui.facilitator.app import FacilitatorApp


def seats_table(app: FacilitatorApp) -> Table:
    """Each seat, its join code and the command that opens it on a local terminal."""
    table = Table(expand=True, show_edge=False, title="Seats and join codes")
    table.add_column("Seat", ratio=2)
    table.add_column("Code", no_wrap=True, style="bold")
    table.add_column("Join from a terminal", ratio=3)
    for seat, code in app.codes.items():
        title = "Facilitator" if seat == "facilitator" else app.scenario.role_title(seat)
        table.add_row(*map(plain, (title, code, f"exercise-engine join {app.db} --role {seat}")))
    return table


class BriefingScreen(Screen[None]):
    """The briefing, read together before the clock starts."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f1", "app.help", "Help", tooltip="The keys of this screen"),
        Binding("s", "start", "Start the clock", tooltip="Start play: the clock runs from 00:00"),
    ]
    CSS_PATH = "briefing.tcss"
    TITLE = "Briefing"

    def compose(self) -> ComposeResult:
        app = cast("FacilitatorApp", self.app)
        file = app.scenario.file
        yield ClockBar(id="clock")
        with VerticalScroll(id="briefing"):
            yield Static(f"[b]{shown(file.title)}[/b]", id="title")
            if file.mission or file.summary:
                summary = " ".join(file.summary.split())
                yield Static(
                    printable(f"{file.mission}\n{summary}".strip()), markup=False, id="summary"
                )
            yield Markdown(printable(file.briefing) or "_This scenario has no briefing text._")
            yield Static(seats_table(app), id="seats")
            yield Static(
                "Press [b]s[/b] to start the clock once the room is ready.", id="start-hint"
            )
        yield Footer()

    async def action_start(self) -> None:
        app = cast("FacilitatorApp", self.app)
        await app.command(lambda exercise: exercise.start(), "The clock is running")
