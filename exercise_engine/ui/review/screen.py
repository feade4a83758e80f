"""The review screen: the decisions in time order on the left, everything about one on the right.

Keys: p / s / m / u rate the highlighted decision; c rates one consideration at it; n adds a
note; o rates the exercise's objectives; e edits the improvement plan; x exports the report. The table and the detail come from
:mod:`exercise_engine.ui.views.review` (plain functions, tested without Textual).
"""

from __future__ import annotations

from typing import Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Markdown, Static

from exercise_engine.safe_text import printable
from exercise_engine.ui.review.dialogs import (
    ConsiderationRatingScreen,
    EvaluatorNoteScreen,
    ObjectiveRatingScreen,
    PlanEditScreen,
)
from exercise_engine.ui.review.messages import ExportRequested, RateDecision
from exercise_engine.ui.safe_output import plain, shown
from exercise_engine.ui.views.review import decision_markdown, decision_rows, summary_line

COLUMNS = ("Time", "Decision", "Role", "Indicator", "Mine")


class ReviewScreen(Screen[None]):
    """Walk the decisions; rate and annotate each.

    Data comes down (the constructor, then :meth:`show_data` after every re-score); requests go
    up as messages (:mod:`exercise_engine.ui.review.messages`); the screen never imports the app.
    """

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

    def __init__(
        self,
        evaluator: str,
        *,
        short_roles: dict[str, str],
        roles: dict[str, str],
        statements: dict[str, str],
    ) -> None:
        super().__init__()
        self.evaluator = evaluator
        self.short_roles = short_roles
        """Role id -> abbreviation (the table's Role column)."""
        self.roles = roles
        """Role id -> title (the plan's responsible role)."""
        self.statements = statements
        """Consideration id -> statement."""
        self.data: dict[str, Any] = {}

    def compose(self) -> ComposeResult:
        yield Static(id="summary")
        with Horizontal():
            yield DataTable(id="decisions", cursor_type="row", zebra_stripes=True)
            with VerticalScroll(id="detail-box"):
                yield Markdown(id="detail")
        yield Footer()

    def on_mount(self) -> None:
        self.show_data(self.data)
        self.query_one("#decisions", DataTable).focus()

    def show_data(self, data: dict[str, Any]) -> None:
        """Fresh report data (after a rating here, or events from elsewhere)."""
        self.data = data
        if not data or not self.query("#decisions"):
            return
        self.query_one("#summary", Static).update(shown(summary_line(data, self.evaluator)))
        table = self.query_one("#decisions", DataTable)
        if not table.columns:
            table.add_columns(*COLUMNS)
        row = table.cursor_row
        table.clear()
        for cells in decision_rows(data, self.evaluator, self.short_roles):
            table.add_row(*map(plain, cells), key=cells[1])
        if data["decisions"]:
            table.move_cursor(row=min(max(row, 0), len(data["decisions"]) - 1))
        self._show_detail()

    def current(self) -> dict[str, Any] | None:
        decisions = self.data.get("decisions", [])
        table = self.query_one("#decisions", DataTable)
        if not decisions or table.cursor_row < 0:
            return None
        chosen: dict[str, Any] = decisions[min(table.cursor_row, len(decisions) - 1)]
        return chosen

    def on_data_table_row_highlighted(self, _event: DataTable.RowHighlighted) -> None:
        self._show_detail()

    def _show_detail(self) -> None:
        decision = self.current()
        text = (
            decision_markdown(decision, self.data.get("evaluator_notes", []))
            if decision
            else "No decision point was reached in this exercise."
        )
        for detail in self.query("#detail").results(Markdown):  # absent while still composing
            detail.update(printable(text))

    def action_rate(self, rating: str) -> None:
        decision = self.current()
        if decision is not None:
            self.post_message(RateDecision(decision["inject"], decision["decision"], rating))

    def action_rate_consideration(self) -> None:
        decision = self.current()
        if decision is not None:
            self.app.push_screen(ConsiderationRatingScreen(decision, self.statements))

    def action_note(self) -> None:
        decision = self.current()
        if decision is not None:
            self.app.push_screen(EvaluatorNoteScreen(decision))

    def action_objectives(self) -> None:
        self.app.push_screen(ObjectiveRatingScreen(self.data.get("objectives", []), self.evaluator))

    def action_plan(self) -> None:
        self.app.push_screen(PlanEditScreen(self.data.get("improvement_plan", []), self.roles))

    def action_export(self) -> None:
        self.post_message(ExportRequested())
