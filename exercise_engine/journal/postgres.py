"""One exercise in a PostgreSQL database: the journal of a training centre's server.

Why: a course runs several syndicates at once, in different rooms or sites, and the institution
keeps every exercise. One database holds many exercises (schema ``exercise_engine``), each with
its own hash chain; the rows and the hashes are exactly SQLite's (``journal.chain``), so ``verify``
proves the same thing here, and an exercise moves between the two event for event.

How the guarantees of the SQLite journal carry over:

* **Serialised appends.** A write transaction first takes a transaction-level advisory lock on its
  exercise (``pg_advisory_xact_lock``), then catches up and appends; the primary key
  ``(exercise, seq)`` refuses a duplicate even if a writer bypassed the lock. Other exercises of
  the database are never blocked.
* **Acknowledged means durable.** An event is acknowledged only once its transaction committed
  (``synchronous_commit`` as the server has it: on, by default). A writer killed with ``kill -9``
  loses only what was never acknowledged; the server rolls back its open transaction.
* **The owner lock** of ``run``/``play`` is a session-level advisory lock, released by the server
  when its holder's connection ends (even by ``kill -9``); the holder's description is kept in
  ``owners`` so a refusal can name it.
* **Live following by LISTEN/NOTIFY.** Every write transaction notifies the exercise's channel at
  commit; :meth:`PgJournal.data_version` counts the notifications that arrived on a listening
  connection (reading its socket, no query), so a console's poll costs nothing while nothing
  happens, and :meth:`PgJournal.wait_for_change` blocks on the socket.
* **A server that goes away.** Every failure to reach the server becomes
  :class:`~exercise_engine.journal.interface.JournalUnreachable` (one line); the next call
  reconnects, and a console keeps trying at each poll.
"""

from __future__ import annotations

import json
import select
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from typing import Any

import psycopg
from psycopg import sql

from exercise_engine.errors import DamagedJournal, JournalError, JournalReplaced
from exercise_engine.journal.chain import (
    GENESIS,
    Row,
    Verification,
    canonical,
    meta_commitment,
    row_damage,
    verify_rows,
)
from exercise_engine.journal.interface import JournalUnreachable
from exercise_engine.journal.pg_connect import (
    SCHEMA,
    channel,
    connect,
    describe_failure,
    ensure_schema,
    has_schema,
    lock_key,
    still_open,
)
from exercise_engine.journal.store import READABLE_SCHEMAS, SCHEMA_VERSION, build_events
from exercise_engine.journal.url import PgLocation
from exercise_engine.model.events import Draft, Event

_COLUMNS = "seq, wall_time, exercise_time, actor, role, kind, payload, prev_hash, hash"


