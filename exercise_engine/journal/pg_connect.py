"""Connecting to an exercise's PostgreSQL database: the connection, its one-line failures, the
tables (created on first use), advisory lock keys and notification channels.

Who calls it: :mod:`exercise_engine.journal.postgres` (the journal) and
:mod:`exercise_engine.journal.pg_lock` (the owner lock). Why apart: both need the same words for
a server that cannot be reached and the same keys, and the journal module stays about events.
"""

from __future__ import annotations

import hashlib
import select
from typing import Any

import psycopg

from exercise_engine.errors import JournalError
from exercise_engine.journal.interface import JournalUnreachable
from exercise_engine.journal.url import PgLocation

SCHEMA = "exercise_engine"
_CONNECT_TIMEOUT = 5
_SCHEMA_LOCK = 0x45455F5343484D41  # "EE_SCHMA": one creator of the tables at a time

_TABLES = (
    f"CREATE SCHEMA IF NOT EXISTS {SCHEMA}",
    f"""CREATE TABLE IF NOT EXISTS {SCHEMA}.exercises (
    name TEXT PRIMARY KEY,
    incarnation TEXT NOT NULL,
    created TIMESTAMPTZ NOT NULL DEFAULT now()
)""",
    f"""CREATE TABLE IF NOT EXISTS {SCHEMA}.meta (
    exercise TEXT NOT NULL REFERENCES {SCHEMA}.exercises (name) ON DELETE CASCADE,
    key TEXT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (exercise, key)
)""",
    f"""CREATE TABLE IF NOT EXISTS {SCHEMA}.events (
    exercise TEXT NOT NULL REFERENCES {SCHEMA}.exercises (name) ON DELETE CASCADE,
    seq BIGINT NOT NULL,
    wall_time DOUBLE PRECISION NOT NULL,
    exercise_time BIGINT NOT NULL,
    actor TEXT NOT NULL,
    role TEXT,
    kind TEXT NOT NULL,
    payload TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL,
    PRIMARY KEY (exercise, seq)
)""",
    f"""CREATE TABLE IF NOT EXISTS {SCHEMA}.checkpoint (
    exercise TEXT PRIMARY KEY REFERENCES {SCHEMA}.exercises (name) ON DELETE CASCADE,
    exercise_time BIGINT NOT NULL,
    wall_time DOUBLE PRECISION NOT NULL
)""",
    f"""CREATE TABLE IF NOT EXISTS {SCHEMA}.head (
    exercise TEXT PRIMARY KEY REFERENCES {SCHEMA}.exercises (name) ON DELETE CASCADE,
    seq BIGINT NOT NULL,
    hash TEXT NOT NULL
)""",
    f"""CREATE TABLE IF NOT EXISTS {SCHEMA}.local (
    exercise TEXT NOT NULL REFERENCES {SCHEMA}.exercises (name) ON DELETE CASCADE,
    key TEXT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (exercise, key)
)""",
    f"""CREATE TABLE IF NOT EXISTS {SCHEMA}.owners (
    exercise TEXT PRIMARY KEY,
    holder TEXT NOT NULL
)""",
)


def lock_key(kind: str, exercise: str) -> int:
    """A signed 64-bit advisory lock key for one exercise and one purpose."""
    digest = hashlib.sha256(f"exercise_engine:{kind}:{exercise}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


def channel(exercise: str) -> str:
    """The LISTEN/NOTIFY channel of an exercise (an identifier of at most 63 bytes)."""
    return "ee_" + hashlib.sha256(exercise.encode()).hexdigest()[:40]


def describe_failure(where: PgLocation, exc: psycopg.Error) -> str:
    """One line for a connection failure: what went wrong, in the server's words."""
    text = " ".join(str(exc).split())
    reason = text.rpartition(" failed: ")[2] if " failed: " in text else text
    reason = reason.removeprefix("FATAL: ").strip()
    if "password authentication failed" in reason:
        return f"{where}: wrong user name or password ({reason})"
    if "does not exist" in reason and "database" in reason:
        return f"{where}: {reason}: create it first (createdb) or check the URL"
    return f"the journal server of {where} is unreachable: {reason}"


def connect(where: PgLocation, *, read_only: bool = False) -> psycopg.Connection[Any]:
    """A connection to the exercise's database; one clear line when that is not possible."""
    options: dict[str, Any] = {
        "autocommit": True,
        "connect_timeout": _CONNECT_TIMEOUT,
        "application_name": "exercise-engine",
    }
    if read_only:
        options["options"] = "-c default_transaction_read_only=on"
    try:
        return psycopg.connect(where.conninfo, **options)
    except psycopg.OperationalError as exc:
        message = describe_failure(where, exc)
        if " is unreachable: " in message:
            raise JournalUnreachable(message) from None
        raise JournalError(message) from None
    except psycopg.Error as exc:
        raise JournalError(f"{where}: {' '.join(str(exc).split())}") from None


def ensure_schema(db: psycopg.Connection[Any], where: PgLocation) -> None:
    """Create the tables if the database has none yet (like a new file); say so if not allowed."""
    try:
        if has_schema(db):
            return
        with db.transaction():
            db.execute("SELECT pg_advisory_xact_lock(%s)", (_SCHEMA_LOCK,))
            for statement in _TABLES:
                db.execute(statement)
    except psycopg.errors.InsufficientPrivilege:
        raise JournalError(
            f"{where}: the database has no exercise-engine tables yet and this user may not "
            f"create them: ask its owner to grant CREATE on the database, or to open one "
            "exercise there first"
        ) from None
    except psycopg.OperationalError as exc:
        raise JournalUnreachable(describe_failure(where, exc)) from None


def has_schema(db: psycopg.Connection[Any]) -> bool:
    row = db.execute("SELECT to_regclass(%s) IS NOT NULL", (f"{SCHEMA}.owners",)).fetchone()
    return bool(row and row[0])


def still_open(db: psycopg.Connection[Any]) -> bool:
    """Whether an idle connection is still open, read off its socket without a round trip: an
    idle connection has nothing to read unless the server closed it (or sent a notice)."""
    pg = db.pgconn
    try:
        for _read in range(4):
            if not select.select([pg.socket], [], [], 0)[0]:
                return True
            pg.consume_input()  # raises once the server's end is closed
    except (psycopg.Error, OSError):
        return False
    return True


def exercise_names(where: PgLocation) -> list[str]:
    """Every exercise in ``where``'s database, by name (none while it has no tables)."""
    db = connect(where, read_only=True)
    try:
        if not has_schema(db):
            return []
        rows = db.execute(f"SELECT name FROM {SCHEMA}.exercises ORDER BY name").fetchall()
        return [str(row[0]) for row in rows]
    except psycopg.OperationalError as exc:
        raise JournalUnreachable(describe_failure(where, exc)) from None
    finally:
        db.close()
