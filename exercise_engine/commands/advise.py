"""``exercise-engine advise DB --role R --inject I --decision D [--recommend O] [--text TEXT]``."""

from __future__ import annotations

import argparse
import sys


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("db", metavar="DB", help="the exercise journal")
    parser.add_argument("--role", required=True, help="the consulted role giving advice")
    parser.add_argument("--inject", required=True)
    parser.add_argument("--decision", required=True)
    parser.add_argument("--recommend", default=None, help="the option recommended")
    parser.add_argument("--text", default="", help="the advice")


def run(args: argparse.Namespace) -> int:
    from exercise_engine.commands.exercises import check_text_args, open_exercise
    from exercise_engine.commands.roles import role_id

    check_text_args(args, "role", "inject", "decision", "recommend", "text")
    exercise = open_exercise(args.db)
    args.role = role_id(args.role, exercise.scenario.roles) or args.role  # FC -> force_commander
    outcome = exercise.advise(
        role=args.role,
        inject=args.inject,
        decision=args.decision,
        text=args.text,
        recommend=args.recommend,
    )
    exercise.close()
    if outcome.accepted:
        print("recorded")
        return 0
    print(f"refused: {outcome.reason}", file=sys.stderr)
    return 1
