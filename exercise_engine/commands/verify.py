"""``exercise-engine verify DB [--head SEQ:HASH]``: check a journal; name the first bad event.

Prints the journal's head (last event number and hash): note it somewhere else when an exercise
closes, and ``verify --head`` later proves the journal still ends at it or only grew after it —
the one thing a re-chained copy cannot fake (docs/journal.md, "What the chain proves").
Exit 0 when intact, 1 when the journal fails verification, 2 when it cannot be read at all.
"""

from __future__ import annotations

import argparse
import re

_HEAD = re.compile(r"^(\d+:)?[0-9a-fA-F]{12,64}$")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("db", metavar="DB", help="the exercise journal")
    parser.add_argument(
        "--head",
        metavar="SEQ:HASH",
        default=None,
        help="a head noted earlier (as verify, status or a report printed it; the hash alone, "
        "or its first 12+ digits, will do): check the journal still ends at it or extends it",
    )


def run(args: argparse.Namespace) -> int:
    from exercise_engine.commands import UserError
    from exercise_engine.journal.chain import find_head, head_text
    from exercise_engine.journal.opener import locate, open_journal

    if args.head is not None and not _HEAD.match(args.head.strip()):
        raise UserError(
            f"--head {args.head!r} is not a head: give SEQ:HASH as verify printed it, "
            "or the hash (at least its first 12 hex digits)"
        )
    shown = locate(args.db)
    journal = open_journal(shown, read_only=True)
    try:
        result, chain = journal.check()
    finally:
        journal.close()
    head = head_text(result.head_seq, result.head_hash)
    for note in result.notes:
        print(f"note: {note}")
    if result.problems:
        first_seq, first_problem = result.problems[0]
        print(f"TAMPERED: {shown}: event {first_seq}: {first_problem}")
        for seq, problem in result.problems[1:]:
            print(f"  also event {seq}: {problem}")
        print(f"  head as it stands: {head}")
        return 1
    print(f"ok: {shown}: {result.count} events, hash chain intact")
    print(f"head: {head}")
    if args.head is None:
        return 0
    found = find_head(chain, args.head)
    if found is None:
        print(
            f"HEAD NOT FOUND: {shown} does not contain the head {args.head.strip()}: "
            "the journal was truncated or rewritten since that head was noted"
        )
        return 1
    seq, _digest = found
    if seq == result.head_seq:
        print(f"ok: the journal ends at the noted head (event {seq})")
    else:
        print(
            f"ok: the journal extends the noted head (event {seq}) "
            f"by {result.head_seq - seq} event(s)"
        )
    return 0
