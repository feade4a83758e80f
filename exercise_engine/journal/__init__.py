"""The append-only event store of an exercise (one SQLite file in WAL mode) and its hash chain."""

from exercise_engine.journal.store import Journal, JournalError

__all__ = ["Journal", "JournalError"]
