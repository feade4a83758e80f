"""``exercise-engine rate DB --evaluator NAME --inject I --decision D --rating P|S|M|U
[--consideration C] [--note TEXT]``: an evaluator's rating from the command line."""

from __future__ import annotations

import argparse


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("db", metavar="DB", help="the exercise journal")
    parser.add_argument("--evaluator", required=True)
    parser.add_argument("--inject", required=True)
    parser.add_argument("--decision", required=True)
    parser.add_argument(
        "--rating",
        required=True,
        type=str.upper,
        choices=["P", "S", "M", "U"],
        help="P, S, M or U (either case)",
    )
    parser.add_argument(
        "--consideration", default=None, help="rate one consideration at this decision"
    )
    parser.add_argument("--note", default="")


def run(args: argparse.Namespace) -> int:
    from exercise_engine.commands import UserError
    from exercise_engine.commands.exercises import open_exercise
    from exercise_engine.exercise import Refused

    exercise = open_exercise(args.db)
    try:
        exercise.rate(
            evaluator=args.evaluator,
            inject=args.inject,
            decision=args.decision,
            rating=args.rating,
            consideration=args.consideration,
            note=args.note,
        )
    except Refused as exc:
        raise UserError(str(exc)) from None
    finally:
        exercise.close()
    print("recorded")
    return 0
