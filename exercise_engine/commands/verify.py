"""``exercise-engine verify DB``: check a journal's hash chain; name the first bad event."""

from __future__ import annotations

import argparse


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("db", metavar="DB", help="the exercise journal")


def run(args: argparse.Namespace) -> int:
    from exercise_engine.commands import UserError
    from exercise_engine.journal import Journal, JournalError

    try:
        journal = Journal.open(args.db)
        problems = journal.verify()
        count = journal.count()
        journal.close()
    except JournalError as exc:
        raise UserError(str(exc)) from None
    if not problems:
        print(f"ok: {args.db}: {count} events, hash chain intact")
        return 0
    first_seq, first_problem = problems[0]
    print(f"TAMPERED: {args.db}: event {first_seq}: {first_problem}")
    for seq, problem in problems[1:]:
        print(f"  also event {seq}: {problem}")
    return 1
