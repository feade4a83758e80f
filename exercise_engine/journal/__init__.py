"""The append-only event store of an exercise (one SQLite file in WAL mode) and its hash chain.

``store`` is the journal itself, ``chain`` how it is hashed and verified, ``files`` what is on
disk at a journal's path, ``lock`` the owner lock of the process running the clock.
"""

from exercise_engine.errors import DamagedJournal, JournalError, JournalInUse, JournalReplaced
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
]
