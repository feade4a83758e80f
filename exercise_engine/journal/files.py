"""The journal's files on disk: what is at a path, read-only access, and the file's identity.

Who calls it: :class:`~exercise_engine.journal.store.Journal` (opening and creating) and
``play --overwrite`` (which may only ever replace an exercise journal). It exists because a
journal is three files (``DB``, ``DB-wal``, ``DB-shm``) that users copy, delete and point
commands at: creating must never replace a device, a FIFO or someone's scenario file; reading
must never write (not even the ``-wal``/``-shm`` files SQLite would make); and a process that
writes must notice when its file was swapped or its ``-wal`` deleted, or its events are lost.
"""

from __future__ import annotations

import os
import re
import sqlite3
import stat
from pathlib import Path
from urllib.parse import quote

from exercise_engine.errors import JournalError

SQLITE_HEADER = b"SQLite format 3\x00"
COMPANIONS = ("-wal", "-shm")
"""SQLite's companion files of a WAL-mode database: part of the journal while it is open."""

Identity = tuple[int, int]
"""(st_dev, st_ino): which file a path names."""


def kind_of(path: Path) -> str | None:
    """What is at ``path`` in plain words (a link is not followed), or None if nothing is."""
    try:
        info = path.lstat()
    except FileNotFoundError:
        return None
    except OSError as exc:
        return f"unreadable ({exc.strerror or exc})"
    mode = info.st_mode
    if stat.S_ISLNK(mode):
        return "a symbolic link"
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if not stat.S_ISREG(mode):
        return "not a regular file"
    if info.st_size == 0:
        return "an empty file"
    if not _has_sqlite_header(path):
        return "a file of another kind (not SQLite)"
    return "an exercise journal" if is_journal(path) else "an SQLite file of another program"


def _has_sqlite_header(path: Path) -> bool:
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        return False
    try:
        return os.read(fd, len(SQLITE_HEADER)) == SQLITE_HEADER
    finally:
        os.close(fd)


def is_journal(path: Path) -> bool:
    """Whether ``path`` is a regular SQLite file with the journal's tables (read without writing)."""
    try:
        db = read_only_connection(path)
    except JournalError:
        return False
    try:
        tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    except sqlite3.DatabaseError:
        return False
    finally:
        db.close()
    return {"meta", "events"} <= tables


def check_readable(path: Path) -> None:
    """Refuse, with the reason, anything at ``path`` that cannot be an exercise journal."""
    try:
        info = path.stat()  # reading may follow a link to a journal
    except FileNotFoundError:
        raise JournalError(f"no such exercise journal: {path}") from None
    except OSError as exc:
        raise JournalError(f"cannot read {path}: {exc.strerror or exc}") from None
    if stat.S_ISDIR(info.st_mode):
        raise JournalError(f"{path} is a folder, not an exercise journal")
    if not stat.S_ISREG(info.st_mode):
        what = kind_of(path.resolve()) or "not a regular file"
        raise JournalError(f"{path} is {what}, not an exercise journal")
    if info.st_size == 0:
        raise JournalError(f"{path} is an empty file, not an exercise journal")
    if not _has_sqlite_header(path.resolve()):
        raise JournalError(f"{path} is not an exercise journal (not an SQLite file)")


def read_only_connection(path: Path) -> sqlite3.Connection:
    """A connection that can never write ``path`` nor create ``-wal``/``-shm`` beside it.

    While a writer has the journal open, its ``-wal`` and ``-shm`` exist and SQLite reads them in
    read-only mode. When none does, the file alone is the whole journal: it is read into memory,
    so not even the companion files SQLite would otherwise create are written.
    """
    for _attempt in range(3):
        if os.path.exists(f"{path}-wal"):
            uri = f"file:{quote(str(path.resolve()))}?mode=ro"
            try:
                db = sqlite3.connect(uri, uri=True, timeout=10.0, check_same_thread=False)
                db.execute("PRAGMA busy_timeout = 10000")
                db.execute("PRAGMA query_only = 1")
            except sqlite3.Error as exc:
                raise JournalError(f"cannot read {path}: {exc}") from None
            return db
        try:
            data = bytearray(path.read_bytes())
        except OSError as exc:
            raise JournalError(f"cannot read {path}: {exc.strerror or exc}") from None
        if os.path.exists(f"{path}-wal"):
            continue  # a writer opened it while we read: read through SQLite instead
        if len(data) >= 20 and data[:16] == SQLITE_HEADER:
            data[18] = data[19] = (
                1  # an in-memory copy cannot be in WAL mode; the pages are the same
            )
        db = sqlite3.connect(":memory:", check_same_thread=False)
        try:
            db.deserialize(bytes(data))
            db.execute("PRAGMA query_only = 1")
        except sqlite3.Error as exc:
            db.close()
            raise JournalError(f"{path} is not an exercise journal ({exc})") from None
        return db
    raise JournalError(f"{path} kept changing while it was read; try again")


def identity(path: Path) -> Identity | None:
    try:
        info = os.stat(path)
    except OSError:
        return None
    return (info.st_dev, info.st_ino)


def identities(path: Path) -> dict[str, Identity | None]:
    """The identity of the journal file and of its companions, as they are now."""
    return {suffix: identity(Path(f"{path}{suffix}")) for suffix in ("", *COMPANIONS)}


def replaced(path: Path, opened: dict[str, Identity | None]) -> str | None:
    """What changed since ``opened`` was taken (a file replaced or deleted), or None.

    A companion that did not exist yet when ``opened`` was taken is recorded when it first
    appears (SQLite makes ``-wal``/``-shm`` at the first write): from then on it is watched too.
    """
    now = identities(path)
    for suffix, before in opened.items():
        if before is None:
            opened[suffix] = now[suffix]
            continue
        name = f"{path}{suffix}"
        if now[suffix] is None:
            return f"{name} was deleted"
        if now[suffix] != before:
            return f"{name} was replaced by another file"
    return None


_SAFE_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")


def default_journal_name(scenario_id: str, stamp: str) -> Path:
    """``<scenario id>-<stamp>.db`` in the current folder, for a safe id only.

    The id comes from a scenario file; ``../../x`` or ``/etc/x`` must not place a journal
    outside the folder, whatever the loader accepts: ids that name files are ``[a-z0-9-]``.
    """
    if not _SAFE_ID.match(scenario_id) or len(scenario_id) > 100:
        raise JournalError(
            f"scenario id {scenario_id!r} cannot name a journal file (ids are lowercase letters, "
            "digits and dashes): give --exercise DB"
        )
    return Path(f"{scenario_id}-{stamp}.db")


def remove_journal(path: Path, *, protected: dict[str, Path]) -> None:
    """Delete the exercise journal at ``path`` (and its -wal/-shm) for ``--overwrite``.

    Anything that is not an exercise journal is refused by name, and so is any of the
    ``protected`` files (``{"the decisions file": ...}``) the path turns out to be.
    """
    for role, other in protected.items():
        try:
            same = os.path.samefile(path, other)
        except OSError:
            same = False
        if same:
            raise JournalError(
                f"refusing to overwrite {path}: it is {role}, not an exercise journal"
            )
    what = kind_of(path)
    if what is None:
        return
    if what != "an exercise journal":
        raise JournalError(f"refusing to overwrite {path}: it is {what}, not an exercise journal")
    for suffix in ("", *COMPANIONS):
        try:
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        except OSError as exc:
            raise JournalError(f"cannot remove {path}{suffix}: {exc.strerror or exc}") from None
