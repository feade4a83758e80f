"""What only the PostgreSQL journal has: URLs, a server that can be unreachable, a wrong password,
a database without the tables, moving an exercise to and from a file, a server that goes away
mid-exercise. Each failure is one line and a non-zero exit; nothing acknowledged is lost."""

from __future__ import annotations

import socket
import subprocess
import sys
import uuid
from collections.abc import Generator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

from exercise_engine.clock import VirtualClock
from exercise_engine.errors import JournalError, JournalReplaced
from exercise_engine.exercise import Exercise
from exercise_engine.journal.interface import JournalUnreachable
from exercise_engine.journal.opener import open_journal
from exercise_engine.loading import load_scenario
from exercise_engine.model.events import Event
from tests.conftest import REPO, run_cli
from tests.test_journal_backends import pg_exercise, play

pytestmark = pytest.mark.requires("postgresql")


def one_line(result: subprocess.CompletedProcess[str]) -> str:
    """The single error line of a failed command (no traceback)."""
    assert result.returncode == 2, result.stdout + result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr, result.stderr
    return lines[0]


def with_netloc(url: str, netloc: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(netloc=netloc))


def test_a_url_without_an_exercise_is_refused_in_one_line(pg_server: str) -> None:
    line = one_line(run_cli("status", pg_server))
    assert "names no exercise: add ?exercise=NAME" in line
    bad = one_line(run_cli("status", f"{pg_server}?exercise=../x"))
    assert "exercise name '../x' is not allowed" in bad


def test_an_unreachable_server_is_one_line(pg_server: str) -> None:
    with socket.socket() as s:  # a port nothing listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    url = with_netloc(pg_server, f"ee_test:pw@127.0.0.1:{port}") + "?exercise=x"
    line = one_line(run_cli("status", url))
    assert line.startswith("exercise-engine status: the journal server of")
    assert " is unreachable: " in line
    assert "Connection refused" in line
    assert ":pw@" not in line  # the password is never printed


def test_a_wrong_password_is_one_line(pg_server: str) -> None:
    host = urlsplit(pg_server).netloc.rpartition("@")[2]
    url = with_netloc(pg_server, f"ee_test:not-the-password@{host}") + "?exercise=x"
    line = one_line(run_cli("verify", url))
    assert "wrong user name or password" in line
    assert "not-the-password" not in line


def test_a_missing_exercise_and_a_database_without_tables(pg_server: str) -> None:
    import psycopg

    name = f"empty_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(pg_server, autocommit=True) as db:
        db.execute(f"CREATE DATABASE {name}")
    parts = urlsplit(pg_server)
    empty = urlunsplit(parts._replace(path=f"/{name}"))
    try:
        line = one_line(run_cli("status", f"{empty}?exercise=first"))
        assert "no such exercise journal" in line and "holds no exercises yet" in line
        # the first exercise creates the tables, as a first journal creates its file
        played = play(f"{empty}?exercise=first")
        assert played.returncode == 0, played.stderr
        assert run_cli("verify", f"{empty}?exercise=first").returncode == 0
        missing = one_line(run_cli("report", f"{empty}?exercise=second"))
        assert missing.endswith(
            "no such exercise journal: "
            + f"{empty}?exercise=second".replace(f":{parts.password}@", "@")
        )
        nodb = urlunsplit(parts._replace(path="/no_such_database"))
        assert "does not exist" in one_line(run_cli("status", f"{nodb}?exercise=x"))
    finally:
        with psycopg.connect(pg_server, autocommit=True) as db:
            db.execute(f"DROP DATABASE {name} WITH (FORCE)")


def test_a_missing_driver_names_the_extra(pg_server: str) -> None:
    code = (
        "import sys; sys.modules['psycopg'] = None\n"
        "from exercise_engine.cli import main\n"
        f"sys.exit(main(['status', {pg_exercise(pg_server, 'x')!r}]))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, timeout=120
    )
    assert "pip install 'exercise-engine[postgres]'" in one_line(result)


