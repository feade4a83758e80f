"""``exercise-engine room DB [--quiet]``: the projector view of a running exercise.

The big scenario clock, the phase, the public injects and the decision board (who still owes
what, and by when), in large type for the wall of the room; no join codes, no world gauges, no
private injects. It follows the journal the facilitator's console writes and records nothing, so
it can be opened on a second screen at any time. A closed exercise has nothing to project: the
command says so and points to the report.
"""

from __future__ import annotations

import argparse


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "db", metavar="DB", help="the exercise journal (the facilitator's --exercise)"
    )
    parser.add_argument(
        "--quiet",
        action="store_true",
        help="start with the bell off (b switches it on the screen; f switches the flash)",
    )


def run(args: argparse.Namespace) -> int:
    from pathlib import Path

    from exercise_engine.commands import UserError
    from exercise_engine.journal import JournalError
    from exercise_engine.ui.room.app import RoomApp

    try:
        app = RoomApp(Path(args.db), quiet=args.quiet)
    except JournalError as exc:
        raise UserError(str(exc)) from None
    if app.link.view.status == "ended":
        app.link.exercise.close()
        raise UserError(
            f"{args.db}: this exercise is closed: nothing to project "
            f"(`exercise-engine report {args.db}` writes its after-action report)"
        )
    app.run()
    return app.return_code or 0
