"""The consoles' handle on one exercise: every journal call on one worker thread, a snapshot out.

Who calls it: :class:`exercise_engine.ui.base.ConsoleApp`. Why: a journal call can block (SQLite
waits up to its busy timeout while another console holds the write lock; a fold after a burst of
events takes a moment), and Textual's event loop must never wait on it. So the live
:class:`~exercise_engine.exercise.Exercise` is owned by a single worker thread, which serialises
every command, tick and poll; after each call the thread takes a deep copy of the state (only when
something changed) and the new events since the last look. The screens read only that copy, on
the event loop, so they never see a state in the middle of being folded. No Textual in here.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import TypeVar

from exercise_engine.engine import ExerciseState
from exercise_engine.engine.presence import Presence, clock_now
from exercise_engine.errors import ExerciseError
from exercise_engine.exercise import Exercise
from exercise_engine.model.events import Event

T = TypeVar("T")


@dataclass
class Update:
    """What changed since the console last looked: the new state and the new events, in order."""

    state: ExerciseState
    events: list[Event] = field(default_factory=list)


class JournalLink:
    """An exercise driven from one worker thread; ``view`` is the latest snapshot of its state."""

    def __init__(self, exercise: Exercise) -> None:
        self.exercise = exercise
        self.scenario = exercise.scenario
        self.clock = exercise.clock
        self.view: ExerciseState = exercise.state.copy()
        """The state as the screens see it (replaced, never mutated, after each call)."""
        self._seen = 0
        """The last event sequence number handed to the screens."""
        self._pending: Update | None = None
        self._lock = threading.Lock()
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="journal")
        self._closed = False
        self.presence = Presence()
        """Heartbeats and the clock's checkpoint as last read (after every call)."""

    async def call(self, work: Callable[[Exercise], T]) -> T:
        """Run ``work(exercise)`` on the journal thread; exceptions (``Refused``...) come back here."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._pool, self._run, work)

    def _run(self, work: Callable[[Exercise], T]) -> T:
        try:
            return work(self.exercise)
        finally:
            self._collect()
            # a lost journal: the work's own failure says what happened
            with contextlib.suppress(ExerciseError):
                self.presence = self.exercise.presence()

    def _collect(self) -> None:
        """On the journal thread: snapshot the state and gather new events if anything changed."""
        state = self.exercise.state
        if state.last_seq == self._seen:
            return
        events = self.exercise.journal.events(after=self._seen)
        self._seen = state.last_seq
        update = Update(state.copy(), events)
        with self._lock:
            if self._pending is not None:
                update.events = self._pending.events + update.events
            self._pending = update

    def take(self) -> Update | None:
        """The update gathered since the last ``take`` (call on the event loop after ``call``)."""
        with self._lock:
            update, self._pending = self._pending, None
        if update is not None:
            self.view = update.state
        return update

    def now(self) -> int:
        """Exercise time now, from the snapshot and the wall clock (no journal access); stopped
        where it stood while the facilitator is offline, unless this console owns the clock."""
        return clock_now(self.view, self.presence, self.clock.now(), owner=self.exercise.owns_clock)

    def offline_since(self) -> float | None:
        """When the facilitator was last heard from, while it is offline (never for the clock's
        owner itself)."""
        if self.exercise.owns_clock:
            return None
        return self.presence.facilitator_offline_since(self.view.status, self.clock.now())

    async def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        # Straight to the pool, not through call(): nothing is collected from a closed journal
        # (a console locked behind its sign-in never read its events at all).
        await asyncio.get_running_loop().run_in_executor(self._pool, self.exercise.close)
        self._pool.shutdown(wait=False)
