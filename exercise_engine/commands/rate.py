"""``exercise-engine rate DB --evaluator NAME ...``: an evaluator's judgement from the command line.

Three things, each appended to the journal (nothing already journalled is rewritten; the latest
rating or field value counts):

- a decision: ``--inject I --decision D --rating P|S|M|U [--consideration C] [--note TEXT]``;
- an objective: ``--objective ID --rating P|S|M|U [--note TEXT]``;
- the improvement plan: ``--plan ROW --set FIELD=VALUE ...`` (``--plan new`` adds a row; it
  needs ``issue=...``). Ratings are accepted in either case. A bad rating, objective, row or field
  is refused in one line that names it (exit 2).
"""

from __future__ import annotations

import argparse


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("db", metavar="DB", help="the exercise journal")
    parser.add_argument("--evaluator", required=True, help="your name as the report shows it")
    parser.add_argument("--inject", default=None, help="the decision's inject")
    parser.add_argument("--decision", default=None, help="the decision point's id")
    parser.add_argument("--objective", default=None, help="rate an exercise objective instead")
    parser.add_argument("--rating", default=None, help="P, S, M or U (either case)")
    parser.add_argument(
        "--consideration", default=None, help="rate one consideration at this decision"
    )
    parser.add_argument("--note", default="")
    parser.add_argument(
        "--plan",
        metavar="ROW",
        default=None,
        help="edit an improvement-plan row (its id, as the JSON report shows it; 'new' adds one)",
    )
    parser.add_argument(
        "--set",
        metavar="FIELD=VALUE",
        action="append",
        default=[],
        help="a plan field: issue, corrective_action, capability_element, responsible_role "
        "(a role id), point_of_contact, start, completion (YYYY-MM-DD), status",
    )


def _fields(pairs: list[str]) -> dict[str, str]:
    from exercise_engine.commands import UserError

    fields: dict[str, str] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise UserError(f"--set {pair!r}: write FIELD=VALUE")
        fields[name.strip()] = value.strip()
    return fields


def run(args: argparse.Namespace) -> int:
    from exercise_engine.commands import UserError
    from exercise_engine.commands.exercises import open_exercise

    if args.plan is not None:
        if args.objective or args.inject or args.decision or args.rating:
            raise UserError("--plan edits a plan row: give only --set FIELD=VALUE with it")
        fields = _fields(args.set)
        exercise = open_exercise(args.db)
        try:
            row = _plan_row(exercise, args.plan, fields)
            exercise.edit_plan(editor=args.evaluator, row=row, fields=fields)
        finally:
            exercise.close()
        print(f"plan row {row}: recorded")
        return 0
    if args.set:
        raise UserError("--set needs --plan ROW")
    if args.rating is None:
        raise UserError("give --rating P, S, M or U")
    exercise = open_exercise(args.db)
    try:
        if args.objective is not None:
            if args.inject or args.decision or args.consideration:
                raise UserError("--objective rates an objective: leave out --inject and --decision")
            exercise.rate_objective(
                evaluator=args.evaluator,
                objective=args.objective,
                rating=args.rating,
                note=args.note,
            )
        else:
            if not args.inject or not args.decision:
                raise UserError("give --inject and --decision (or --objective ID)")
            exercise.rate(
                evaluator=args.evaluator,
                inject=args.inject,
                decision=args.decision,
                rating=args.rating,
                consideration=args.consideration,
                note=args.note,
            )
    finally:
        exercise.close()
    print("recorded")
    return 0


def _plan_row(exercise: object, row: str, fields: dict[str, str]) -> str:
    """The row id to journal: an existing row, or the next ``extra-N`` for ``new``."""
    from after_action.assessment import assess
    from exercise_engine.commands import UserError
    from exercise_engine.exercise import Exercise

    assert isinstance(exercise, Exercise)
    rows = [r.id for r in assess(exercise).plan]
    if row == "new":
        if not fields.get("issue", "").strip():
            raise UserError("plan row new: a new row needs issue=...")
        n = 1
        while f"extra-{n}" in rows:
            n += 1
        return f"extra-{n}"
    if row not in rows:
        raise UserError(
            f"plan row: no row {row!r} in this exercise's plan (rows: {', '.join(rows) or 'none'}; 'new' adds one)"
        )
    return row
