"""The sign-in screen: a console opened from a browser link asks for its seat's join code first.

Nothing about the seat (its inbox, its decisions) is on screen until the code is right: the code
is what makes a ``serve`` link safe to open on a shared LAN.
"""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Input, Static

from exercise_engine.ui.codes import check_code


class SignInScreen(Screen[bool]):
    """Type the join code the facilitator gave you; dismisses True once it is right."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "app.quit", "Leave")]
    CSS_PATH = "sign_in.tcss"

    def __init__(self, seat: str, seat_title: str, codes: dict[str, str]) -> None:
        super().__init__()
        self.seat = seat
        self.seat_title = seat_title
        self.codes = codes
        self.attempts = 0

    def compose(self) -> ComposeResult:
        with Vertical(id="sign-in-box"):
            yield Static(self.app.title, id="sign-in-title")
            yield Static(f"Seat: {self.seat_title}", id="sign-in-seat")
            yield Static("Type the join code the facilitator gave you, then press enter.")
            yield Input(placeholder="join code", password=True, id="code", max_length=20)
            yield Static("", id="sign-in-error")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if check_code(self.codes, self.seat, event.value):
            self.dismiss(True)
            return
        self.attempts += 1
        event.input.value = ""
        self.query_one("#sign-in-error", Static).update(
            f"That is not the code for this seat (attempt {self.attempts}). Ask the facilitator."
        )
