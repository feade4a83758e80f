"""``exercise-engine fork DB --at SEQ --out DB2``: a new exercise from any point of an old one.

The new journal holds the first SEQ events byte for byte (so its hash chain verifies), then an
``exercise_forked`` event that records where it came from and commits to the new journal's
metadata. Opened with ``run``, it resumes paused at that moment: "what if" play. The source is
only read, and must verify.
"""

from __future__ import annotations

import argparse
import shlex


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("db", metavar="DB", help="the exercise journal to fork")
    parser.add_argument(
        "--at",
        type=int,
        required=True,
        metavar="SEQ",
        help="keep events 1..SEQ (`status DB --events` numbers them)",
    )
    parser.add_argument(
        "--out", required=True, metavar="DB2", help="the new journal (must not exist)"
    )


LOCAL_KEYS = ("schema_version", "join_secret")
"""Metadata a fork does not inherit: its own schema, and new join codes (older journals kept
the join secret in ``meta``)."""


def run(args: argparse.Namespace) -> int:
    from exercise_engine.clock import SystemClock
    from exercise_engine.commands import UserError, program
    from exercise_engine.commands.exercises import describe_event
    from exercise_engine.commands.scenarios import bundled_scenario_files
    from exercise_engine.exercise import Exercise
    from exercise_engine.journal.opener import create_journal, locate, open_journal
    from exercise_engine.journal.url import is_url
    from exercise_engine.model import format_duration

    name = str(locate(args.db)) if is_url(args.db) else args.db  # never its password
    source = open_journal(args.db, read_only=True)
    try:
        problems = source.verify()
        if problems:
            raise UserError(
                f"{name} fails verification at event {problems[0][0]}: refusing to fork it"
            )
        events = source.events()
        meta = source.meta()
    finally:
        source.close()
    if not 1 <= args.at <= len(events):
        raise UserError(
            f"--at must be an event number from 1 to {len(events)}"
            f" (`{program()} status {shlex.quote(name)} --events` lists them)"
        )
    for key in LOCAL_KEYS:
        meta.pop(key, None)
    meta["forked_from"] = name
    meta["forked_at_seq"] = str(args.at)
    target = create_journal(args.out, meta)
    try:
        with target.transaction():
            for event in events[: args.at]:
                target.insert_verbatim(event)
    finally:
        target.close()
    out = str(locate(args.out)) if is_url(args.out) else args.out
    exercise = Exercise.open(args.out, SystemClock())
    if exercise.state.status == "running":
        exercise.recover()  # a fork waits, paused at its fork point, for the facilitator
    exercise.seal_fork(name, args.at)
    last = events[args.at - 1]
    print(
        f"forked {name} at event {args.at} ({format_duration(last.exercise_time)}: {describe_event(exercise, last.kind, last.payload, last.role)})"
    )
    scenario = exercise.scenario.id
    bundled = {p.stem for p in bundled_scenario_files()}
    run = f"{program()} run {scenario if scenario in bundled else 'SCENARIO_FILE'}"
    print(
        f"-> {out}: {exercise.state.status}, phase {exercise.state.phase!r}; play on with"
        f" `{run} --exercise {shlex.quote(out)}`"
    )
    exercise.close()
    return 0
