"""The base of every error a user's action can cause in the engine (import-light on purpose).

The command line catches :class:`ExerciseError` once, in ``exercise_engine.cli.main``, and prints
it as one line with a non-zero exit, so a refused command, a file that does not load or a broken
journal never shows a traceback. Subclasses say where the failure belongs (loading, the journal,
the engine, a command's arguments); ``exit_code`` is what the command line exits with. The
journal's own failures are subclasses of :class:`JournalError`, so a console can tell "the file
was swapped under me, stop" from "this command was refused, carry on".
"""


class ExerciseError(Exception):
    """A refusal or a problem the user can act on; the message says what and why."""

    exit_code: int = 2
    """The command line's exit status for this failure (2: bad input, the contract's default)."""


class JournalError(ExerciseError):
    """The journal cannot be used: missing, not a journal, a newer schema, or corrupt."""


class DamagedJournal(JournalError):
    """A row of the journal cannot be read as what it should be; the message names the row."""


class JournalInUse(JournalError):
    """Another live process (a facilitator's ``run``, a ``play``) holds the journal's lock."""


class JournalReplaced(JournalError):
    """The journal file (or its ``-wal``/``-shm`` companion) is no longer the one we opened.

    Whatever this process writes now would go to a deleted file and be lost, so it must stop.
    """
