"""One exercise = one SQLite file: an append-only, hash-chained event log.

Why SQLite in WAL mode: several processes share one exercise (the facilitator console owns the
clock; each participant console appends its decisions), readers never block the writer, and a
committed event survives ``kill -9``. An event is acknowledged only after its transaction commits
with ``synchronous=FULL``. Writers serialise through ``BEGIN IMMEDIATE`` with a busy timeout and
retries; readers notice new events cheaply through ``PRAGMA data_version``.

Each event stores the hash of the one before it (``journal.chain``); the first event commits to
every metadata row (the scenario's source texts above all), and the head (last sequence number
and hash) is kept beside the events in the same transaction, so :meth:`Journal.check` finds a
changed, removed, reordered or trailing-deleted event and an edited snapshot, naming where.

Read-only users (``status``, ``verify``, ``report``, ``compare``) open with ``read_only=True``:
nothing is written, not even SQLite's ``-wal``/``-shm`` files. Writers check on every transaction
and poll that the file is still the one they opened (``journal.files``).
"""

from __future__ import annotations

import json
import os
import sqlite3
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from exercise_engine.errors import (
    DamagedJournal,
    ExerciseError,
    JournalError,
    JournalReplaced,
)
from exercise_engine.journal.chain import (
    GENESIS,
    Row,
    Verification,
    canonical,
    event_hash,
    meta_commitment,
    row_damage,
    verify_rows,
)
from exercise_engine.journal.files import (
    Identity,
    check_readable,
    identities,
    kind_of,
    read_only_connection,
    replaced,
)
from exercise_engine.model.events import Draft, Event

SCHEMA_VERSION = 2
"""2: the first event commits to the metadata; the head is kept in its own table; ``local``."""
READABLE_SCHEMAS = (1, 2)
_BUSY_RETRIES = 50
_COLUMNS = "seq, wall_time, exercise_time, actor, role, kind, payload, prev_hash, hash"

