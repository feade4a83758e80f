"""The review screen: the decisions in time order on the left, everything about one on the right.

Keys: p / s / m / u rate the highlighted decision; c rates one consideration at it; n adds a
note; o rates the exercise's objectives; e edits the improvement plan; x exports the report. The table and the detail come from
:mod:`exercise_engine.ui.views.review` (plain functions, tested without Textual).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar, cast

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Markdown, Static

from exercise_engine.ui.views.review import decision_markdown, decision_rows, summary_line

if TYPE_CHECKING:
    from exercise_engine.ui.review.app import ReviewApp

COLUMNS = ("Time", "Decision", "Role", "Indicator", "Mine")


class ReviewScreen(Screen[None]):
    """Walk the decisions; rate and annotate each."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("p", "rate('P')", "P", tooltip="Rate: performed without challenges"),
        Binding("s", "rate('S')", "S", tooltip="Rate: performed with some challenges"),
        Binding("m", "rate('M')", "M", tooltip="Rate: performed with major challenges"),
        Binding("u", "rate('U')", "U", tooltip="Rate: unable to be performed"),
        Binding(
            "c",
            "rate_consideration",
            "Consideration",
            tooltip="Rate one consideration at this decision",
        ),
        Binding("n", "note", "Note", tooltip="Add a note to this decision"),
        Binding("o", "objectives", "Objectives", tooltip="Rate the exercise's objectives"),
        Binding("e", "plan", "Plan", tooltip="Edit the improvement plan"),
        Binding("x", "export", "Export", tooltip="Export the report as HTML"),
        Binding("ctrl+q", "app.quit", "Quit"),
    ]
    CSS_PATH = "review.tcss"

    def compose(self) -> ComposeResult:
        yield Static(id="summary")
        with Horizontal():
            yield DataTable(id="decisions", cursor_type="row", zebra_stripes=True)
            with VerticalScroll(id="detail-box"):
                yield Markdown(id="detail")
        yield Footer()

    @property
    def review(self) -> ReviewApp:
        return cast("ReviewApp", self.app)

    def on_mount(self) -> None:
        self.show_data()
        self.query_one("#decisions", DataTable).focus()

    def show_data(self) -> None:
        data = self.review.data
        if not data or not self.query("#decisions"):
            return
        self.query_one("#summary", Static).update(summary_line(data, self.review.evaluator))
        table = self.query_one("#decisions", DataTable)
        if not table.columns:
            table.add_columns(*COLUMNS)
        row = table.cursor_row
        table.clear()
        short = {r.id: r.abbreviation for r in self.review.scenario.roles.values()}
        for cells in decision_rows(data, self.review.evaluator, short):
            table.add_row(*cells, key=cells[1])
        if data["decisions"]:
            table.move_cursor(row=min(max(row, 0), len(data["decisions"]) - 1))
        self._show_detail()

    def current(self) -> dict[str, Any] | None:
        decisions = self.review.data.get("decisions", [])
        table = self.query_one("#decisions", DataTable)
        if not decisions or table.cursor_row < 0:
            return None
        return cast("dict[str, Any]", decisions[min(table.cursor_row, len(decisions) - 1)])

    def on_data_table_row_highlighted(self, _event: DataTable.RowHighlighted) -> None:
        self._show_detail()

    def _show_detail(self) -> None:
        decision = self.current()
        text = (
            decision_markdown(decision, self.review.data.get("evaluator_notes", []))
            if decision
            else "No decision point was reached in this exercise."
        )
        for detail in self.query("#detail").results(Markdown):  # absent while still composing
            detail.update(text)

    async def action_rate(self, rating: str) -> None:
        decision = self.current()
        if decision is not None:
            await self.review.rate(decision["inject"], decision["decision"], rating)

    def action_rate_consideration(self) -> None:
        from exercise_engine.ui.review.dialogs import ConsiderationRatingScreen

        decision = self.current()
        if decision is not None:
            self.app.push_screen(ConsiderationRatingScreen(decision))

    def action_note(self) -> None:
        from exercise_engine.ui.review.dialogs import EvaluatorNoteScreen

        decision = self.current()
        if decision is not None:
            self.app.push_screen(EvaluatorNoteScreen(decision))

    def action_objectives(self) -> None:
        self.review.open_objectives()

    def action_plan(self) -> None:
        self.review.open_plan()

    async def action_export(self) -> None:
        await self.review.export()
