"""The one journal interface: what every command, console and report may ask of an exercise's
journal, whichever backend holds it.

Two implementations: :class:`~exercise_engine.journal.store.Journal` (one SQLite file, the
embedded default) and :class:`~exercise_engine.journal.postgres.PgJournal` (one exercise in a
PostgreSQL database shared by a training centre). Both store the same event rows and hash them with
the same chain (``journal.chain``), so ``verify`` proves the same thing on both, and an exercise
moves between them event for event (``exercise-engine export``/``import``).

Callers never pick a class: :mod:`exercise_engine.journal.opener` turns the ``DB`` a user typed
(a path or a ``postgresql://`` URL) into the right one.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Protocol

from exercise_engine.errors import JournalError
from exercise_engine.journal.chain import Verification
from exercise_engine.journal.url import PgLocation
from exercise_engine.model.events import Draft, Event


class JournalUnreachable(JournalError):
    """The journal's server cannot be reached (down, restarting, network gone).

    Nothing acknowledged is lost: an event is acknowledged only after its transaction committed.
    A console says so and tries again at its next poll; a one-shot command exits with one line.
    """


class JournalStore(Protocol):
    """An open exercise journal: an append-only, hash-chained event log plus its metadata."""

    read_only: bool

    @property
    def path(self) -> Path | PgLocation:
        """Where the journal is (printed in messages; a URL's password is never shown)."""
        ...

    def close(self) -> None: ...

    # --- reading ---------------------------------------------------------------------------

    def schema_version(self) -> int: ...

    def meta(self) -> dict[str, str]:
        """The metadata rows (written once, at creation; covered by the first event)."""
        ...

    def local_setting(self, key: str) -> str | None:
        """A local setting (the consoles' join secret), not part of the record; None if unset."""
        ...

    def set_local(self, key: str, value: str) -> None:
        """Store (or overwrite) a local setting, such as a console's heartbeat: not an event."""
        ...

    def local_rows(self, prefix: str) -> dict[str, str]:
        """Every local setting whose key starts with ``prefix``."""
        ...

    def meta_setdefault(self, key: str, value: str) -> str:
        """A local setting, storing ``value`` first if there is none (first writer wins)."""
        ...

    def events(self, after: int = 0) -> list[Event]:
        """Events with sequence numbers above ``after``, in order."""
        ...

    def data_version(self) -> int:
        """Changes whenever another connection committed since the last call: the cheap
        "anything new?" check the consoles make at every poll (SQLite: ``PRAGMA data_version``;
        PostgreSQL: notifications received by LISTEN, no query)."""
        ...

    def wait_for_change(self, timeout: float) -> bool:
        """Whether another process committed since :meth:`data_version` was last read, waiting up
        to ``timeout`` seconds for it (True) before giving up (False)."""
        ...

    def tail(self) -> tuple[int, str]:
        """The last event's sequence number and hash (0 and the genesis hash when none)."""
        ...

    def count(self) -> int: ...

    def check_still_ours(self) -> None:
        """Raise JournalReplaced if what we opened is gone (a file swapped or deleted)."""
        ...

    def checkpoint(self) -> int | None:
        """Where the clock stood at the last tick (None if never saved)."""
        ...

    def checkpoint_at(self) -> tuple[int, float] | None:
        """The checkpoint with its wall time: where the clock stood, and when (the facilitator's
        heartbeat while the clock runs)."""
        ...

    # --- writing ---------------------------------------------------------------------------

    def transaction(self) -> AbstractContextManager[None]:
        """A write transaction, serialised with every other writer of this exercise."""
        ...

    def batch(self) -> AbstractContextManager[Callable[[], None]]:
        """Group many commands into few transactions (headless play on a virtual clock): each
        command inside is a savepoint; the callable received may commit what is there so far;
        all of it is durable once the batch ends (full contract: ``store.Journal.batch``)."""
        ...

    def append(self, drafts: Sequence[Draft], wall_time: float) -> list[Event]:
        """Append events (inside :meth:`transaction`); durable once it commits."""
        ...

    def insert_verbatim(self, event: Event) -> None:
        """Copy an event exactly as another journal holds it (forks, export; keeps the chain)."""
        ...

    def save_checkpoint(self, exercise_time: int, wall_time: float) -> None: ...

    # --- integrity -------------------------------------------------------------------------

    def meta_commitment(self) -> dict[str, str]: ...

    def check(self) -> tuple[Verification, list[tuple[int, str]]]:
        """Verify the chain, the metadata, the recorded head and the close rule."""
        ...

    def verify(self) -> list[tuple[int, str]]: ...