_TABLES = (
    "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    """CREATE TABLE IF NOT EXISTS events (
    seq INTEGER PRIMARY KEY,
    wall_time REAL NOT NULL,
    exercise_time INTEGER NOT NULL,
    actor TEXT NOT NULL,
    role TEXT,
    kind TEXT NOT NULL,
    payload TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
)""",
    """CREATE TABLE IF NOT EXISTS checkpoint (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    exercise_time INTEGER NOT NULL,
    wall_time REAL NOT NULL
)""",
    """CREATE TABLE IF NOT EXISTS head (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    seq INTEGER NOT NULL,
    hash TEXT NOT NULL
)""",
    "CREATE TABLE IF NOT EXISTS local (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
)


class InvalidText(ExerciseError):
    """Text that cannot be stored: not valid Unicode (a terminal in another encoding, say)."""


class Journal:
    """An open exercise journal."""

    def __init__(
        self,
        path: Path,
        connection: sqlite3.Connection,
        *,
        read_only: bool = False,
    ) -> None:
        self.path = path
        self.read_only = read_only
        self._db = connection
        self._in_transaction = False
        self._batching = False
        self._seen_version: int | None = None
        self._opened: dict[str, Identity | None] = {}
        if not read_only:
            self._opened = identities(path)

    # --- opening ---------------------------------------------------------------------------

    @staticmethod
    def _connect(path: Path) -> sqlite3.Connection:
        db = sqlite3.connect(str(path), timeout=10.0, isolation_level=None, check_same_thread=False)
        db.execute("PRAGMA busy_timeout = 10000")
        return db

    @classmethod
    def create(cls, path: Path | str, meta: dict[str, str]) -> Journal:
        """A new, empty journal at ``path`` (where nothing may exist) with the given metadata."""
        path = Path(path)
        existing = kind_of(path)
        if existing == "an exercise journal":
            raise JournalError(f"{path} already exists: open it to resume, or choose another file")
        if existing is not None:
            raise JournalError(
                f"{path} is {existing}, not an exercise journal: refusing to replace it"
            )
        if not path.parent.is_dir():
            raise JournalError(f"folder {path.parent} does not exist")
        # Build the file under a temporary name, then link it into place (never over anything):
        # another process never sees a half-made journal, and nothing at the path is replaced.
        try:
            fd, name = tempfile.mkstemp(
                prefix=f".{path.name}.", suffix=".creating", dir=path.parent
            )
        except OSError as exc:
            raise JournalError(f"cannot create {path}: {exc.strerror or exc}") from None
        os.close(fd)
        staging = Path(name)
        try:
            db = sqlite3.connect(str(staging), isolation_level=None)
            for statement in _TABLES:
                db.execute(statement)
            rows = [("schema_version", str(SCHEMA_VERSION)), *meta.items()]
            db.execute("BEGIN IMMEDIATE")
            db.executemany("INSERT INTO meta (key, value) VALUES (?, ?)", rows)
            db.execute("COMMIT")
            db.close()
            mask = os.umask(0)
            os.umask(mask)
            os.chmod(staging, 0o666 & ~mask)  # as SQLite would make it (mkstemp makes 0600)
            _link_into_place(staging, path)
            db = cls._connect(path)
            db.execute("PRAGMA journal_mode = WAL")
            db.execute("PRAGMA synchronous = FULL")
        except FileExistsError:
            raise JournalError(
                f"{path} appeared while it was being created; choose another file"
            ) from None
        except (sqlite3.Error, OSError) as exc:
            raise JournalError(f"cannot create {path}: {exc}") from None
        finally:
            staging.unlink(missing_ok=True)
        return cls(path, db)

    @classmethod
    def open(cls, path: Path | str, *, read_only: bool = False) -> Journal:
        """Open an existing journal; JournalError with a clear reason if it is not one.

        ``read_only``: never write anything (read-only commands); otherwise the journal is ready
        to append to, and a journal of an older schema gets the tables it lacks.
        """
        path = Path(path)
        check_readable(path)
        try:
            if read_only:
                db = read_only_connection(path)
            else:
                db = cls._connect(path)
                db.execute("PRAGMA journal_mode = WAL")
                db.execute("PRAGMA synchronous = FULL")
            tables = {
                r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            }
        except sqlite3.DatabaseError as exc:
            raise JournalError(f"{path} is not an exercise journal ({exc})") from None
        if not {"meta", "events"} <= tables:
            db.close()
            raise JournalError(f"{path} is an SQLite file but not an exercise journal")
        journal = cls(path, db, read_only=read_only)
        version = journal.schema_version()
        if version not in READABLE_SCHEMAS:
            db.close()
            newest = max(READABLE_SCHEMAS)
            if version > newest:
                raise JournalError(
                    f"{path} was made by a newer version of exercise-engine (journal schema "
                    f"{version}; this version reads schemas up to {newest}): upgrade to open it"
                )
            raise JournalError(
                f"{path} was made by an older version of exercise-engine (journal schema "
                f"{version}), which this version cannot read"
            )
        if not read_only and not {"checkpoint", "head", "local"} <= tables:
            journal._upgrade_tables()
        return journal

    def _upgrade_tables(self) -> None:
        """An older journal opened to write: add the tables it lacks, its head where it stands."""
        with self.transaction():
            for statement in _TABLES:
                self._db.execute(statement)
            seq, digest = self.tail()
            if seq:
                self._db.execute(
                    "INSERT OR IGNORE INTO head (id, seq, hash) VALUES (1, ?, ?)", (seq, digest)
                )

    def close(self) -> None:
        self._db.close()

    # --- reading ---------------------------------------------------------------------------

    def schema_version(self) -> int:
        text = self.meta().get("schema_version", "")
        try:
            return int(text)
        except ValueError:
            raise DamagedJournal(
                f"{self.path}: metadata row 'schema_version' is damaged ({text!r})"
            ) from None

    def meta(self) -> dict[str, str]:
        """The metadata rows (written once, at creation; covered by the first event)."""
        try:
            rows = self._db.execute("SELECT key, value FROM meta").fetchall()
        except sqlite3.DatabaseError as exc:
            raise JournalError(f"{self.path}: cannot read metadata ({exc})") from None
        for key, value in rows:
            if not isinstance(key, str) or not isinstance(value, str):
                raise DamagedJournal(f"{self.path}: metadata row {key!r} is damaged (not text)")
        return dict(rows)

    def local_setting(self, key: str) -> str | None:
        """A local setting of this journal (see :meth:`meta_setdefault`), read without writing
        anything: None while nobody has stored it yet."""
        old = self.meta().get(key)
        if old is not None:
            return old
        try:
            row = self._db.execute("SELECT value FROM local WHERE key = ?", (key,)).fetchone()
        except sqlite3.DatabaseError as exc:
            raise JournalError(f"{self.path}: cannot read a local setting ({exc})") from None
        return None if row is None else str(row[0])

    def meta_setdefault(self, key: str, value: str) -> str:
        """A local setting of this journal (the consoles' join secret), storing ``value`` first
        if there is none.

        Local settings are not part of the exercise's record: they live in the ``local`` table,
        outside the metadata the chain covers (older journals kept them in ``meta``, which is
        read first). Two processes racing get the same answer: the first insert wins.
        """
        old = self.meta().get(key)
        if old is not None:
            return old
        try:
            with self.transaction():
                self._db.execute(
                    "INSERT OR IGNORE INTO local (key, value) VALUES (?, ?)", (key, value)
                )
            row = self._db.execute("SELECT value FROM local WHERE key = ?", (key,)).fetchone()
        except sqlite3.DatabaseError as exc:
            raise JournalError(f"{self.path}: cannot write a local setting ({exc})") from None
        return str(row[0])

    def set_local(self, key: str, value: str) -> None:
        """Store (or overwrite) a local setting: operational state outside the exercise's record,
        such as a console's heartbeat (``presence:<seat>``). Not an event, not chained."""
        try:
            with self.transaction():
                self._db.execute(
                    "INSERT INTO local (key, value) VALUES (?, ?) "
                    "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                    (key, value),
                )
        except sqlite3.DatabaseError as exc:
            raise JournalError(f"{self.path}: cannot write a local setting ({exc})") from None

    def local_rows(self, prefix: str) -> dict[str, str]:
        """Every local setting whose key starts with ``prefix`` (none in an older journal read
        without writing, which has no ``local`` table)."""
        try:
            rows = self._db.execute(
                "SELECT key, value FROM local WHERE substr(key, 1, ?) = ?", (len(prefix), prefix)
            ).fetchall()
        except sqlite3.OperationalError:
            return {}
        except sqlite3.DatabaseError as exc:
            raise JournalError(f"{self.path}: cannot read local settings ({exc})") from None
        return {str(k): str(v) for k, v in rows}

    def events(self, after: int = 0) -> list[Event]:
        """Events with sequence numbers above ``after``, in order; DamagedJournal names a bad row."""
        try:
            rows = self._db.execute(
                f"SELECT {_COLUMNS} FROM events WHERE seq > ? ORDER BY seq", (after,)
            ).fetchall()
        except sqlite3.DatabaseError as exc:
            raise JournalError(f"{self.path}: cannot read events ({exc})") from None
        return [self._event(row) for row in rows]

    def _event(self, row: Row) -> Event:
        damage = row_damage(row)
        seq, wall, t, actor, role, kind, payload, prev, digest = row
        if damage is not None:
            raise DamagedJournal(
                f"{self.path}: event {seq} is damaged: {damage} (run `exercise-engine verify`)"
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
        """Changes whenever another connection commits: a cheap "anything new?" check."""
        self._seen_version = int(self._db.execute("PRAGMA data_version").fetchone()[0])
        return self._seen_version

    def tail(self) -> tuple[int, str]:
        """The last event's sequence number and hash (0 and the genesis hash when none)."""
        row = self._db.execute("SELECT seq, hash FROM events ORDER BY seq DESC LIMIT 1").fetchone()
        if row is None:
            return (0, GENESIS)
        if not isinstance(row[0], int) or not isinstance(row[1], str):
            raise DamagedJournal(f"{self.path}: the last event's row is damaged (run verify)")
        return (row[0], row[1])

    def count(self) -> int:
        return int(self._db.execute("SELECT COUNT(*) FROM events").fetchone()[0])

    def check_still_ours(self) -> None:
        """Raise JournalReplaced if the file (or its -wal/-shm) is not the one we opened.

        Deleting ``-wal``/``-shm`` or replacing the file while a process writes would send every
        later event to a deleted file; every transaction and every poll checks this first.
        """
        if self.read_only:
            return
        what = replaced(self.path, self._opened)
        if what is not None:
            raise JournalReplaced(
                f"{what} while this process had the journal open: stopping, so that nothing more "
                "is written to a deleted file (whatever that file held is lost with it; never "
                "delete a journal's -wal/-shm files while it is in use, see docs/journal.md)"
            )

    # --- writing ---------------------------------------------------------------------------

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """A write transaction (``BEGIN IMMEDIATE``), retried while another process holds the lock."""
        if self._in_transaction:
            if not self._batching:
                yield
                return
            # inside a batch each command is a savepoint: a failed one leaves no trace
            self._db.execute("SAVEPOINT command")
            try:
                yield
            except BaseException:
                self._db.execute("ROLLBACK TO command")
                self._db.execute("RELEASE command")
                raise
            self._db.execute("RELEASE command")
            return
        if self.read_only:
            raise JournalError(f"{self.path} was opened read-only")
        self.check_still_ours()
        self._begin()
        self._in_transaction = True
        try:
            yield
        except BaseException:
            if self._db.in_transaction:
                self._db.execute("ROLLBACK")
            raise
        else:
            self._db.execute("COMMIT")
        finally:
            self._in_transaction = False
        self.check_still_ours()  # committed to a file someone swapped? then it is not safe

    @contextmanager
    def batch(self) -> Iterator[Callable[[], None]]:
        """Many commands in few transactions, durable at the end: for headless play on a
        virtual clock, where one fsync'd transaction per moment buys nothing.

        Contract (for every journal implementation): inside the block, each
        :meth:`transaction` is a savepoint of one open write transaction (a command that fails
        leaves no trace, as outside a batch); the callable the block receives commits what the
        block appended so far and carries on in a new transaction (``play`` calls it at each
        phase change); leaving the block, normally or by an exception, commits what the completed
        commands appended (a failed command was already undone by its savepoint, as if each had
        committed on its own) and returns only once every event of the block is durable (here:
        commits skip the fsync, one fsync at the end). Other readers see events at each commit,
        not before; a crash of the process loses nothing committed, a crash of the machine may
        lose what the block committed before its end (a virtual-clock run can be played again). Live
        commands do not use this: each keeps its own durable transaction, so an acknowledged
        decision is on disk before it is acknowledged. Inside a transaction, it adds nothing.
        """
        if self._in_transaction:
            yield lambda: None
            return
        if self.read_only:
            raise JournalError(f"{self.path} was opened read-only")

        def commit() -> None:
            self._db.execute("COMMIT")
            self.check_still_ours()
            self._begin()

        self.check_still_ours()
        self._db.execute("PRAGMA synchronous = NORMAL")  # WAL: commit without fsync
        try:
            self._begin()
            self._in_transaction = self._batching = True
            yield commit
        finally:
            self._in_transaction = self._batching = False
            try:
                if self._db.in_transaction:
                    self._db.execute("COMMIT")
            finally:
                self._db.execute("PRAGMA synchronous = FULL")
                self._sync()
        self.check_still_ours()

    def _sync(self) -> None:
        """fsync the write-ahead log and the database file: what was committed is on disk."""
        for name in (f"{self.path}-wal", str(self.path)):
            try:
                fd = os.open(name, os.O_RDONLY)
            except FileNotFoundError:
                continue
            except OSError as exc:
                raise JournalError(f"cannot make {name} durable: {exc.strerror or exc}") from None
            try:
                os.fsync(fd)
            finally:
                os.close(fd)

    def _begin(self) -> None:
        """``BEGIN IMMEDIATE``, retried while another process holds the write lock."""
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

    def wait_for_change(self, timeout: float) -> bool:
        """Whether another process committed since :meth:`data_version` was last read, waiting
        up to ``timeout`` seconds for it (SQLite has no notification: this looks every 50 ms)."""
        deadline = time.monotonic() + timeout
        seen = self._seen_version
        while True:
            if self.data_version() != seen:
                return True
            if time.monotonic() >= deadline:
                return False
            time.sleep(0.05)

    def append(self, drafts: Sequence[Draft], wall_time: float) -> list[Event]:
        """Append events (inside :meth:`transaction`); they are durable once it commits."""
        if not drafts:
            return []
        if not self._in_transaction:
            with self.transaction():
                return self.append(drafts, wall_time)
        seq, prev = self.tail()
        out = build_events(drafts, wall_time, seq, prev)
        self._db.executemany(
            f"INSERT INTO events ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    e.seq,
                    e.wall_time,
                    e.exercise_time,
                    e.actor,
                    e.role,
                    e.kind,
                    canonical(e.payload),
                    e.prev_hash,
                    e.hash,
                )
                for e in out
            ],
        )
        self._set_head(out[-1].seq, out[-1].hash)
        return out

    def _set_head(self, seq: int, digest: str) -> None:
        self._db.execute(
            "INSERT INTO head (id, seq, hash) VALUES (1, ?, ?) "
            "ON CONFLICT(id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash",
            (seq, digest),
        )

    def insert_verbatim(self, event: Event) -> None:
        """Copy an event exactly as another journal holds it (for forks; keeps the chain)."""
        self._db.execute(
            f"INSERT INTO events ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
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
        self._set_head(event.seq, event.hash)

    def save_checkpoint(self, exercise_time: int, wall_time: float) -> None:
        """Remember where the clock stood (not an event): a restart resumes from here."""
        self._db.execute(
            "INSERT INTO checkpoint (id, exercise_time, wall_time) VALUES (1, ?, ?) "
            "ON CONFLICT(id) DO UPDATE SET exercise_time = excluded.exercise_time, wall_time = excluded.wall_time",
            (exercise_time, wall_time),
        )

    def checkpoint_at(self) -> tuple[int, float] | None:
        """The checkpoint with its wall time: where the clock stood, and when (the facilitator's
        heartbeat while the clock runs)."""
        try:
            row = self._db.execute(
                "SELECT exercise_time, wall_time FROM checkpoint WHERE id = 1"
            ).fetchone()
        except sqlite3.OperationalError:
            return None
        if row is None:
            return None
        t, wall = row
        if isinstance(t, bool) or not isinstance(t, int) or not isinstance(wall, int | float):
            raise DamagedJournal(f"{self.path}: the checkpoint row is damaged ({row!r})")
        return (t, float(wall))

    def checkpoint(self) -> int | None:
        try:
            row = self._db.execute("SELECT exercise_time FROM checkpoint WHERE id = 1").fetchone()
        except sqlite3.OperationalError:
            return None  # an older journal read without writing: no checkpoint table yet
        if row is None:
            return None
        if isinstance(row[0], bool) or not isinstance(row[0], int):
            raise DamagedJournal(f"{self.path}: the checkpoint row is damaged ({row[0]!r})")
        return row[0]

    # --- integrity -------------------------------------------------------------------------

    def meta_commitment(self) -> dict[str, str]:
        """What the first event commits to: every metadata row's key and value hash."""
        return meta_commitment(self.meta())

    @contextmanager
    def _snapshot(self) -> Iterator[None]:
        """Read several tables as of one moment (a read transaction), even while others write."""
        if self._in_transaction:
            yield
            return
        self._db.execute("BEGIN")
        try:
            yield
        finally:
            self._db.execute("COMMIT")

    def check(self) -> tuple[Verification, list[tuple[int, str]]]:
        """Verify the chain, the metadata, the recorded head and the close rule.

        Returns the verification and every event's (seq, hash) in order (for ``--head``).
        """
        with self._snapshot():
            try:
                rows = self._db.execute(f"SELECT {_COLUMNS} FROM events ORDER BY seq").fetchall()
                tables = {
                    r[0]
                    for r in self._db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
                }
                recorded = None
                if "head" in tables:
                    row = self._db.execute("SELECT seq, hash FROM head WHERE id = 1").fetchone()
                    recorded = (row[0], row[1]) if row else None
            except sqlite3.DatabaseError as exc:
                raise JournalError(f"{self.path}: cannot read events ({exc})") from None
            meta = self.meta()
        return verify_rows(
            rows,
            meta,
            schema_version=self.schema_version(),
            recorded_head=recorded,
            head_table="head" in tables,
        )

    def verify(self) -> list[tuple[int, str]]:
        """Check the journal; the list of (seq, problem), empty when intact."""
        return self.check()[0].problems


def build_events(drafts: Sequence[Draft], wall_time: float, seq: int, prev: str) -> list[Event]:
    """The events ``drafts`` become after event ``seq`` (hash ``prev``): numbered and chained.

    Shared by both backends, so an event hashes the same in SQLite and in PostgreSQL.
    """
    out: list[Event] = []
    for draft in drafts:
        seq += 1
        payload = canonical(draft.payload)
        _check_text(draft, payload)
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


def _check_text(draft: Draft, payload: str) -> None:
    """Refuse text that is not valid Unicode before it reaches the hash or SQLite."""
    for name, value in (
        ("actor", draft.actor),
        ("role", draft.role or ""),
        ("kind", draft.kind),
        ("text", payload),
    ):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError as exc:
            bad = value[exc.start : exc.end].encode("utf-8", "surrogateescape")
            raise InvalidText(
                f"cannot record {draft.kind.replace('_', ' ')}: its {name} is not valid UTF-8 "
                f"(byte {bad.hex(' ')}); type it again in a UTF-8 terminal"
            ) from None


def _link_into_place(staging: Path, path: Path) -> None:
    """Give the finished journal its name without ever replacing anything already there."""
    try:
        os.link(staging, path)  # FileExistsError if anything appeared at ``path``
    except FileExistsError:
        raise
    except OSError:
        # A file system without hard links: check, then rename (a narrow race, documented).
        if os.path.lexists(path):
            raise FileExistsError(path) from None
        os.rename(staging, path)
