"""Hot seat: the facilitator records a role's decision on its behalf (marked as such).

Used when the room plays round one screen (``run --hot-seat``) or when a participant's laptop
fails. The decision is journalled with ``actor = facilitator`` and ``on_behalf = true``, so the
after-action report can tell it apart.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, cast

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from exercise_engine.ui.views.board import PointKey
from exercise_engine.ui.widgets.decision_form import DecisionForm

if TYPE_CHECKING:
    from exercise_engine.ui.facilitator.app import FacilitatorApp


class HotSeatScreen(ModalScreen[bool]):
    """One open decision point, answered by the facilitator for its role."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]
    CSS_PATH = "dialogs.tcss"

    def __init__(self, key: PointKey) -> None:
        super().__init__()
        self.key = key

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog"):
            yield Static("[b]Hot seat[/b]  (ctrl+s records, escape cancels)")
            yield DecisionForm(self.key, on_behalf=True, id="hot-seat-form")

    def on_mount(self) -> None:
        self.query_one(DecisionForm).redraw()
        self.query_one(DecisionForm).focus_first()

    async def on_decision_form_submitted(self, message: DecisionForm.Submitted) -> None:
        app = cast("FacilitatorApp", self.app)
        point = app.link.view.points[self.key]
        outcome = await app.command(
            lambda exercise: exercise.decide(
                role=point.role,
                inject=self.key[0],
                decision=self.key[1],
                option=message.option,
                rationale=message.rationale,
                actor="facilitator",
            )
        )
        if outcome is None:
            return
        if outcome.accepted:
            self.notify(f"Recorded for the {app.scenario.role_title(point.role)}")
            self.dismiss(True)
        else:
            message.form.show_result(f"Refused: {outcome.reason}", "error")

    def action_cancel(self) -> None:
        self.dismiss(False)
