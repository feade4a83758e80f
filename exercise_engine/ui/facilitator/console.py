"""The facilitator's live console: clock and controls, MSEL, decision board, world, log, notes.

Keyboard-first: every control is a key on this screen (F1 lists them, ctrl+p finds them by
name). The tables are rebuilt from the state snapshot whenever new events arrive; the cursor keeps
its row. At 120 columns and wider the world gauges stay beside the tabs. The MSEL and the decision
board fit their columns to the width they have (``views/columns.py``): what a facilitator scans
stays whole, the prose wraps. Times are on the scenario clock.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial
from typing import TYPE_CHECKING, ClassVar, cast

from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Footer, RichLog, Static, TabbedContent, TabPane

from exercise_engine.commands.exercises import describe_event
from exercise_engine.model.events import Event
from exercise_engine.safe_text import printable
from exercise_engine.ui.facilitator.seats import SeatsPane
from exercise_engine.ui.messages import ExerciseUpdated
from exercise_engine.ui.safe_output import shown
from exercise_engine.ui.views.board import (
    BOARD_LABELS,
    advice_marks,
    board_cells,
    board_rows,
    board_widths,
    option_label,
    point_advice,
    timing_text,
)
from exercise_engine.ui.views.msel import MSEL_LABELS, msel_cells, msel_rows, msel_widths
from exercise_engine.ui.views.timefmt import scenario_clock_text
from exercise_engine.ui.widgets.clock_bar import ClockBar
from exercise_engine.ui.widgets.fitted_table import FittedTable
from exercise_engine.ui.widgets.gauges import WorldGauges
from exercise_engine.ui.widgets.tabs import show_tab

if TYPE_CHECKING:
    from exercise_engine.ui.facilitator.app import FacilitatorApp

SPEEDS = (1, 2, 5, 10, 20, 30, 60, 120, 300, 600)
"""The speed ladder the + and - keys climb (exercise seconds per wall second)."""

TABS = ("msel", "board", "world", "log", "notes", "seats")


def next_speed(speed: float, up: bool) -> float:
    """The next rung of the ladder above (or below) ``speed``; the ends stay where they are."""
    if up:
        return float(next((s for s in SPEEDS if s > speed), SPEEDS[-1]))
    return float(next((s for s in reversed(SPEEDS) if s < speed), SPEEDS[0]))


class FacilitatorScreen(Screen[None]):
    """The exercise while it runs (or is paused)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f1", "app.help", "Help", tooltip="The keys of this screen"),
        Binding("space", "pause_resume", "Pause", tooltip="Pause or resume the clock"),
        Binding("j", "jump", "Jump", tooltip="Jump to the next timed inject and deliver it"),
        Binding("m", "manual_inject", "Inject", tooltip="Write and send a manual inject"),
        Binding("h", "hot_seat", "Hot seat", tooltip="Record a role's decision on its behalf"),
        Binding("e", "end", "End", tooltip="End the scenario now and go to the hot wash"),
        Binding("o", "owed", "Owed", tooltip="Decision board: only the decisions still owed"),
        Binding("f2", "app.toggle_contrast", "Contrast", tooltip="High contrast for projectors"),
        Binding(
            "plus,equals_sign", "speed(True)", "Faster", show=False, tooltip="Clock faster (+)"
        ),
        Binding("minus", "speed(False)", "Slower", show=False, tooltip="Clock slower (-)"),
        Binding("d", "deliver", "Deliver", show=False, tooltip="Deliver the highlighted inject"),
        Binding("n", "note", "Note", show=False, tooltip="Write a note into the journal"),
        Binding("r", "record", "Record", show=False, tooltip="Download the exercise record"),
        *(Binding(str(i), f"tab('{tab}')", "", show=False) for i, tab in enumerate(TABS, 1)),
    ]
    HELP_KEYS: ClassVar[list[tuple[str, str]]] = [
        ("1 to 6", "Show MSEL, Decisions, World, Log, Notes, Seats"),
    ]
    AUTO_FOCUS = ""
    CSS_PATH = "console.tcss"
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (120, "-wide")]  # noqa: RUF012 (Textual's type)
    TITLE = "Console"

    def __init__(self) -> None:
        super().__init__()
        self._logged = 0
        self.event_log: list[str] = []
        """The lines of the event log, as written to the log tab."""
        self.owed_only = False
        """The decision board shows only the decisions still owed (key o)."""

    def compose(self) -> ComposeResult:
        app = cast("FacilitatorApp", self.app)
        yield ClockBar(id="clock")
        with Horizontal(id="main"):
            initial = "board" if app.hot_seat else "msel"
            with TabbedContent(initial=initial, id="tabs"):
                with TabPane("1 MSEL", id="msel"):
                    yield FittedTable("msel-table")
                with TabPane("2 Decisions", id="board"):
                    yield Static("", id="board-filter")
                    yield FittedTable("board-table")
                    yield Static("", id="board-detail")
                with TabPane("3 World", id="world"):
                    yield WorldGauges(id="world-gauges")
                with TabPane("4 Log", id="log"):
                    yield RichLog(id="event-log", wrap=True, markup=False)
                with TabPane("5 Notes", id="notes"):
                    yield Static("", id="notes-list")
                with TabPane("6 Seats", id="seats"):
                    yield SeatsPane(app.codes, app.db, id="seats-pane")
            with Vertical(id="side"):
                yield Static("World", classes="side-title")
                yield WorldGauges(id="side-gauges")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        app = cast("FacilitatorApp", self.app)
        tabs = self.query_one("#tabs", TabbedContent)
        show_tab(tabs, tabs.active)
        self.watch(app, "revision", self.redraw)
        self.watch(app, "exercise_time", self.redraw_board)
        self._log(app.history)

    def on_exercise_updated(self, message: ExerciseUpdated) -> None:
        self._log(message.events)
        app = cast("FacilitatorApp", self.app)
        for event in message.events:
            if event.kind == "inject_delivered":
                inject = app.scenario.injects.get(str(event.payload.get("inject")))
                for spec in inject.decisions if inject else ():
                    who = app.scenario.role_title(spec.role)
                    hint = " (h records it)" if app.hot_seat else ""
                    self.notify(f"{who}: {spec.prompt}{hint}", title="Decision open")

    def _log(self, events: list[Event]) -> None:
        app = cast("FacilitatorApp", self.app)
        log = self.query_one("#event-log", RichLog)
        for event in events:
            if event.seq <= self._logged:
                continue
            self._logged = event.seq
            line = describe_event(app.link.exercise, event.kind, event.payload, event.role)
            if event.kind == "facilitator_note":
                line = f"note       {event.payload.get('text', '')}"
            line = f"{scenario_clock_text(app.scenario, event.exercise_time)}  {line}"
            self.event_log.append(line)
            log.write(printable(line))

    # --- drawing ----------------------------------------------------------------------------

    def redraw(self, _value: object = None) -> None:
        self.redraw_msel()
        self.redraw_board()
        self.redraw_notes()

    def on_fitted_table_refit(self, message: FittedTable.Refit) -> None:
        """A table has a new width: fit its columns to it."""
        if message.table.id == "msel-table":
            self.redraw_msel()
        else:
            self.redraw_board()

    def redraw_msel(self) -> None:
        app = cast("FacilitatorApp", self.app)
        table = self.query_one("#msel-table", FittedTable)
        keep = self._cursor_key(table)
        rows = msel_rows(app.scenario, app.link.view)
        widths = msel_widths(rows, table.available)
        table.refill(MSEL_LABELS, widths, ((row.inject, msel_cells(row, widths)) for row in rows))
        self._restore_cursor(table, keep)

    def redraw_board(self, _value: object = None) -> None:
        app = cast("FacilitatorApp", self.app)
        view = app.link.view
        table = self.query_one("#board-table", FittedTable)
        keep = self._cursor_key(table)
        running = view.status == "running"
        every = board_rows(app.scenario, view, app.exercise_time, running)
        rows = [row for row in every if row.owed] if self.owed_only else every
        widths = board_widths(app.scenario, rows, table.available)
        cells = (("/".join(row.key), board_cells(row, widths)) for row in rows)
        table.refill(BOARD_LABELS, widths, cells)
        self._restore_cursor(table, keep)
        owed = sum(1 for row in every if row.owed)
        if self.owed_only:
            status = f"Still owed: {owed} of {len(every)} decisions  (o shows all)"
        else:
            status = f"All {len(every)} decisions, {owed} still owed  (o: only those owed)"
        self.query_one("#board-filter", Static).update(status)
        self.redraw_detail()

    def redraw_detail(self) -> None:
        app = cast("FacilitatorApp", self.app)
        view, scenario = app.link.view, app.scenario
        key = self.selected_point()
        detail = self.query_one("#board-detail", Static)
        if key is None:
            detail.update("No decision point has opened yet." if not view.points else "")
            return
        point = view.points[key]
        spec = scenario.decision_point(*key)
        timing = timing_text(
            scenario, point, app.exercise_time, view.speed, view.status == "running"
        )
        marks = advice_marks(scenario, view, key)
        lines = [
            f"[b]{shown(spec.prompt if spec else key[1])}[/b]",
            f"{shown(key[0])}/{shown(key[1])} · {shown(scenario.role_title(point.role))}"
            f" · {shown(timing)}" + (f" · advice {shown(marks)}" if marks else ""),
        ]
        for advice in point_advice(view, key):
            rec = (
                f' recommends "{shown(option_label(scenario, key, advice.recommend))}"'
                if advice.recommend
                else ""
            )
            lines.append(
                f"• {scenario_clock_text(scenario, advice.at)} "
                f"{shown(scenario.role_title(advice.role))}{rec}: "
                f"{shown(advice.text)}"
            )
        if point.status == "decided":
            who = "the facilitator (hot seat)" if point.on_behalf else "the role"
            lines.append(f"Answer: {shown(option_label(scenario, key, point.option))}")
            lines.append(f"Rationale ({who}): {shown(point.rationale) or '—'}")
        detail.update("\n".join(lines))

    def redraw_notes(self) -> None:
        app = cast("FacilitatorApp", self.app)
        view = app.link.view
        lines = [
            f"{scenario_clock_text(app.scenario, int(n['at']))}  {shown(str(n['text']))}"
            for n in view.notes
        ]
        self.query_one("#notes-list", Static).update(
            "\n".join(lines) or "No notes yet: press n to write one."
        )

    @staticmethod
    def _cursor_key(table: DataTable) -> str | None:  # type: ignore[type-arg]
        if table.row_count == 0:
            return None
        try:
            return str(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value)
        except Exception:
            return None

    @staticmethod
    def _restore_cursor(table: DataTable, key: str | None) -> None:  # type: ignore[type-arg]
        if key is None:
            return
        try:
            table.move_cursor(row=table.get_row_index(key), animate=False, scroll=False)
        except Exception:
            return

    def selected_point(self) -> tuple[str, str] | None:
        view = cast("FacilitatorApp", self.app).link.view
        key = self._cursor_key(self.query_one("#board-table", DataTable))
        if key is None:
            return None
        inject, _, decision = key.partition("/")
        return (inject, decision) if (inject, decision) in view.points else None

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.data_table.id == "board-table":
            self.redraw_detail()

    # --- actions ----------------------------------------------------------------------------

    async def action_pause_resume(self) -> None:
        app = cast("FacilitatorApp", self.app)
        if app.link.view.status == "running":
            await app.command(lambda exercise: exercise.pause(), "Clock paused")
        else:
            await app.command(lambda exercise: exercise.resume(), "Clock running")

    async def action_speed(self, up: bool) -> None:
        app = cast("FacilitatorApp", self.app)
        speed = next_speed(app.link.view.speed, up)
        await app.command(lambda exercise: exercise.set_speed(speed), f"Speed x{speed:g}")

    async def action_jump(self) -> None:
        app = cast("FacilitatorApp", self.app)
        await app.command(lambda exercise: exercise.jump_to_next(), "Jumped to the next inject")

    def palette_commands(self) -> Iterable[SystemCommand]:
        """Each tab by name in the command palette."""
        for tab, title, help_text in [
            ("msel", "MSEL", "Every inject and its state"),
            ("board", "Decisions", "Who owes what, countdowns, advice received"),
            ("world", "World", "The world-state gauges and flags"),
            ("log", "Log", "Every event of the journal"),
            ("notes", "Notes", "The facilitator's notes"),
            ("seats", "Seats", "Who is connected, what each seat has read, join codes"),
        ]:
            yield SystemCommand(f"Show {title}", help_text, partial(self.action_tab, tab))

    def action_tab(self, tab: str) -> None:
        show_tab(self.query_one("#tabs", TabbedContent), tab)

    def action_owed(self) -> None:
        """Show only the decisions still owed on the board (o again shows all)."""
        self.owed_only = not self.owed_only
        self.action_tab("board")
        self.redraw_board()

    def action_manual_inject(self) -> None:
        from exercise_engine.ui.facilitator.manual_inject import ManualInjectScreen

        self.app.push_screen(ManualInjectScreen())

    def action_note(self) -> None:
        from exercise_engine.ui.facilitator.note import NoteScreen

        self.app.push_screen(NoteScreen())

    def action_hot_seat(self) -> None:
        from exercise_engine.ui.facilitator.hot_seat import HotSeatScreen

        view = cast("FacilitatorApp", self.app).link.view
        key = self.selected_point()
        if key is None or not view.points[key].is_open:
            open_points = sorted(view.open_points(), key=lambda p: p.opened_at)
            if not open_points:
                self.notify("No decision is open.", severity="warning")
                return
            key = (open_points[0].inject, open_points[0].decision)
        self.app.push_screen(HotSeatScreen(key))

    def action_deliver(self) -> None:
        from exercise_engine.ui.confirm import ConfirmScreen

        app = cast("FacilitatorApp", self.app)
        self.action_tab("msel")
        inject_id = self._cursor_key(self.query_one("#msel-table", DataTable))
        inject = app.scenario.injects.get(inject_id or "")
        if inject is None or inject.id in app.link.view.deliveries:
            self.notify("Highlight an inject not yet delivered on the MSEL.", severity="warning")
            return

        async def answer(yes: bool | None) -> None:
            if yes:
                await app.command(lambda exercise: exercise.deliver(inject.id), "Delivered")

        question = f"Deliver {inject.id} now, by hand?"
        self.app.push_screen(ConfirmScreen(question, inject.title, yes="Deliver"), answer)

    def action_end(self) -> None:
        from exercise_engine.ui.confirm import ConfirmScreen

        app = cast("FacilitatorApp", self.app)

        async def answer(yes: bool | None) -> None:
            if yes:
                await app.command(lambda exercise: exercise.end_scenario(), "Play has ended")

        detail = "Open decisions close undecided; the hot wash follows."
        self.app.push_screen(ConfirmScreen("End the scenario now?", detail, yes="End"), answer)

    async def action_record(self) -> None:
        await cast("FacilitatorApp", self.app).deliver_record()
