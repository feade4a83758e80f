"""The sign-in screen: a console opened from a browser link asks for its seat's join code first.

Who calls it: :class:`exercise_engine.ui.base.ConsoleApp` when it was started with ``--ask-code``
(every ``serve`` seat). It is the only screen such a console has until the code is right: the
app builds nothing of the seat, polls nothing and refuses every action of its own until then
(see ``ConsoleApp.check_action``), so this screen has no keys of its own either (escape does
nothing; closing the tab is how one leaves). Whether a code is right, and whether this address
may try again yet, is the app's to say (``attempt``): the screen only collects what is typed.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Input, Static

from exercise_engine.safe_text import printable
from exercise_engine.ui.sign_in_limit import Outcome

Attempt = Callable[[str], Awaitable[Outcome]]
"""Check one typed code (and count it): what the app hands the screen."""


class SignInScreen(Screen[bool]):
    """Type the join code the facilitator gave you; dismisses True once it is right."""

    BINDINGS: ClassVar[list[BindingType]] = []
    CSS_PATH = "sign_in.tcss"
    AUTO_FOCUS = "#code"

    def __init__(self, title: str, seat_title: str, attempt: Attempt) -> None:
        super().__init__()
        self.exercise_title = title
        self.seat_title = seat_title
        self.attempt = attempt

    def compose(self) -> ComposeResult:
        with Vertical(id="sign-in-box"):
            yield Static(printable(self.exercise_title), id="sign-in-title", markup=False)
            yield Static(f"Seat: {printable(self.seat_title)}", id="sign-in-seat", markup=False)
            yield Static("Type the join code the facilitator gave you, then press enter.")
            yield Input(placeholder="join code", password=True, id="code", max_length=20)
            yield Static("", id="sign-in-error", markup=False)

    async def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        field = event.input
        typed, field.value = field.value, ""
        field.disabled = True
        try:
            outcome = await self.attempt(typed)
        finally:
            field.disabled = False
        if outcome.kind == "ok":
            self.dismiss(True)
            return
        self.query_one("#sign-in-error", Static).update(outcome.message())
        field.focus()