def test_export_and_import_round_trip_losslessly(pg_server: str, tmp_path: Path) -> None:
    """file -> server -> file: both copies verify, with the source's head and its every event."""
    source = tmp_path / "laptop.db"
    assert play(str(source)).returncode == 0
    url = pg_exercise(pg_server, "moved")
    exported = run_cli("export", str(source), "--to", url)
    assert exported.returncode == 0, exported.stderr
    assert "verified on both sides" in exported.stdout
    head = exported.stdout.split("head: ")[1].strip()
    back = tmp_path / "home.db"
    imported = run_cli("import", url, "--to", str(back))
    assert imported.returncode == 0, imported.stderr
    assert imported.stdout.split("head: ")[1].strip() == head
    for db in (str(source), url, str(back)):
        verified = run_cli("verify", db, "--head", head)
        assert verified.returncode == 0, verified.stdout
        assert "ends at the noted head" in verified.stdout
    journals = [open_journal(db, read_only=True) for db in (str(source), url, str(back))]
    try:
        first = journals[0]
        for other in journals[1:]:
            assert other.events() == first.events()
            assert other.meta() == first.meta()
            assert other.checkpoint() == first.checkpoint()
    finally:
        for journal in journals:
            journal.close()
    again = run_cli("export", str(source), "--to", url)
    assert "already exists" in one_line(again)


def test_an_exercise_that_fails_verification_is_not_exported(
    pg_server: str, tmp_path: Path
) -> None:
    import sqlite3

    source = tmp_path / "bad.db"
    assert play(str(source)).returncode == 0
    with sqlite3.connect(source) as con:
        con.execute("UPDATE events SET actor = 'someone' WHERE seq = 3")
    url = pg_exercise(pg_server, "bad")
    line = one_line(run_cli("export", str(source), "--to", url))
    assert "fails verification at event 3" in line
    assert "no such exercise journal" in one_line(run_cli("status", url))


def test_tampering_on_the_server_is_found_and_named(pg_server: str) -> None:
    import psycopg

    url = pg_exercise(pg_server, "tampered")
    assert play(url).returncode == 0
    name = url.rpartition("exercise=")[2]
    with psycopg.connect(pg_server, autocommit=True) as db:
        db.execute(
            "UPDATE exercise_engine.events SET payload = replace(payload, 't', 'T') "
            "WHERE exercise = %s AND seq = 7",
            (name,),
        )
    result = run_cli("verify", url)
    assert result.returncode == 1
    assert "event 7: content changed" in result.stdout
    with psycopg.connect(pg_server, autocommit=True) as db:
        db.execute(
            "UPDATE exercise_engine.events SET payload = 'not json' "
            "WHERE exercise = %s AND seq = 5",
            (name,),
        )
    assert "event 5 is damaged: payload is not valid JSON" in one_line(run_cli("status", url))


# --- a server that goes away mid-exercise -----------------------------------------------------


@pytest.fixture
def own_server() -> Generator[tuple[str, Path], None, None]:
    """A cluster of this test's own, which the test stops and starts again."""
    from tests import pg_cluster

    try:
        url, folder = pg_cluster.start()
    except pg_cluster.ClusterError as exc:
        pytest.skip(f"cannot start a throwaway PostgreSQL cluster: {exc}")
    try:
        yield url, folder
    finally:
        pg_cluster.stop(folder)


async def test_a_server_gone_mid_exercise_loses_nothing_acknowledged(
    own_server: tuple[str, Path],
) -> None:
    """The server stops while a console and a facilitator hold the exercise: commands fail in
    one line (JournalUnreachable), the console says the journal is unreachable and carries on;
    once the server is back, both reconnect by themselves and every acknowledged event is there."""
    from exercise_engine.ui.participant.app import ParticipantApp
    from tests import pg_cluster

    base, folder = own_server
    url = f"{base}?exercise=gone"
    clock = VirtualClock()
    ex = Exercise.create(url, load_scenario(REPO / "scenarios/tutorial.toml"), clock)
    ex.open_briefing()
    ex.start()
    acknowledged = ex.set_speed(2)
    app = ParticipantApp(url, "hom", clock=clock, poll_interval=None)
    async with app.run_test(size=(100, 30)) as pilot:
        await app.sync()
        pg_cluster.halt(folder)
        with pytest.raises(JournalUnreachable) as lost:
            ex.set_speed(3)
        assert "unreachable" in str(lost.value) and "\n" not in str(lost.value)
        await app.sync()  # the console's poll: a notification, not a crash
        await pilot.pause()
        shown = [n.message for n in app._notifications]
        assert any("unreachable" in m for m in shown), shown
        assert app.return_code is None  # still running: it retries at its next poll
        pg_cluster.resume(folder)
        later = ex.set_speed(4)  # reconnects by itself
        await app.sync()
        await pilot.pause()
        assert app.link.exercise.state.last_seq == later[-1].seq
    ex.close()
    journal = open_journal(url, read_only=True)
    try:
        assert journal.verify() == []
        seqs = {e.seq: e.hash for e in journal.events()}
    finally:
        journal.close()
    for event in acknowledged + later:
        assert seqs[event.seq] == event.hash
    speeds = [e.payload.get("speed") for e in open_events(url) if e.kind == "speed_changed"]
    assert speeds == [2, 4]  # the refused one was never acknowledged, and is not there


