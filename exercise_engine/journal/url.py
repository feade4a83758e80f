"""``postgresql://[user[:password]@]host[:port]/database?exercise=NAME``: a journal on a server.

Why a URL: every command that takes a ``DB`` takes one of these in its place, so a training
centre's syndicates write to one PostgreSQL database, one exercise each. The ``exercise=`` query
parameter names the exercise (its own chain inside the shared database); every other query
parameter is handed to the driver (``sslmode=require``, say). A password may also come from
``PGPASSWORD`` or ``~/.pgpass``, as for every PostgreSQL client, and stays out of the URL then.

``str()`` of a location never shows the password (it leaves it out, so that a printed command
pasted back still works where ``PGPASSWORD`` or ``~/.pgpass`` holds it): it is what messages,
reports and the consoles print.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from exercise_engine.errors import JournalError

SCHEMES = ("postgresql://", "postgres://")
EXERCISE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")
"""Exercise names: what a file name would be, without folders (they also name report files)."""


def is_url(db: object) -> bool:
    """Whether ``db`` (as typed) names a journal on a PostgreSQL server."""
    return isinstance(db, (str, PgLocation)) and str(db).lower().startswith(SCHEMES)


@dataclass(frozen=True)
class PgLocation:
    """One exercise in one PostgreSQL database."""

    conninfo: str
    """The URL the driver connects with: the one typed, less ``exercise=`` (has the password)."""
    exercise: str
    """The exercise's name inside the database."""
    shown: str
    """The URL as printed: without its password (pasted back, the password then comes from
    ``PGPASSWORD`` or ``~/.pgpass``)."""
    typed: str
    """The URL exactly as the user gave it (handed on to the consoles ``serve`` starts)."""

    @property
    def name(self) -> str:
        return self.exercise

    @property
    def stem(self) -> str:
        return self.exercise

    @property
    def parent(self) -> Path:
        """Where files about this exercise (reports, records) go by default: here."""
        return Path.cwd()

    def resolve(self) -> PgLocation:
        return self

    def __str__(self) -> str:
        return self.shown


def parse_url(text: str) -> PgLocation:
    """Parse a journal URL; JournalError in one line for a URL that cannot name an exercise."""
    parts = urlsplit(text)
    if parts.scheme.lower() not in ("postgresql", "postgres"):
        raise JournalError(f"{text!r} is not a postgresql:// URL")
    query = parse_qsl(parts.query, keep_blank_values=True)
    names = [value for key, value in query if key == "exercise"]
    shown = _without_password(text)
    if not names or not names[-1]:
        raise JournalError(
            f"{shown} names no exercise: add ?exercise=NAME (one database holds many exercises)"
        )
    exercise = names[-1]
    if not EXERCISE_NAME.match(exercise):
        raise JournalError(
            f"{shown}: exercise name {exercise!r} is not allowed (letters, digits, '.', '_' and "
            "'-', at most 100, starting with a letter or digit)"
        )
    if not parts.path.strip("/"):
        raise JournalError(f"{shown} names no database: postgresql://HOST[:PORT]/DATABASE?...")
    rest = urlencode([(k, v) for k, v in query if k != "exercise"])
    conninfo = urlunsplit((parts.scheme, parts.netloc, parts.path, rest, ""))
    return PgLocation(conninfo=conninfo, exercise=exercise, shown=shown, typed=text)


def _without_password(text: str) -> str:
    parts = urlsplit(text)
    if parts.password is None:
        return text
    user = parts.username or ""
    host = parts.netloc.rpartition("@")[2]
    return urlunsplit(parts._replace(netloc=f"{user}@{host}" if user else host))
