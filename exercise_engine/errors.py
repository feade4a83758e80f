"""The base of every error a user's action can cause in the engine (import-light on purpose).

The command line catches :class:`ExerciseError` and prints it as one line with a non-zero exit,
so a refused command or a broken journal never shows a traceback.
"""


class ExerciseError(Exception):
    """A refusal or a problem the user can act on; the message says what and why."""
