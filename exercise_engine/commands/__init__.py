"""One module per ``exercise-engine`` subcommand: ``add_arguments(parser)`` and ``run(args)``.

A command signals a mistake the user can fix by raising :class:`UserError`; the CLI prints it as
one line and exits non-zero (it is an :class:`~exercise_engine.errors.ExerciseError`, caught once
in ``cli.main``).
"""

from __future__ import annotations

from exercise_engine.errors import ExerciseError


class UserError(ExerciseError):
    """A problem with the user's input: printed as one line, exit status ``exit_code``."""

    def __init__(self, message: str, exit_code: int = 2) -> None:
        super().__init__(message)
        self.exit_code = exit_code
