"""``exercise-engine review DB [--evaluator NAME]``: the evaluator console.

Walk the decisions in time order, each with what the role knew, the options, the rationale, the
advice and the matched evidence; rate P/S/M/U per decision or per consideration; add notes;
export the report. Several evaluators may review one exercise at once.
"""

from __future__ import annotations

import argparse


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("db", metavar="DB", help="the exercise journal")
    parser.add_argument(
        "--evaluator",
        default=None,
        help="your name as the report will show it (asked for if omitted)",
    )


def run(args: argparse.Namespace) -> int:

    from exercise_engine.commands import UserError
    from exercise_engine.journal import JournalError
    from exercise_engine.ui.review.app import ReviewApp

    evaluator = args.evaluator
    if evaluator is None:
        try:
            evaluator = input("Evaluator's name (as the report will show it): ")
        except EOFError:
            evaluator = ""
    if not evaluator or not evaluator.strip():
        raise UserError("an evaluator needs a name: give --evaluator NAME")
    try:
        app = ReviewApp(args.db, evaluator)
    except JournalError as exc:
        raise UserError(str(exc)) from None
    app.run()
    return 0
