"""Write a new inject during play: title, sender, channel, audience and text; sent at once.

A manual inject is journalled like any other event and lands in the chosen roles' inboxes; it
carries no decision point (a written question goes in its text and the answers into notes).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, cast

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Select, SelectionList, Static, TextArea

if TYPE_CHECKING:
    from exercise_engine.ui.facilitator.app import FacilitatorApp


class ManualInjectScreen(ModalScreen[bool]):
    """The manual-inject form; dismisses True once the inject is sent."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "send", "Send inject"),
        Binding("escape", "cancel", "Cancel"),
    ]
    CSS_PATH = "dialogs.tcss"

    def compose(self) -> ComposeResult:
        app = cast("FacilitatorApp", self.app)
        with VerticalScroll(classes="dialog"):
            yield Static("[b]Manual inject[/b]  (ctrl+s sends, escape cancels)")
            yield Input(placeholder="Title", id="title")
            with Horizontal(classes="row"):
                yield Input(value="Exercise control", placeholder="Sender", id="sender")
                yield Select(
                    [(label, cid) for cid, label in app.scenario.channels.items()],
                    value="report",
                    allow_blank=False,
                    id="channel",
                )
            yield Static("To (space ticks a role; none ticked means everyone):")
            yield SelectionList[str](
                *[(info.title, rid) for rid, info in app.scenario.roles.items()], id="to"
            )
            yield TextArea(id="body", soft_wrap=True)
            with Horizontal(classes="buttons"):
                yield Button("Send (ctrl+s)", variant="primary", id="send")
                yield Button("Cancel (esc)", id="cancel")
            yield Static("", id="problem")

    def on_mount(self) -> None:
        self.query_one("#title", Input).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "send":
            self.run_worker(self.action_send())
        else:
            self.dismiss(False)

    async def action_send(self) -> None:
        app = cast("FacilitatorApp", self.app)
        title = self.query_one("#title", Input).value
        body = self.query_one("#body", TextArea).text
        sender = self.query_one("#sender", Input).value or "Exercise control"
        channel = str(self.query_one("#channel", Select).value)
        to = list(self.query_one("#to", SelectionList).selected) or ["all"]
        if not title.strip() or not body.strip():
            self.query_one("#problem", Static).update("A manual inject needs a title and a text.")
            return
        events = await app.command(
            lambda exercise: exercise.inject_manually(
                title=title, body=body, to=to, channel=channel, sender=sender
            ),
            f"Sent: {title}",
        )
        if events:
            self.dismiss(True)

    def action_cancel(self) -> None:
        self.dismiss(False)
