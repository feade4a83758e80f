"""The owner lock of ``run``/``play`` on a PostgreSQL server: a session-level advisory lock.

Who calls it: :func:`exercise_engine.journal.opener.lock_exercise` for a ``postgresql://`` DB.
Why: as ``DB.lock`` does for a file, it keeps a second ``run`` or a ``play --overwrite`` off an
exercise whose clock is running. The server releases it when the holder's connection ends, even
by ``kill -9``; the ``owners`` table says who holds it, so a refusal names them.
"""

from __future__ import annotations

import json
import os
import socket
from contextlib import suppress
from datetime import UTC, datetime
from typing import Any

import psycopg

from exercise_engine.errors import JournalInUse
from exercise_engine.journal.interface import JournalUnreachable
from exercise_engine.journal.lock import Holder
from exercise_engine.journal.pg_connect import (
    SCHEMA,
    connect,
    describe_failure,
    ensure_schema,
    lock_key,
)
from exercise_engine.journal.url import PgLocation


class PgLock:
    """The owner lock of ``run``/``play`` on a server: a session advisory lock on its own
    connection, released by :meth:`release` or by the server when the holder's connection ends."""

    def __init__(self, where: PgLocation, db: psycopg.Connection[Any]) -> None:
        self.where = where
        self._db: psycopg.Connection[Any] | None = db

    @classmethod
    def acquire(cls, where: PgLocation, command: str) -> PgLock:
        """Take the exercise's owner lock now, or JournalInUse naming its holder; never waits."""
        db = connect(where)
        try:
            ensure_schema(db, where)
            got = db.execute(
                "SELECT pg_try_advisory_lock(%s)", (lock_key("owner", where.exercise),)
            ).fetchone()
            if not (got and got[0]):
                row = db.execute(
                    f"SELECT holder FROM {SCHEMA}.owners WHERE exercise = %s", (where.exercise,)
                ).fetchone()
                who = "another process"
                if row:
                    with suppress(ValueError, TypeError):
                        who = Holder(**json.loads(row[0])).describe()
                raise JournalInUse(f"{where} is in use by {who}: stop it first")
            holder = Holder(
                os.getpid(),
                socket.gethostname(),
                datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S UTC"),
                command,
            )
            db.execute(
                f"INSERT INTO {SCHEMA}.owners (exercise, holder) VALUES (%s, %s) "
                "ON CONFLICT (exercise) DO UPDATE SET holder = excluded.holder",
                (where.exercise, json.dumps(holder.__dict__)),
            )
        except psycopg.OperationalError as exc:
            db.close()
            raise JournalUnreachable(describe_failure(where, exc)) from None
        except BaseException:
            db.close()
            raise
        return cls(where, db)

    def release(self) -> None:
        if self._db is None:
            return
        try:
            self._db.execute(
                f"DELETE FROM {SCHEMA}.owners WHERE exercise = %s", (self.where.exercise,)
            )
            self._db.execute(
                "SELECT pg_advisory_unlock(%s)", (lock_key("owner", self.where.exercise),)
            )
        except psycopg.Error:
            pass  # the server is gone: it released the lock with the connection
        finally:
            self._db.close()
            self._db = None

    def __enter__(self) -> PgLock:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.release()
