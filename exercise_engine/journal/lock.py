"""The journal's owner lock: ``DB.lock`` beside the journal, held by the process running its clock.

Who calls it: ``exercise-engine run`` (the facilitator, for as long as it runs) and ``play``
(while it creates and plays a journal). Why: ``play --overwrite`` deleting a journal that a live
``run`` still writes to would send every later event to a deleted file. The lock is an OS advisory
lock (``flock``), so the kernel releases it when its holder exits, even by ``kill -9``: a stale
lock file never blocks anyone. The file also says who holds it (pid, host, since when, command),
so a refusal can name them.
"""

from __future__ import annotations

import json
import os
import socket
import stat
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from exercise_engine.errors import JournalError, JournalInUse

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: no advisory locks; the lock is advisory anyway
    fcntl = None  # type: ignore[assignment]


def lock_path(db: Path) -> Path:
    return Path(f"{db}.lock")


@dataclass(frozen=True)
class Holder:
    """Who holds a journal's lock."""

    pid: int
    host: str
    since: str
    command: str

    def describe(self) -> str:
        return f"`{self.command}` (pid {self.pid} on {self.host}, since {self.since})"


class JournalLock:
    """A held lock; :meth:`release` (or process exit) frees it."""

    def __init__(self, path: Path, fd: int) -> None:
        self.path = path
        self._fd: int | None = fd

    @classmethod
    def acquire(cls, db: Path | str, command: str) -> JournalLock:
        """Take ``db``'s lock now or raise JournalInUse naming the holder; never waits."""
        path = lock_path(Path(db))
        for _attempt in range(5):
            fd = _open_lock_file(path)
            if fcntl is None:
                return cls(path, fd)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                os.close(fd)
                holder = read_holder(path)
                who = holder.describe() if holder else "another process"
                raise JournalInUse(f"{db} is in use by {who}: stop it first") from None
            # The holder before us may have removed the file after we opened it: make sure the
            # lock we hold is on the file that is there now, or try again.
            try:
                same = os.fstat(fd).st_ino == os.lstat(path).st_ino
            except FileNotFoundError:
                same = False
            if not same:
                os.close(fd)
                continue
            holder = Holder(
                os.getpid(),
                socket.gethostname(),
                datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S UTC"),
                command,
            )
            os.ftruncate(fd, 0)
            os.pwrite(fd, json.dumps(holder.__dict__).encode(), 0)
            return cls(path, fd)
        raise JournalError(f"{path} keeps changing; try again")

    def release(self) -> None:
        if self._fd is None:
            return
        try:
            self.path.unlink(
                missing_ok=True
            )  # removed while still held: nobody inherits a stale name
        finally:
            os.close(self._fd)
            self._fd = None

    def __enter__(self) -> JournalLock:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.release()


def _open_lock_file(path: Path) -> int:
    flags = os.O_RDWR | os.O_CREAT | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(path, flags | getattr(os, "O_CLOEXEC", 0), 0o644)
    except OSError as exc:
        raise JournalError(
            f"cannot take the lock {path}: {exc.strerror or exc} (it must be a plain file)"
        ) from None
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise JournalError(f"{path} is not a plain file: cannot lock the journal with it")
    return fd


def read_holder(path: Path) -> Holder | None:
    """Who wrote the lock file last (None if it is empty or unreadable)."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        return None
    try:
        data = json.loads(os.read(fd, 4096).decode())
        return Holder(int(data["pid"]), str(data["host"]), str(data["since"]), str(data["command"]))
    except (ValueError, KeyError, TypeError, UnicodeDecodeError):
        return None
    finally:
        os.close(fd)