def open_events(url: str) -> list[Event]:
    journal = open_journal(url, read_only=True)
    try:
        return list(journal.events())
    finally:
        journal.close()


def test_a_journal_error_is_a_journal_error() -> None:
    assert issubclass(JournalUnreachable, JournalError)


def test_a_headless_run_waits_out_a_server_that_went_away(
    own_server: tuple[str, Path], tmp_path: Path
) -> None:
    """``run --headless`` on a URL: the server stops, the run says the journal is unreachable
    and keeps trying; the server is back, the run carries on, and a decision taken then counts."""
    from tests import pg_cluster
    from tests.test_journal import FACILITATOR_SCENARIO, Lines

    base, folder = own_server
    url = f"{base}?exercise=headless"
    scenario_path = tmp_path / "live.toml"
    scenario_path.write_text(FACILITATOR_SCENARIO)
    command = [sys.executable, "-m", "exercise_engine", "run", str(scenario_path), "--headless"]
    facilitator = subprocess.Popen(
        [*command, "--exercise", url],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        lines = Lines(facilitator)
        lines.wait_for("delivered  first")
        pg_cluster.halt(folder)
        lines.wait_for("journal unreachable, retrying")
        assert facilitator.poll() is None
        pg_cluster.resume(folder)
        lines.wait_for("journal reachable again")
        ack = run_cli(
            *("decide", url, "--role", "hom", "--inject", "first", "--decision", "d"),
            *("--option", "yes", "--rationale", "after the outage"),
        )
        assert ack.returncode == 0, ack.stdout + ack.stderr
    finally:
        facilitator.kill()
        facilitator.wait()
    after = Exercise.open(url, VirtualClock(), read_only=True)
    try:
        assert after.state.points[("first", "d")].rationale == "after the outage"
        assert after.journal.verify() == []
    finally:
        after.close()


async def test_a_console_stops_when_its_exercise_is_removed(pg_server: str) -> None:
    """``play --overwrite`` (or any removal) under an open console: it stops (exit 2) rather
    than follow, or write into, another exercise of the same name."""
    from exercise_engine.journal.postgres import PgJournal
    from exercise_engine.journal.url import parse_url
    from exercise_engine.ui.participant.app import ParticipantApp

    url = pg_exercise(pg_server, "removed")
    clock = VirtualClock()
    ex = Exercise.create(url, load_scenario(REPO / "scenarios/tutorial.toml"), clock)
    ex.open_briefing()
    ex.close()
    app = ParticipantApp(url, "hom", clock=clock, poll_interval=None)
    async with app.run_test(size=(100, 30)) as pilot:
        await app.sync()
        PgJournal.remove(parse_url(url))
        with pytest.raises(JournalReplaced):  # the notification of the removal
            app.link.exercise.journal.wait_for_change(30)  # (30 s: a guard, not a timing)
        await app.sync()
        await pilot.pause()
    assert app.return_code == 2


def test_serve_hands_each_seat_the_url_as_typed() -> None:
    """The seats' consoles run ``join URL`` (the password too, if the URL held one); what is
    printed elsewhere never shows it."""
    from exercise_engine.journal.opener import locate
    from exercise_engine.ui.serve import plan

    url = "postgresql://centre:secret@db.example:5433/exercises?exercise=syndicate-a"
    where = locate(url)
    _index, seats = plan(
        where,
        {"hom": "Head of Mission"},
        {"hom": "B"},
        host="127.0.0.1",
        port=8000,
        public_url=None,
    )
    assert f"join '{url}' --role hom" in seats[0].command
    assert str(where) == "postgresql://centre@db.example:5433/exercises?exercise=syndicate-a"
    assert (where.stem, where.name) == ("syndicate-a", "syndicate-a")


def test_every_exercise_of_a_database_can_be_listed(pg_server: str) -> None:
    """What a command reading many exercises (trends) starts from: each one's own URL."""
    from exercise_engine.journal.opener import exercises_at

    url = pg_exercise(pg_server, "listed")
    assert play(url).returncode == 0
    found = exercises_at(f"{pg_server}?exercise=ignored")
    assert url in found
    journal = open_journal(url, read_only=True)
    assert journal.verify() == []
    journal.close()
