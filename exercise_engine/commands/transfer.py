"""Moving an exercise between journals: an SQLite file and an exercise on a PostgreSQL server.

Who calls it: ``exercise-engine export DB --to URL`` and ``exercise-engine import URL --to DB``
(either command accepts either kind on either side). Why: a syndicate plays on a laptop and the
training centre keeps every exercise on its server, or a server's exercise goes home on a file.

Lossless on purpose: every event is copied as stored (sequence numbers, wall times, payloads,
previous hashes and hashes), and every metadata row, so the copy's chain is the source's chain:
the copy verifies, and its head is the source's head (a head noted earlier still proves it).
The clock's checkpoint and the consoles' join secret come along, so a moved exercise resumes
where it stood, with the same join codes. The source is only read, and must verify first; it is
locked while it is read (a running clock must be stopped first), and a copy that fails half-way
is removed again.
"""

from __future__ import annotations

import argparse

from exercise_engine.commands import UserError

SECRET_KEY = "join_secret"


def add_arguments(parser: argparse.ArgumentParser, *, source: str, target: str) -> None:
    parser.add_argument("db", metavar=source, help="the exercise to copy (only read)")
    parser.add_argument(
        "--to",
        required=True,
        metavar=target,
        help="where the copy goes (a new file, or a new exercise=NAME in a database)",
    )


def copy_exercise(args: argparse.Namespace) -> int:
    from exercise_engine.journal.chain import head_text
    from exercise_engine.journal.opener import (
        create_journal,
        locate,
        lock_exercise,
        open_journal,
        remove_exercise,
    )

    source_at, target_at = locate(args.db), locate(args.to)
    if str(source_at) == str(target_at):
        raise UserError(f"{source_at} is both the source and the target: choose another target")
    source_lock = lock_exercise(source_at, "export")
    try:
        source = open_journal(source_at, read_only=True)
        try:
            result, _chain = source.check()
            if result.problems:
                seq, problem = result.problems[0]
                raise UserError(
                    f"{source_at} fails verification at event {seq} ({problem}): refusing to "
                    "copy it (`exercise-engine verify` says more)"
                )
            version = source.schema_version()
            if version < 2:
                raise UserError(
                    f"{source_at} was made by an older version (journal schema {version}): its "
                    "metadata is not covered by the chain, so a copy could not prove it is whole"
                )
            meta = source.meta()
            events = source.events()
            checkpoint = source.checkpoint()
            secret = source.local_setting(SECRET_KEY) if SECRET_KEY not in meta else None
        finally:
            source.close()
        meta.pop("schema_version", None)
        target_lock = lock_exercise(target_at, "import")
        try:
            target = create_journal(target_at, meta)
            try:
                with target.transaction():
                    for event in events:
                        target.insert_verbatim(event)
                    if checkpoint is not None:
                        wall = events[-1].wall_time if events else 0.0
                        target.save_checkpoint(checkpoint, wall)
                if secret is not None:
                    target.meta_setdefault(SECRET_KEY, secret)
                copied, _ = target.check()
            except BaseException:
                target.close()
                remove_exercise(target_at, protected={})
                raise
            target.close()
        finally:
            target_lock.release()
    finally:
        source_lock.release()
    source_head = head_text(result.head_seq, result.head_hash)
    copied_head = head_text(copied.head_seq, copied.head_hash)
    if copied.problems or copied_head != source_head or copied.count != result.count:
        problem = copied.problems[0][1] if copied.problems else "its head differs"
        raise UserError(f"the copy at {target_at} does not verify ({problem}): do not use it")
    print(f"copied {source_at} -> {target_at}: {result.count} events, verified on both sides")
    print(f"head: {source_head}")
    return 0
