"""The append-only event store of an exercise and its hash chain, on SQLite or PostgreSQL.

``interface`` is the one journal interface (:class:`JournalStore`) and ``opener`` turns the
``DB`` a user typed (a path or a ``postgresql://`` URL) into an open journal; ``store`` is the
SQLite journal (one file in WAL mode), ``postgres`` the PostgreSQL one (one exercise in a shared
database), ``chain`` how both are hashed and verified, ``files`` what is on disk at a journal's
path, ``lock`` the owner lock of the process running the clock, ``url`` the URL form.
"""

from exercise_engine.errors import DamagedJournal, JournalError, JournalInUse, JournalReplaced
from exercise_engine.journal.interface import JournalStore, JournalUnreachable
from exercise_engine.journal.lock import JournalLock
from exercise_engine.journal.store import InvalidText, Journal

__all__ = [
    "DamagedJournal",
    "InvalidText",
    "Journal",
    "JournalError",
    "JournalInUse",
    "JournalLock",
    "JournalReplaced",
    "JournalStore",
    "JournalUnreachable",
]
