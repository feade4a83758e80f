"""A facilitator's note: a line for the journal (what the room said, what to raise later)."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, cast

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static, TextArea

if TYPE_CHECKING:
    from exercise_engine.ui.facilitator.app import FacilitatorApp


class NoteScreen(ModalScreen[bool]):
    """Write a note; ctrl+s saves it to the journal, escape drops it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save note"),
        Binding("escape", "cancel", "Cancel"),
    ]
    CSS_PATH = "dialogs.tcss"

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static("[b]Note[/b]  (ctrl+s saves, escape cancels)")
            yield TextArea(id="note", soft_wrap=True)

    def on_mount(self) -> None:
        self.query_one("#note", TextArea).focus()

    async def action_save(self) -> None:
        app = cast("FacilitatorApp", self.app)
        text = self.query_one("#note", TextArea).text
        if await app.command(lambda exercise: exercise.note(text), "Note saved"):
            self.dismiss(True)

    def action_cancel(self) -> None:
        self.dismiss(False)
