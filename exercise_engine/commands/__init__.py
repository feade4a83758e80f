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


def program() -> str:
    """This tool's command as the user started it, so a printed hint works when pasted.

    ``exercise-engine`` when it is found on the PATH; the path the user typed otherwise
    (``.venv/bin/exercise-engine`` after the README's first command, without activating the
    environment); ``python -m exercise_engine`` when started that way.
    """
    import os
    import shlex
    import shutil
    import sys

    argv0 = sys.argv[0] if sys.argv else ""
    name = os.path.basename(argv0)
    if name.startswith("exercise-engine"):
        found = shutil.which(name)
        if os.sep not in argv0 or (
            found is not None and os.path.realpath(found) == os.path.realpath(argv0)
        ):
            return "exercise-engine"
        return shlex.quote(argv0)
    return f"{shlex.quote(sys.executable)} -m exercise_engine"
