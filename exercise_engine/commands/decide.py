"""``exercise-engine decide DB --role R --inject I --decision D [--option O] [--rationale TEXT]``.

Record one decision from the command line (scripts, a second terminal, hot seat with
``--hot-seat``). Exit 0 when recorded, 1 when refused (the refusal is journalled), 2 on bad input.
"""

from __future__ import annotations

import argparse
import sys


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("db", metavar="DB", help="the exercise journal")
    parser.add_argument("--role", required=True, help="the deciding role")
    parser.add_argument("--inject", required=True, help="the inject carrying the decision point")
    parser.add_argument("--decision", required=True, help="the decision point id")
    parser.add_argument("--option", default=None, help="the chosen option id")
    parser.add_argument("--rationale", default="", help="why")
    parser.add_argument(
        "--hot-seat", action="store_true", help="the facilitator records it on the role's behalf"
    )


def run(args: argparse.Namespace) -> int:
    from exercise_engine.commands.exercises import check_text_args, open_exercise
    from exercise_engine.commands.roles import role_id
    from exercise_engine.model import format_duration

    check_text_args(args, "role", "inject", "decision", "option", "rationale")
    exercise = open_exercise(args.db)
    args.role = role_id(args.role, exercise.scenario.roles) or args.role  # FC -> force_commander
    outcome = exercise.decide(
        role=args.role,
        inject=args.inject,
        decision=args.decision,
        option=args.option,
        rationale=args.rationale,
        actor="facilitator" if args.hot_seat else None,
    )
    exercise.close()
    if outcome.accepted:
        event = outcome.events[0]
        print(f"recorded at {format_duration(event.exercise_time)} (event {event.seq})")
        return 0
    print(f"refused: {outcome.reason}", file=sys.stderr)
    return 1
