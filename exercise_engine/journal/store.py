"""One exercise = one SQLite file: an append-only, hash-chained event log.

Why SQLite in WAL mode: several processes share one exercise (the facilitator console owns the
clock; each participant console appends its decisions), readers never block the writer, and a
committed event survives ``kill -9``. An event is acknowledged only after its transaction commits
with ``synchronous=FULL``. Writers serialise through ``BEGIN IMMEDIATE`` with a busy timeout and
retries; readers notice new events cheaply through ``PRAGMA data_version``.

Each event stores the hash of the one before it (SHA-256 over a canonical JSON form), so a
changed byte anywhere is found by :meth:`Journal.verify`, which names the first bad sequence number.
The journal also keeps the scenario's source texts (a snapshot) and their content hash, so it can
be replayed, reported on and forked without the original files.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from exercise_engine.errors import ExerciseError
from exercise_engine.model.events import Draft, Event

SCHEMA_VERSION = 1
GENESIS = "0" * 64
_BUSY_RETRIES = 50

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS events (
    seq INTEGER PRIMARY KEY,
    wall_time REAL NOT NULL,
    exercise_time INTEGER NOT NULL,
    actor TEXT NOT NULL,
    role TEXT,
    kind TEXT NOT NULL,
    payload TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS checkpoint (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    exercise_time INTEGER NOT NULL,
    wall_time REAL NOT NULL
);
"""


class JournalError(ExerciseError):
    """The journal cannot be used: missing, not a journal, a newer schema, or corrupt."""


