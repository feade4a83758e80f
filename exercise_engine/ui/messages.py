"""Messages the consoles post between the app and its screens (small, past tense)."""

from __future__ import annotations

from textual.message import Message

from exercise_engine.model.events import Event


class ExerciseUpdated(Message):
    """New events reached this console, from this process or another; the new snapshot is on
    ``app.link.view``. Posted to every screen on the stack, oldest first."""

    def __init__(self, events: list[Event]) -> None:
        super().__init__()
        self.events = events
