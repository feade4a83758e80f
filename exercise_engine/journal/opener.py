"""The one way commands and consoles open an exercise's journal from the ``DB`` a user typed.

``DB`` is a path (an SQLite file, the embedded default) or
``postgresql://[user[:password]@]host[:port]/database?exercise=NAME`` (an exercise on a training
centre's server). Every command goes through here, so both work everywhere a ``DB`` is taken:
``run``, ``play``, ``join``, ``serve``, ``status``, ``verify``, ``fork``, ``report``, ``compare``,
the consoles. The PostgreSQL driver is optional: without it a URL is refused in one line that
names the extra to install.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from exercise_engine.errors import JournalError
from exercise_engine.journal.interface import JournalStore
from exercise_engine.journal.url import PgLocation, is_url, parse_url

if TYPE_CHECKING:
    from exercise_engine.journal.postgres import PgJournal

INSTALL_HINT = "pip install 'exercise-engine[postgres]'"

Target = Path | PgLocation
"""Where a journal is: a file, or an exercise in a PostgreSQL database."""


class OwnerLock(Protocol):
    """The lock held by the process running an exercise's clock (``run``, ``play``)."""

    def release(self) -> None: ...


def locate(db: str | Path | PgLocation) -> Target:
    """What ``db`` names (a URL is parsed and checked; a path is left as it is)."""
    if isinstance(db, PgLocation):
        return db
    if isinstance(db, str) and is_url(db):
        return parse_url(db)
    return Path(db)


def _postgres() -> type[PgJournal]:
    try:
        from exercise_engine.journal.postgres import PgJournal
    except ImportError:
        raise JournalError(
            f"a postgresql:// journal needs the PostgreSQL driver (psycopg): {INSTALL_HINT}"
        ) from None
    return PgJournal


def open_journal(db: str | Path | PgLocation, *, read_only: bool = False) -> JournalStore:
    """Open an existing journal (JournalError in one line when it cannot be)."""
    where = locate(db)
    if isinstance(where, PgLocation):
        journal: JournalStore = _postgres().open(where, read_only=read_only)
        return journal
    from exercise_engine.journal.store import Journal

    return Journal.open(where, read_only=read_only)


def create_journal(db: str | Path | PgLocation, meta: dict[str, str]) -> JournalStore:
    """A new, empty journal at ``db`` (where there must be none yet) holding ``meta``."""
    where = locate(db)
    if isinstance(where, PgLocation):
        journal: JournalStore = _postgres().create(where, meta)
        return journal
    from exercise_engine.journal.store import Journal

    return Journal.create(where, meta)


def something_there(db: str | Path | PgLocation) -> bool:
    """Whether anything is at ``db`` (``run`` then opens it, and open refuses a non-journal)."""
    where = locate(db)
    if isinstance(where, PgLocation):
        return _postgres().exists(where)
    from exercise_engine.journal.files import kind_of

    return kind_of(where) is not None


def is_exercise(db: str | Path | PgLocation) -> bool:
    """Whether ``db`` holds an exercise journal (``play`` hints at ``--overwrite`` then)."""
    where = locate(db)
    if isinstance(where, PgLocation):
        return _postgres().exists(where)
    from exercise_engine.journal.files import kind_of

    return kind_of(where) == "an exercise journal"


def remove_exercise(db: str | Path | PgLocation, *, protected: dict[str, Path]) -> None:
    """Delete the exercise at ``db`` for ``play --overwrite`` (never anything else)."""
    where = locate(db)
    if isinstance(where, PgLocation):
        _postgres().remove(where)
        return
    from exercise_engine.journal.files import remove_journal

    remove_journal(where, protected=protected)


def lock_exercise(db: str | Path | PgLocation, command: str) -> OwnerLock:
    """Take the owner lock of ``db`` now, or JournalInUse naming who holds it."""
    where = locate(db)
    if isinstance(where, PgLocation):
        _postgres()
        from exercise_engine.journal.pg_lock import PgLock

        return PgLock.acquire(where, command)
    from exercise_engine.journal.lock import JournalLock

    return JournalLock.acquire(where, command)


def exercises_at(url: str) -> list[str]:
    """The ``DB`` of every exercise in the database a URL names (its ``exercise=`` ignored):
    for commands that read many exercises at once (trends across cohorts)."""
    from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

    parts = urlsplit(url)
    rest = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != "exercise"]
    _postgres()
    from exercise_engine.journal.pg_connect import exercise_names

    base = urlunsplit(parts._replace(query=urlencode([*rest, ("exercise", "x")])))
    names = exercise_names(parse_url(base))

    def named(name: str) -> str:
        return urlunsplit(parts._replace(query=urlencode([*rest, ("exercise", name)])))

    return [named(name) for name in names]