class PgJournal:
    """An open exercise journal in a PostgreSQL database (see the module's docstring)."""

    def __init__(self, where: PgLocation, *, read_only: bool = False) -> None:
        self.where = where
        self.read_only = read_only
        self._db: psycopg.Connection[Any] | None = None
        self._listener: psycopg.Connection[Any] | None = None
        self._in_transaction = False
        self._version = 0
        self._seen = -1
        self._removed = False
        self._incarnation: str | None = None
        self._exercise = where.exercise
        self._channel = channel(where.exercise)

    @property
    def path(self) -> PgLocation:
        return self.where

    # --- opening ---------------------------------------------------------------------------

    @classmethod
    def create(cls, where: PgLocation, meta: dict[str, str]) -> PgJournal:
        """A new, empty exercise named by ``where`` (which may not exist yet) with ``meta``."""
        journal = cls(where)
        db = journal._conn()
        ensure_schema(db, where)
        incarnation = uuid.uuid4().hex
        rows = [("schema_version", str(SCHEMA_VERSION)), *meta.items()]
        try:
            with db.transaction():
                db.execute(
                    f"INSERT INTO {SCHEMA}.exercises (name, incarnation) VALUES (%s, %s)",
                    (where.exercise, incarnation),
                )
                with db.cursor() as cur:
                    cur.executemany(
                        f"INSERT INTO {SCHEMA}.meta (exercise, key, value) VALUES (%s, %s, %s)",
                        [(where.exercise, k, v) for k, v in rows],
                    )
        except psycopg.errors.UniqueViolation:
            journal.close()
            raise JournalError(
                f"{where} already exists: open it to resume, or choose another exercise name"
            ) from None
        except psycopg.OperationalError as exc:
            journal.close()
            raise JournalUnreachable(describe_failure(where, exc)) from None
        except psycopg.Error as exc:
            journal.close()
            raise JournalError(f"cannot create {where}: {' '.join(str(exc).split())}") from None
        except BaseException:
            journal.close()
            raise
        journal._incarnation = incarnation
        return journal

    @classmethod
    def open(cls, where: PgLocation, *, read_only: bool = False) -> PgJournal:
        """Open an existing exercise; JournalError naming it when there is none."""
        journal = cls(where, read_only=read_only)
        try:
            db = journal._conn()
            if not read_only:
                ensure_schema(db, where)
            elif not has_schema(db):
                raise JournalError(
                    f"no such exercise journal: {where} (the database holds no exercises yet)"
                )
            journal._incarnation = journal._current_incarnation()
            if journal._incarnation is None:
                raise JournalError(f"no such exercise journal: {where}")
            version = journal.schema_version()
            if version not in READABLE_SCHEMAS:
                raise JournalError(
                    f"{where} was made by another version of exercise-engine (journal schema "
                    f"{version}): upgrade to open it"
                )
        except BaseException:
            journal.close()
            raise
        return journal

    @staticmethod
    def exists(where: PgLocation) -> bool:
        """Whether the exercise is in the database (read only; False if there are no tables)."""
        db = connect(where, read_only=True)
        try:
            if not has_schema(db):
                return False
            row = db.execute(
                f"SELECT 1 FROM {SCHEMA}.exercises WHERE name = %s", (where.exercise,)
            ).fetchone()
            return row is not None
        except psycopg.OperationalError as exc:
            raise JournalUnreachable(describe_failure(where, exc)) from None
        finally:
            db.close()

    @staticmethod
    def remove(where: PgLocation) -> None:
        """Delete the exercise and all its rows (``play --overwrite``, under the owner lock)."""
        db = connect(where)
        try:
            if has_schema(db):
                with db.transaction():
                    db.execute(
                        "SELECT pg_advisory_xact_lock(%s)", (lock_key("append", where.exercise),)
                    )
                    db.execute(f"DELETE FROM {SCHEMA}.exercises WHERE name = %s", (where.exercise,))
                    db.execute("SELECT pg_notify(%s, 'removed')", (channel(where.exercise),))
        except psycopg.OperationalError as exc:
            raise JournalUnreachable(describe_failure(where, exc)) from None
        finally:
            db.close()

    def close(self) -> None:
        for conn in (self._db, self._listener):
            if conn is not None:
                with suppress(psycopg.Error):
                    conn.close()
        self._db = self._listener = None

    # --- the connection ----------------------------------------------------------------------

    def _conn(self) -> psycopg.Connection[Any]:
        """The live connection, reconnecting once if the server dropped the last one."""
        if self._db is not None and not self._db.closed and not self._db.broken:
            if self._in_transaction or still_open(self._db):
                return self._db
            self._db.close()  # the server closed it while we were idle: a new one, below
        if self._in_transaction:
            raise JournalUnreachable(f"lost the connection to the journal server of {self.where}")
        if self._db is not None:
            self._version += 1  # notifications may have been missed meanwhile: look again
            self._db = None
        self._db = connect(self.where, read_only=self.read_only)
        return self._db

    @contextmanager
    def _guard(self, doing: str) -> Iterator[None]:
        """Turn the driver's errors into one-line journal errors."""
        try:
            yield
        except psycopg.OperationalError as exc:
            if self._db is not None and (self._db.closed or self._db.broken):
                self._version += 1  # whatever was missed meanwhile: the next poll looks again
                raise JournalUnreachable(
                    f"the journal server of {self.where} is unreachable ({doing}: "
                    f"{' '.join(str(exc).split())}); nothing unacknowledged was kept, try again"
                ) from None
            raise JournalError(f"{self.where}: {doing}: {' '.join(str(exc).split())}") from None
        except psycopg.errors.UniqueViolation:
            raise JournalError(
                f"{self.where}: another process appended the same event number; try again"
            ) from None
        except psycopg.errors.ForeignKeyViolation:
            raise JournalReplaced(
                f"{self.where} was removed from its database while this process had it open: "
                "stopping, so that nothing more is written to it"
            ) from None
        except psycopg.Error as exc:
            raise JournalError(f"{self.where}: {doing}: {' '.join(str(exc).split())}") from None

    def _rows(self, query: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        with self._guard("reading"):
            return self._conn().execute(query, params).fetchall()

    def _current_incarnation(self) -> str | None:
        rows = self._rows(
            f"SELECT incarnation FROM {SCHEMA}.exercises WHERE name = %s", (self._exercise,)
        )
        return str(rows[0][0]) if rows else None

    # --- reading ---------------------------------------------------------------------------

    def schema_version(self) -> int:
        text = self.meta().get("schema_version", "")
        try:
            return int(text)
        except ValueError:
            raise DamagedJournal(
                f"{self.where}: metadata row 'schema_version' is damaged ({text!r})"
            ) from None

    def meta(self) -> dict[str, str]:
        rows = self._rows(
            f"SELECT key, value FROM {SCHEMA}.meta WHERE exercise = %s", (self._exercise,)
        )
        return {str(k): str(v) for k, v in rows}

    def local_setting(self, key: str) -> str | None:
        rows = self._rows(
            f"SELECT value FROM {SCHEMA}.local WHERE exercise = %s AND key = %s",
            (self._exercise, key),
        )
        return str(rows[0][0]) if rows else None

    def set_local(self, key: str, value: str) -> None:
        """Store (or overwrite) a local setting such as a console's heartbeat: not an event, not
        chained, so it takes neither the append lock nor wakes the followers."""
        if self.read_only:
            raise JournalError(f"{self.where} was opened read-only")
        db = self._conn()
        with self._guard("writing a local setting"), db.transaction():
            db.execute(
                f"INSERT INTO {SCHEMA}.local (exercise, key, value) VALUES (%s, %s, %s) "
                "ON CONFLICT (exercise, key) DO UPDATE SET value = excluded.value",
                (self._exercise, key, value),
            )

    def local_rows(self, prefix: str) -> dict[str, str]:
        rows = self._rows(
            f"SELECT key, value FROM {SCHEMA}.local WHERE exercise = %s AND left(key, %s) = %s",
            (self._exercise, len(prefix), prefix),
        )
        return {str(k): str(v) for k, v in rows}

    def meta_setdefault(self, key: str, value: str) -> str:
        with self.transaction(), self._guard("writing a local setting"):
            self._conn().execute(
                f"INSERT INTO {SCHEMA}.local (exercise, key, value) VALUES (%s, %s, %s) "
                "ON CONFLICT DO NOTHING",
                (self._exercise, key, value),
            )
        found = self.local_setting(key)
        return value if found is None else found

    def events(self, after: int = 0) -> list[Event]:
        rows = self._rows(
            f"SELECT {_COLUMNS} FROM {SCHEMA}.events WHERE exercise = %s AND seq > %s ORDER BY seq",
            (self._exercise, after),
        )
        return [self._event(row) for row in rows]

    def _event(self, row: tuple[Any, ...]) -> Event:
        seq, wall, t, actor, role, kind, payload, prev, digest = row
        damage = row_damage((seq, wall, t, actor, role, kind, payload, prev, digest))
        if damage is not None:
            raise DamagedJournal(
                f"{self.where}: event {seq} is damaged: {damage} (run `exercise-engine verify`)"
            )
        return Event(
            kind,
            t,
            actor,
            role,
            json.loads(payload),
            seq=seq,
            wall_time=float(wall),
            prev_hash=prev,
            hash=digest,
        )

    def data_version(self) -> int:
        """Bumped by every notification on the exercise's channel since the last call."""
        self._drain(0.0)
        self._seen = self._version
        return self._version

    def wait_for_change(self, timeout: float) -> bool:
        """Whether another process committed since :meth:`data_version` was last read, blocking
        on the listening socket up to ``timeout`` seconds for a notification."""
        self._drain(0.0)
        if self._version == self._seen:
            self._drain(timeout)
        return self._version != self._seen

    def _listen(self) -> psycopg.Connection[Any]:
        if self._listener is not None and not self._listener.closed:
            return self._listener
        self._listener = connect(self.where)
        try:
            self._listener.execute(sql.SQL("LISTEN {}").format(sql.Identifier(self._channel)))
        except psycopg.Error as exc:
            self._listener.close()
            self._listener = None
            raise JournalUnreachable(describe_failure(self.where, exc)) from None
        self._version += 1  # a new listener may have missed notifications: look once
        return self._listener

    def _drain(self, timeout: float) -> None:
        listener = self._listen()
        pg = listener.pgconn
        try:
            if timeout > 0:
                select.select([pg.socket], [], [], timeout)
            for _read in range(16):  # until the socket has nothing more (a closed one: raises)
                pg.consume_input()
                while (note := pg.notifies()) is not None:
                    self._version += 1
                    self._removed = self._removed or note.extra == b"removed"
                if not select.select([pg.socket], [], [], 0)[0]:
                    break
        except (psycopg.Error, OSError) as exc:
            listener.close()
            self._listener = None
            raise JournalUnreachable(
                f"the journal server of {self.where} is unreachable "
                f"({' '.join(str(exc).split()) or 'connection lost'}); retrying"
            ) from None
        if self._removed:
            raise JournalReplaced(
                f"{self.where} was removed from its database while this process had it open "
                "(play --overwrite?): stopping, so that nothing more is written to it"
            )

    def tail(self) -> tuple[int, str]:
        rows = self._rows(
            f"SELECT seq, hash FROM {SCHEMA}.events WHERE exercise = %s ORDER BY seq DESC LIMIT 1",
            (self._exercise,),
        )
        if not rows:
            return (0, GENESIS)
        return (int(rows[0][0]), str(rows[0][1]))

    def count(self) -> int:
        rows = self._rows(
            f"SELECT COUNT(*) FROM {SCHEMA}.events WHERE exercise = %s", (self._exercise,)
        )
        return int(rows[0][0])

    def check_still_ours(self) -> None:
        """Nothing to check between transactions: each write transaction checks that the
        exercise is still the one opened (a ``play --overwrite`` may have replaced it)."""

    def checkpoint_at(self) -> tuple[int, float] | None:
        rows = self._rows(
            f"SELECT exercise_time, wall_time FROM {SCHEMA}.checkpoint WHERE exercise = %s",
            (self._exercise,),
        )
        return (int(rows[0][0]), float(rows[0][1])) if rows else None

    def checkpoint(self) -> int | None:
        rows = self._rows(
            f"SELECT exercise_time FROM {SCHEMA}.checkpoint WHERE exercise = %s",
            (self._exercise,),
        )
        return int(rows[0][0]) if rows else None

    # --- writing ---------------------------------------------------------------------------

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """A write transaction holding the exercise's append lock; notifies at commit."""
        if self._in_transaction:
            with self._conn().transaction():  # a savepoint: a failed command leaves no trace
                yield
            return
        if self.read_only:
            raise JournalError(f"{self.where} was opened read-only")
        db = self._conn()
        with self._guard("writing"), db.transaction():
            db.execute("SELECT pg_advisory_xact_lock(%s)", (lock_key("append", self._exercise),))
            row = db.execute(
                f"SELECT incarnation FROM {SCHEMA}.exercises WHERE name = %s",
                (self._exercise,),
            ).fetchone()
            if row is None or (self._incarnation and row[0] != self._incarnation):
                raise JournalReplaced(
                    f"{self.where} was removed or replaced in its database while this "
                    "process had it open: stopping, so that nothing more is written to it"
                )
            self._in_transaction = True
            try:
                yield
                db.execute("SELECT pg_notify(%s, 'appended')", (self._channel,))
            finally:
                self._in_transaction = False

    @contextmanager
    def batch(self) -> Iterator[Callable[[], None]]:
        """Many commands, one transaction: all durable at its end (virtual-clock play).

        Each command inside is a savepoint (psycopg nests ``transaction()`` as one), so a failed
        command leaves no trace, as in the SQLite journal. The callable the block receives does
        nothing here: one server round trip per commit is what the batch saves, and a headless
        play has no reader waiting for its moves (see :meth:`Journal.batch` for the contract).
        """
        with self.transaction():
            yield lambda: None

    def append(self, drafts: Sequence[Draft], wall_time: float) -> list[Event]:
        if not drafts:
            return []
        if not self._in_transaction:
            with self.transaction():
                return self.append(drafts, wall_time)
        for draft in drafts:
            for name, value in (("actor", draft.actor), ("role", draft.role or "")):
                if "\x00" in value:
                    from exercise_engine.journal.store import InvalidText

                    raise InvalidText(
                        f"cannot record {draft.kind.replace('_', ' ')}: its {name} holds a NUL "
                        "character"
                    )
        seq, prev = self.tail()
        out = build_events(drafts, wall_time, seq, prev)
        with self._guard("appending"), self._conn().cursor() as cur:
            cur.executemany(
                f"INSERT INTO {SCHEMA}.events (exercise, {_COLUMNS}) "
                "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
                [(self._exercise, *_row_of(e)) for e in out],
            )
        self._set_head(out[-1].seq, out[-1].hash)
        return out

    def _set_head(self, seq: int, digest: str) -> None:
        with self._guard("appending"):
            self._conn().execute(
                f"INSERT INTO {SCHEMA}.head (exercise, seq, hash) VALUES (%s, %s, %s) "
                "ON CONFLICT (exercise) DO UPDATE SET seq = excluded.seq, hash = excluded.hash",
                (self._exercise, seq, digest),
            )

    def insert_verbatim(self, event: Event) -> None:
        with self._guard("copying an event"):
            self._conn().execute(
                f"INSERT INTO {SCHEMA}.events (exercise, {_COLUMNS}) "
                "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
                (self._exercise, *_row_of(event)),
            )
        self._set_head(event.seq, event.hash)

    def save_checkpoint(self, exercise_time: int, wall_time: float) -> None:
        if self.read_only:
            return
        with self._guard("saving the checkpoint"):
            self._conn().execute(
                f"INSERT INTO {SCHEMA}.checkpoint (exercise, exercise_time, wall_time) "
                "VALUES (%s, %s, %s) ON CONFLICT (exercise) DO UPDATE SET "
                "exercise_time = excluded.exercise_time, wall_time = excluded.wall_time",
                (self._exercise, exercise_time, wall_time),
            )

    # --- integrity -------------------------------------------------------------------------

    def meta_commitment(self) -> dict[str, str]:
        return meta_commitment(self.meta())

    def check(self) -> tuple[Verification, list[tuple[int, str]]]:
        """Verify as SQLite's journal does, reading every table as of one snapshot."""
        db = self._conn()
        with self._guard("reading"), db.transaction():
            db.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            rows: list[Row] = [
                tuple(r)
                for r in db.execute(
                    f"SELECT {_COLUMNS} FROM {SCHEMA}.events WHERE exercise = %s ORDER BY seq",
                    (self._exercise,),
                )
            ]
            head = db.execute(
                f"SELECT seq, hash FROM {SCHEMA}.head WHERE exercise = %s", (self._exercise,)
            ).fetchone()
            meta = self.meta()
        recorded = (int(head[0]), str(head[1])) if head else None
        return verify_rows(
            rows,
            meta,
            schema_version=self.schema_version(),
            recorded_head=recorded,
            head_table=True,
        )

    def verify(self) -> list[tuple[int, str]]:
        return self.check()[0].problems


def _row_of(event: Event) -> tuple[Any, ...]:
    return (
        event.seq,
        event.wall_time,
        event.exercise_time,
        event.actor,
        event.role,
        event.kind,
        canonical(event.payload),
        event.prev_hash,
        event.hash,
    )
