"""A throwaway PostgreSQL cluster for the journal tests: initdb + pg_ctl in a temporary folder.

Why its own cluster: the tests must never touch a machine's real PostgreSQL service or its data.
The cluster listens on 127.0.0.1 at a free port (and on a Unix socket inside its own folder only),
uses password authentication (so a wrong password is refused, as on a real server), and has a
throwaway role with ``CREATEDB`` and a database of its own. PostgreSQL refuses to run as root, so
as root the cluster runs as the ``postgres`` user (``runuser``).

Used two ways: by the ``pg_url`` fixture (tests/conftest.py) when no server was given, and by
``.ci/run`` as a script, which starts one for the whole run and exports its URL::

    python3 tests/pg_cluster.py start DIR   # prints the URL on stdout
    python3 tests/pg_cluster.py stop DIR
"""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

ROLE = "ee_test"
PASSWORD = "ee-test-password"
DATABASE = "ee_test"
ADMIN = "ee_admin"


class ClusterError(Exception):
    """The cluster could not be started; the message says why (the tests then skip with it)."""


def bin_dir() -> Path | None:
    """Where initdb and pg_ctl are (Debian keeps them off PATH)."""
    found = shutil.which("initdb")
    if found:
        return Path(found).parent
    versions = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=_version_key)
    return Path(versions[-1]).parent if versions else None


def _version_key(path: str) -> float:
    try:
        return float(Path(path).parent.parent.name)
    except ValueError:
        return 0.0


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _as_owner(argv: list[str]) -> list[str]:
    """Run as the ``postgres`` user when we are root (initdb and postgres refuse root)."""
    if os.geteuid() != 0:
        return argv
    runuser = shutil.which("runuser")
    if runuser is None:
        raise ClusterError("running as root and runuser is missing: cannot start PostgreSQL")
    return [runuser, "-u", "postgres", "--", *argv]


def _run(argv: list[str], what: str) -> None:
    try:
        done = subprocess.run(
            _as_owner(argv), capture_output=True, text=True, timeout=120, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise ClusterError(f"{what} failed: {exc}") from None
    if done.returncode != 0:
        tail = (done.stderr or done.stdout).strip().splitlines()[-1:]
        raise ClusterError(f"{what} failed: {' '.join(tail) or f'exit {done.returncode}'}")


def start(folder: Path | None = None) -> tuple[str, Path]:
    """Start a cluster; its URL (without ``exercise=``) and its folder (for :func:`stop`)."""
    binaries = bin_dir()
    if binaries is None:
        raise ClusterError("the PostgreSQL server is not installed (initdb not found)")
    if folder is None:
        folder = Path(tempfile.mkdtemp(prefix="ee-pg-"))
    folder.mkdir(parents=True, exist_ok=True)
    data = folder / "data"
    pwfile = folder / "pw"
    pwfile.write_text(PASSWORD + "\n", encoding="utf-8")
    if os.geteuid() == 0:
        try:
            shutil.chown(folder, "postgres")
            shutil.chown(pwfile, "postgres")
        except (LookupError, OSError) as exc:
            raise ClusterError(
                f"running as root and there is no usable postgres user: {exc}"
            ) from None
        folder.chmod(0o700)
    port = _free_port()
    _run(
        [
            str(binaries / "initdb"),
            "-D",
            str(data),
            "-U",
            ADMIN,
            "--auth=scram-sha-256",
            f"--pwfile={pwfile}",
            "--encoding=UTF8",
            "--no-sync",
        ],
        "initdb",
    )
    options = (
        f"-c listen_addresses=127.0.0.1 -c port={port} -c unix_socket_directories={folder} "
        "-c fsync=off -c max_connections=60"
    )
    (folder / "options").write_text(options, encoding="utf-8")
    resume(folder)
    admin = f"postgresql://{ADMIN}:{PASSWORD}@127.0.0.1:{port}/postgres"
    try:
        import psycopg

        with psycopg.connect(admin, autocommit=True, connect_timeout=10) as db:
            db.execute(f"CREATE ROLE {ROLE} LOGIN CREATEDB PASSWORD '{PASSWORD}'")
            db.execute(f"CREATE DATABASE {DATABASE} OWNER {ROLE}")
    except Exception as exc:
        stop(folder)
        raise ClusterError(f"cannot set up the test role and database: {exc}") from None
    return f"postgresql://{ROLE}:{PASSWORD}@127.0.0.1:{port}/{DATABASE}", folder


def resume(folder: Path) -> None:
    """Start (again) the cluster in ``folder``, on the port it had; waits until it accepts."""
    binaries = bin_dir()
    assert binaries is not None
    options = (folder / "options").read_text(encoding="utf-8")
    _run(
        [
            str(binaries / "pg_ctl"),
            "-D",
            str(folder / "data"),
            "-l",
            str(folder / "log"),
            "-o",
            options,
            "-w",
            "-t",
            "60",
            "start",
        ],
        "pg_ctl start",
    )


def halt(folder: Path) -> None:
    """Stop the server at once (``immediate``: like a crash) and wait until it is gone."""
    binaries = bin_dir()
    assert binaries is not None
    _run(
        [str(binaries / "pg_ctl"), "-D", str(folder / "data"), "-m", "immediate", "-w", "stop"],
        "pg_ctl stop",
    )


def stop(folder: Path) -> None:
    """Stop the cluster in ``folder`` (fast) and remove the folder."""
    binaries = bin_dir()
    if binaries is not None and (folder / "data" / "postmaster.pid").exists():
        with contextlib.suppress(ClusterError):
            _run(
                [str(binaries / "pg_ctl"), "-D", str(folder / "data"), "-m", "fast", "stop"],
                "pg_ctl stop",
            )
    shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[1] not in ("start", "stop"):
        print("usage: pg_cluster.py start|stop DIR", file=sys.stderr)
        sys.exit(2)
    where = Path(sys.argv[2])
    if sys.argv[1] == "stop":
        stop(where)
        sys.exit(0)
    try:
        url, _ = start(where)
    except ClusterError as exc:
        print(f"cannot start PostgreSQL: {exc}", file=sys.stderr)
        sys.exit(1)
    print(url)
