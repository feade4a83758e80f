"""``exercise-engine seat DB --role ROLE [--participant NAME] [--not-played | --played]``.

The facilitator records who sat a seat (the report's overview lists them), or that nobody played
it: a seat marked not played has its decision points left out of the after-action scores and
findings (not rated U), and the report says so. Appended to the journal; the latest entry for a
seat counts, so a mistake is corrected with ``--played``.
"""

from __future__ import annotations

import argparse


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("db", metavar="DB", help="the exercise journal")
    parser.add_argument("--role", required=True, help="the seat: a role id in play")
    parser.add_argument("--participant", default=None, help="who sat the seat (name or callsign)")
    played = parser.add_mutually_exclusive_group()
    played.add_argument(
        "--not-played",
        dest="played",
        action="store_false",
        default=True,
        help="nobody played this seat: leave its points out of the scores",
    )
    played.add_argument(
        "--played", dest="played", action="store_true", help="the seat was played (the default)"
    )


def run(args: argparse.Namespace) -> int:
    from exercise_engine.commands.exercises import open_exercise

    exercise = open_exercise(args.db)
    try:
        exercise.set_seat(role=args.role, participant=args.participant, played=args.played)
        title = exercise.scenario.role_title(args.role)
    finally:
        exercise.close()
    state = "played" if args.played else "not played (excluded from the after-action scores)"
    who = f", sat by {args.participant}" if args.participant else ""
    print(f"{title}: {state}{who}")
    return 0
