"""The evaluator's dialogs: rate one consideration at a decision; write a note on it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar, cast

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static, TextArea
from textual.widgets.option_list import Option

from exercise_engine.ui.views.review import considerations_at

if TYPE_CHECKING:
    from exercise_engine.ui.review.app import ReviewApp


class ConsiderationRatingScreen(ModalScreen[None]):
    """Pick a consideration in play at the decision, then press p, s, m or u."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("p", "rate('P')", "P"),
        Binding("s", "rate('S')", "S"),
        Binding("m", "rate('M')", "M"),
        Binding("u", "rate('U')", "U"),
        Binding("escape", "dismiss", "Close"),
    ]
    CSS_PATH = "review.tcss"

    def __init__(self, decision: dict[str, Any]) -> None:
        super().__init__()
        self.decision = decision

    def compose(self) -> ComposeResult:
        app = cast("ReviewApp", self.app)
        considerations = app.scenario.considerations
        with Vertical(classes="dialog"):
            yield Static(
                f"[b]{self.decision['key']}[/b]: pick a consideration, then p, s, m or u (escape closes)"
            )
            options = []
            for cid in considerations_at(self.decision):
                statement = considerations[cid].statement if cid in considerations else ""
                options.append(Option(f"{cid} — {statement}", id=cid))
            yield OptionList(*options, id="considerations")

    def on_mount(self) -> None:
        option_list = self.query_one("#considerations", OptionList)
        option_list.focus()
        if option_list.option_count:
            option_list.highlighted = 0

    async def action_rate(self, rating: str) -> None:
        option_list = self.query_one("#considerations", OptionList)
        if option_list.highlighted is None:
            self.notify("Pick a consideration first", severity="warning")
            return
        cid = option_list.get_option_at_index(option_list.highlighted).id
        app = cast("ReviewApp", self.app)
        await app.rate(
            self.decision["inject"], self.decision["decision"], rating, consideration=cid
        )


class EvaluatorNoteScreen(ModalScreen[bool]):
    """A note on a decision; ctrl+s saves it to the journal, escape drops it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save note"),
        Binding("escape", "cancel", "Cancel"),
    ]
    CSS_PATH = "review.tcss"

    def __init__(self, decision: dict[str, Any]) -> None:
        super().__init__()
        self.decision = decision

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(f"[b]Note on {self.decision['key']}[/b]  (ctrl+s saves, escape cancels)")
            yield TextArea(id="note", soft_wrap=True)

    def on_mount(self) -> None:
        self.query_one("#note", TextArea).focus()

    async def action_save(self) -> None:
        app = cast("ReviewApp", self.app)
        text = self.query_one("#note", TextArea).text
        if await app.add_note(self.decision["inject"], self.decision["decision"], text):
            self.dismiss(True)

    def action_cancel(self) -> None:
        self.dismiss(False)
