"""Wrong join codes, counted per client address, shared by every console process of one ``serve``.

Who calls it: the sign-in of a console opened with ``join --ask-code`` (what ``serve`` runs per
browser tab). textual-serve starts a fresh process for every tab, so a counter kept in the
process would start again at zero with each new tab; the count lives in a small SQLite file
instead, in a folder ``serve`` makes for its lifetime and names in the environment of each
console it starts (with the browser's address). A console started by hand in a terminal has no
such file and counts in memory.

The policy, per address, over the last :data:`WINDOW` seconds: :data:`FREE_TRIES` wrong codes
cost nothing; each further one makes the next try wait twice as long, from :data:`FIRST_DELAY`
seconds on; a try made while waiting counts as wrong (a script hammering the field only locks
itself out sooner); after :data:`LOCKOUT_AT` wrong codes the address is locked out until the
window has passed (restarting ``serve`` clears it). A right code does not clear the count, so
knowing one seat's code gives no extra guesses at another's.

Pure (no Textual): tested directly with a virtual clock.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

FREE_TRIES = 3
"""Wrong codes an address may type with no delay (people mistype)."""
FIRST_DELAY = 30.0
"""Seconds to wait after the first wrong code beyond the free ones; doubles with each next one."""
LOCKOUT_AT = 10
"""Wrong codes after which the address is locked out."""
WINDOW = 15 * 60.0
"""Seconds a wrong code is remembered; also how long a lockout lasts after the last one."""

CLIENT_ENV = "EXERCISE_ENGINE_CLIENT"
"""The browser's address, set by ``serve`` in each console's environment."""
STATE_ENV = "EXERCISE_ENGINE_SIGN_IN_STATE"
"""The SQLite file holding the wrong codes, set by ``serve`` in each console's environment."""

Kind = Literal["ok", "wrong", "wait", "locked"]


@dataclass(frozen=True)
class Outcome:
    """What one sign-in attempt came to, and what the screen should say."""

    kind: Kind
    wait: float = 0.0
    """Seconds before the next try is looked at (0: now)."""
    left: int = 0
    """Wrong codes left before the lockout."""

    def message(self) -> str:
        """One line for the sign-in screen ("" when the code was right)."""
        if self.kind == "ok":
            return ""
        if self.kind == "locked":
            minutes = max(1, round(self.wait / 60))
            return (
                "Too many wrong codes from this computer: sign-in is locked for about "
                f"{minutes} min. Ask the facilitator."
            )
        if self.kind == "wait":
            return (
                f"Too soon: wait {self.wait:.0f} s before the next try "
                f"(this one counted as wrong; {self.left} left before a lockout)."
            )
        text = "That is not the code for this seat. Ask the facilitator."
        if self.wait > 0:
            text += f" Wait {self.wait:.0f} s before the next try ({self.left} left)."
        return text


class AttemptLimiter:
    """The wrong-code counter of one ``serve`` (a file) or of one terminal console (memory)."""

    def __init__(self, path: Path | None = None, clock: Callable[[], float] = time.time) -> None:
        self.clock = clock
        self._path = path
        self._memory = (
            sqlite3.connect(":memory:", check_same_thread=False) if path is None else None
        )
        if self._memory is not None:
            self._setup(self._memory)

    @staticmethod
    def _setup(db: sqlite3.Connection) -> None:
        db.execute("CREATE TABLE IF NOT EXISTS wrong (address TEXT NOT NULL, at REAL NOT NULL)")
        db.commit()

    def _connect(self) -> sqlite3.Connection:
        if self._memory is not None:
            return self._memory
        assert self._path is not None
        db = sqlite3.connect(self._path, timeout=10, isolation_level=None)
        db.execute("BEGIN IMMEDIATE")
        db.execute("CREATE TABLE IF NOT EXISTS wrong (address TEXT NOT NULL, at REAL NOT NULL)")
        return db

    def attempt(self, address: str, right: bool) -> Outcome:
        """Count one try from ``address`` whose code was ``right`` or not (one transaction, so
        two tabs racing cannot both slip under the limit)."""
        db = self._connect()
        try:
            now = self.clock()
            db.execute("DELETE FROM wrong WHERE at < ?", (now - WINDOW,))
            times = [
                row[0]
                for row in db.execute(
                    "SELECT at FROM wrong WHERE address = ? ORDER BY at", (address,)
                )
            ]
            before = self._state(times, now)
            if before.kind == "locked":
                return before
            if before.kind == "ok" and right:
                return before
            db.execute("INSERT INTO wrong (address, at) VALUES (?, ?)", (address, now))
            after = self._state([*times, now], now)
            if after.kind == "locked":
                return after
            if before.kind == "wait":
                return Outcome("wait", max(before.wait, after.wait), after.left)
            return Outcome("wrong", after.wait, after.left)
        finally:
            db.commit()
            if db is not self._memory:
                db.close()

    def state(self, address: str) -> Outcome:
        """Where ``address`` stands now, without counting anything ("ok": it may try)."""
        db = self._connect()
        try:
            now = self.clock()
            times = [
                row[0]
                for row in db.execute(
                    "SELECT at FROM wrong WHERE address = ? AND at >= ? ORDER BY at",
                    (address, now - WINDOW),
                )
            ]
            return self._state(times, now)
        finally:
            db.commit()
            if db is not self._memory:
                db.close()

    @staticmethod
    def _state(times: list[float], now: float) -> Outcome:
        wrong = len(times)
        left = max(0, LOCKOUT_AT - wrong)
        if wrong >= LOCKOUT_AT:
            return Outcome("locked", times[-1] + WINDOW - now, 0)
        if wrong > FREE_TRIES:
            until = times[-1] + FIRST_DELAY * 2 ** (wrong - FREE_TRIES - 1)
            if until > now:
                return Outcome("wait", until - now, left)
        return Outcome("ok", 0.0, left)
