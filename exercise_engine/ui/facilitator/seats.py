"""The facilitator's Seats tab: who is in the room, what each seat has read, who is not played.

Who calls it: :class:`exercise_engine.ui.facilitator.console.FacilitatorScreen` (tab 6). Per
seat: its join code, whether a console of it is connected now (or when it was last seen, or that
it never joined), how many of the messages sent to it it has opened, and whether it is played.
Below, the read receipts: each delivered message with the seats that opened it and those that
have not yet. ``x`` marks the highlighted seat not played (or played again) through
``Exercise.set_seat``, the same engine call as ``exercise-engine seat --not-played``; its points
are then left out of the after-action scores.

The rows come from :mod:`exercise_engine.ui.views.presence` (pure); the tab recomputes them at
every poll and redraws only when they changed, so "connected" turns into "last seen" on time
even while nothing is journalled.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual import getters
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import DataTable, Static

from exercise_engine.engine.presence import FACILITATOR
from exercise_engine.ui.base import ConsoleApp
from exercise_engine.ui.safe_output import plain, shown
from exercise_engine.ui.views.presence import ReceiptRow, SeatRow, receipt_rows, seat_rows

if TYPE_CHECKING:
    from exercise_engine.journal.opener import Target


class SeatsPane(Vertical):
    """Seats, their presence and codes; read receipts per message."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("x", "toggle_played", "Not played", tooltip="Mark the seat not played (or played)")
    ]
    DEFAULT_CSS = """
    SeatsPane { height: 1fr; }
    SeatsPane #seats-table { height: auto; max-height: 11; }
    SeatsPane #seat-detail { height: auto; padding: 0 1; color: $text-muted; }
    SeatsPane #receipts-title { padding: 0 1; text-style: bold; color: $accent; }
    SeatsPane #receipts-table { height: 1fr; min-height: 3; }
    """

    app = getters.app(ConsoleApp)

    def __init__(self, codes: dict[str, str], db: Target, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.codes = codes
        """Each seat's join code (the facilitator first), as the console read them."""
        self.db = db
        self.rows: list[SeatRow] = []
        """The seats as last drawn."""
        self.receipts: list[ReceiptRow] = []
        """The read receipts as last drawn."""

    def compose(self) -> ComposeResult:
        yield DataTable(id="seats-table", cursor_type="row", zebra_stripes=True)
        yield Static("", id="seat-detail")
        yield Static("Read receipts", id="receipts-title")
        yield DataTable(id="receipts-table", cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        seats = self.query_one("#seats-table", DataTable)
        seats.add_columns("Seat", "Code", "Presence", "Read", "Played")
        receipts = self.query_one("#receipts-table", DataTable)
        receipts.add_columns("Time", "Message", "Opened by", "Not yet")
        self.watch(self.app, "polled", self.redraw)

    def redraw(self, _value: object = None) -> None:
        """Recompute the rows; touch the tables only when something changed."""
        app = self.app
        view = app.link.view
        seats = list(self.codes) or [FACILITATOR, *app.scenario.roles]
        rows = seat_rows(app.scenario, view, app.link.presence, app.clock.now(), seats)
        if rows != self.rows:
            self.rows = rows
            table = self.query_one("#seats-table", DataTable)
            keep = table.cursor_row
            table.clear()
            for row in rows:
                code = self.codes.get(row.seat, "")
                cells = (row.title, code, row.presence, row.opened, row.played)
                table.add_row(*map(plain, cells), key=row.seat)
            if rows:
                table.move_cursor(row=min(keep, len(rows) - 1), animate=False, scroll=False)
            self.redraw_detail()
        receipts = receipt_rows(app.scenario, view)
        if receipts != self.receipts:
            self.receipts = receipts
            table = self.query_one("#receipts-table", DataTable)
            table.clear()
            for r in receipts:
                table.add_row(*map(plain, (r.time, r.title, r.opened, r.waiting)), key=r.key)

    def selected(self) -> SeatRow | None:
        table = self.query_one("#seats-table", DataTable)
        if not self.rows or table.cursor_row < 0:
            return None
        return self.rows[min(table.cursor_row, len(self.rows) - 1)]

    def redraw_detail(self) -> None:
        row = self.selected()
        detail = self.query_one("#seat-detail", Static)
        if row is None:
            detail.update("")
            return
        join = f"exercise-engine join {self.db} --role {row.seat}"
        hint = "" if row.seat == FACILITATOR else " · x: mark not played / played"
        detail.update(f"{shown(join)}{hint}")

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.data_table.id == "seats-table":
            self.redraw_detail()

    def action_toggle_played(self) -> None:
        """Ask, then record the seat as not played (or played again) in the journal."""
        from exercise_engine.ui.confirm import ConfirmScreen

        row = self.selected()
        if row is None or row.seat == FACILITATOR:
            self.notify("Highlight a role's seat first.", severity="warning")
            return
        role, played = row.seat, row.played != "played"
        if played:
            question = f"Mark {row.title} as played again?"
            detail = "Its decision points count in the after-action scores again."
        else:
            question = f"Mark {row.title} as not played?"
            detail = "Nobody sat this seat: its decision points are left out of the scores."

        async def answer(yes: bool | None) -> None:
            if yes:
                done = f"{row.title}: {'played' if played else 'not played'}"
                await self.app.command(
                    lambda exercise: exercise.set_seat(
                        role=role,
                        participant=exercise.state.seat_participants.get(role),
                        played=played,
                    ),
                    done,
                )
                self.redraw()

        self.app.push_screen(ConfirmScreen(question, detail, yes="Mark"), answer)
