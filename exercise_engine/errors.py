"""The base of every error a user's action can cause in the engine (import-light on purpose).

The command line catches :class:`ExerciseError` once, in ``exercise_engine.cli.main``, and prints
it as one line with a non-zero exit, so a refused command, a file that does not load or a broken
journal never shows a traceback. Subclasses say where the failure belongs (loading, the journal,
the engine, a command's arguments); ``exit_code`` is what the command line exits with.
"""


class ExerciseError(Exception):
    """A refusal or a problem the user can act on; the message says what and why."""

    exit_code: int = 2
    """The command line's exit status for this failure (2: bad input, the contract's default)."""