def canonical(value: Any) -> str:
    """The JSON form that hashes are computed over (sorted keys, no spaces)."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def event_hash(
    prev_hash: str,
    seq: int,
    wall_time: float,
    exercise_time: int,
    actor: str,
    role: str | None,
    kind: str,
    payload_json: str,
) -> str:
    body = canonical([seq, repr(float(wall_time)), exercise_time, actor, role, kind, payload_json])
    return hashlib.sha256((prev_hash + body).encode("utf-8")).hexdigest()


class Journal:
    """An open exercise journal."""

    def __init__(self, path: Path, connection: sqlite3.Connection) -> None:
        self.path = path
        self._db = connection
        self._in_transaction = False

    # --- opening ---------------------------------------------------------------------------

    @staticmethod
    def _connect(path: Path) -> sqlite3.Connection:
        db = sqlite3.connect(str(path), timeout=10.0, isolation_level=None, check_same_thread=False)
        db.execute("PRAGMA busy_timeout = 10000")
        return db

    @classmethod
    def create(cls, path: Path | str, meta: dict[str, str]) -> Journal:
        """A new, empty journal at ``path`` (which must not exist) with the given metadata."""
        path = Path(path)
        if path.exists() and path.stat().st_size > 0:
            raise JournalError(f"{path} already exists: open it to resume, or choose another file")
        if not path.parent.exists():
            raise JournalError(f"folder {path.parent} does not exist")
        # Build the file under a temporary name and rename it into place: another process never
        # sees a half-made journal (a participant console may be waiting for it to appear).
        staging = path.with_name(f".{path.name}.creating")
        try:
            staging.unlink(missing_ok=True)
            db = sqlite3.connect(str(staging), isolation_level=None)
            db.executescript(_SCHEMA)
            rows = [("schema_version", str(SCHEMA_VERSION)), *meta.items()]
            db.execute("BEGIN IMMEDIATE")
            db.executemany("INSERT INTO meta (key, value) VALUES (?, ?)", rows)
            db.execute("COMMIT")
            db.close()
            staging.replace(path)
            db = cls._connect(path)
            db.execute("PRAGMA journal_mode = WAL")
            db.execute("PRAGMA synchronous = FULL")
        except (sqlite3.Error, OSError) as exc:
            staging.unlink(missing_ok=True)
            raise JournalError(f"cannot create {path}: {exc}") from None
        return cls(path, db)

    @classmethod
    def open(cls, path: Path | str) -> Journal:
        """Open an existing journal; JournalError with a clear reason if it is not one."""
        path = Path(path)
        if not path.exists():
            raise JournalError(f"no such exercise journal: {path}")
        if path.is_dir():
            raise JournalError(f"{path} is a folder, not an exercise journal")
        try:
            db = cls._connect(path)
            db.execute("PRAGMA journal_mode = WAL")
            db.execute("PRAGMA synchronous = FULL")
            tables = {
                r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            }
        except sqlite3.DatabaseError as exc:
            raise JournalError(f"{path} is not an exercise journal ({exc})") from None
        if not {"meta", "events"} <= tables:
            raise JournalError(f"{path} is an SQLite file but not an exercise journal")
        journal = cls(path, db)
        version = journal.meta().get("schema_version", "?")
        if version != str(SCHEMA_VERSION):
            raise JournalError(
                f"{path} has journal schema {version}; this version reads schema {SCHEMA_VERSION}"
            )
        if "checkpoint" not in tables:
            db.executescript(_SCHEMA)
        return journal

    def close(self) -> None:
        self._db.close()

    # --- reading ---------------------------------------------------------------------------

    def meta(self) -> dict[str, str]:
        try:
            return dict(self._db.execute("SELECT key, value FROM meta").fetchall())
        except sqlite3.DatabaseError as exc:
            raise JournalError(f"{self.path}: cannot read metadata ({exc})") from None

    def meta_setdefault(self, key: str, value: str) -> str:
        """The metadata value under ``key``, storing ``value`` first if there is none.

        Metadata is otherwise written once, at creation; this adds a key later (the consoles' join
        secret) without ever changing one. Two processes racing get the same answer: the first
        insert wins and both read it back.
        """
        try:
            with self.transaction():
                self._db.execute(
                    "INSERT OR IGNORE INTO meta (key, value) VALUES (?, ?)", (key, value)
                )
            row = self._db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        except sqlite3.DatabaseError as exc:
            raise JournalError(f"{self.path}: cannot write metadata ({exc})") from None
        return str(row[0])

    def events(self, after: int = 0) -> list[Event]:
        """Events with sequence numbers above ``after``, in order."""
        try:
            rows = self._db.execute(
                "SELECT seq, wall_time, exercise_time, actor, role, kind, payload, prev_hash, hash "
                "FROM events WHERE seq > ? ORDER BY seq",
                (after,),
            ).fetchall()
        except sqlite3.DatabaseError as exc:
            raise JournalError(f"{self.path}: cannot read events ({exc})") from None
        out = []
        for seq, wall, t, actor, role, kind, payload, prev, digest in rows:
            try:
                data = json.loads(payload)
            except (TypeError, ValueError):
                raise JournalError(
                    f"{self.path}: event {seq} has a corrupt payload (run verify)"
                ) from None
            out.append(
                Event(
                    kind, t, actor, role, data, seq=seq, wall_time=wall, prev_hash=prev, hash=digest
                )
            )
        return out

    def data_version(self) -> int:
        """Changes whenever another connection commits: a cheap "anything new?" check."""
        return int(self._db.execute("PRAGMA data_version").fetchone()[0])

    def tail(self) -> tuple[int, str]:
        row = self._db.execute("SELECT seq, hash FROM events ORDER BY seq DESC LIMIT 1").fetchone()
        return (int(row[0]), str(row[1])) if row else (0, GENESIS)

    def count(self) -> int:
        return int(self._db.execute("SELECT COUNT(*) FROM events").fetchone()[0])

    # --- writing ---------------------------------------------------------------------------

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """A write transaction (``BEGIN IMMEDIATE``), retried while another process holds the lock."""
        if self._in_transaction:
            yield
            return
        for attempt in range(_BUSY_RETRIES):
            try:
                self._db.execute("BEGIN IMMEDIATE")
                break
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) and "busy" not in str(exc):
                    raise JournalError(f"{self.path}: {exc}") from None
                time.sleep(min(0.05 * (attempt + 1), 0.5))
        else:
            raise JournalError(f"{self.path} stayed locked by another process; try again")
        self._in_transaction = True
        try:
            yield
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        else:
            self._db.execute("COMMIT")
        finally:
            self._in_transaction = False

    def append(self, drafts: Sequence[Draft], wall_time: float) -> list[Event]:
        """Append events (inside :meth:`transaction`); they are durable once it commits."""
        if not drafts:
            return []
        if not self._in_transaction:
            with self.transaction():
                return self.append(drafts, wall_time)
        seq, prev = self.tail()
        out: list[Event] = []
        for draft in drafts:
            seq += 1
            payload = canonical(draft.payload)
            digest = event_hash(
                prev,
                seq,
                wall_time,
                draft.exercise_time,
                draft.actor,
                draft.role,
                draft.kind,
                payload,
            )
            self._db.execute(
                "INSERT INTO events (seq, wall_time, exercise_time, actor, role, kind, payload, prev_hash, hash) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    seq,
                    wall_time,
                    draft.exercise_time,
                    draft.actor,
                    draft.role,
                    draft.kind,
                    payload,
                    prev,
                    digest,
                ),
            )
            out.append(
                Event(
                    draft.kind,
                    draft.exercise_time,
                    draft.actor,
                    draft.role,
                    draft.payload,
                    seq=seq,
                    wall_time=wall_time,
                    prev_hash=prev,
                    hash=digest,
                )
            )
            prev = digest
        return out

    def insert_verbatim(self, event: Event) -> None:
        """Copy an event exactly as another journal holds it (for forks; keeps the chain)."""
        self._db.execute(
            "INSERT INTO events (seq, wall_time, exercise_time, actor, role, kind, payload, prev_hash, hash) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                event.seq,
                event.wall_time,
                event.exercise_time,
                event.actor,
                event.role,
                event.kind,
                canonical(event.payload),
                event.prev_hash,
                event.hash,
            ),
        )

    def save_checkpoint(self, exercise_time: int, wall_time: float) -> None:
        """Remember where the clock stood (not an event): a restart resumes from here."""
        self._db.execute(
            "INSERT INTO checkpoint (id, exercise_time, wall_time) VALUES (1, ?, ?) "
            "ON CONFLICT(id) DO UPDATE SET exercise_time = excluded.exercise_time, wall_time = excluded.wall_time",
            (exercise_time, wall_time),
        )

    def checkpoint(self) -> int | None:
        row = self._db.execute("SELECT exercise_time FROM checkpoint WHERE id = 1").fetchone()
        return int(row[0]) if row else None

    # --- integrity -------------------------------------------------------------------------

    def verify(self) -> list[tuple[int, str]]:
        """Check the hash chain; the list of (seq, problem), empty when intact."""
        problems: list[tuple[int, str]] = []
        prev = GENESIS
        expected_seq = 0
        rows = self._db.execute(
            "SELECT seq, wall_time, exercise_time, actor, role, kind, payload, prev_hash, hash FROM events ORDER BY seq"
        )
        for seq, wall, t, actor, role, kind, payload, prev_hash, digest in rows:
            expected_seq += 1
            if seq != expected_seq:
                problems.append(
                    (seq, f"sequence jumps from {expected_seq - 1} to {seq}: events are missing")
                )
                expected_seq = seq
            if prev_hash != prev:
                problems.append(
                    (seq, "does not follow the event before it (previous hash differs)")
                )
            actual = event_hash(prev_hash, seq, wall, t, actor, role, kind, payload)
            if actual != digest:
                problems.append((seq, "content changed after it was written (hash mismatch)"))
            prev = digest
        return problems
