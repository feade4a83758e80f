"""One journal suite, two backends: every test here runs on an SQLite file and on an exercise in a
PostgreSQL database (a throwaway cluster, see tests/pg_cluster.py), through the same opener the
commands use. The PostgreSQL runs skip with the reason where no server can be started, and fail
in CI, which starts one (``requires("postgresql")``)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from pathlib import Path

import pytest

from exercise_engine.clock import SystemClock, VirtualClock
from exercise_engine.exercise import Exercise
from exercise_engine.journal.opener import lock_exercise, open_journal
from exercise_engine.loading import load_scenario
from tests.conftest import REPO, run_cli
from tests.test_journal import (
    FACILITATOR_SCENARIO,
    ROLES,
    WORKER,
    Lines,
    _concurrency_scenario,
)

NewDb = Callable[[str], str]
"""Makes a fresh ``DB`` (a path, or a URL naming a new exercise) for a name."""

BACKENDS = [
    pytest.param("sqlite", id="sqlite"),
    pytest.param("postgresql", id="postgresql", marks=pytest.mark.requires("postgresql")),
]


def pg_exercise(base: str, name: str) -> str:
    """A URL naming a fresh exercise (unique per test: all share the one test database)."""
    sep = "&" if "?" in base else "?"
    return f"{base}{sep}exercise={name}-{uuid.uuid4().hex[:10]}"


@pytest.fixture(params=BACKENDS)
def new_db(request: pytest.FixtureRequest, tmp_path: Path) -> NewDb:
    if request.param == "sqlite":
        return lambda name: str(tmp_path / f"{name}.db")
    base: str = request.getfixturevalue("pg_server")
    return lambda name: pg_exercise(base, name)


def play(db: str) -> subprocess.CompletedProcess[str]:
    return run_cli(
        "play",
        "tutorial",
        "--decisions",
        "scenarios/playthroughs/tutorial/robust.toml",
        "--exercise",
        db,
    )


def test_play_report_verify_and_status_end_to_end(new_db: NewDb, tmp_path: Path) -> None:
    db = new_db("robust")
    played = play(db)
    assert played.returncode == 0, played.stdout + played.stderr
    assert "expect: ok" in played.stdout
    verified = run_cli("verify", db)
    assert verified.returncode == 0, verified.stdout + verified.stderr
    assert "hash chain intact" in verified.stdout
    head = verified.stdout.split("head: ")[1].strip()
    status = run_cli("status", db)
    assert status.returncode == 0 and "status ended" in status.stdout, status.stderr
    assert f"journal head: {head}" in status.stdout
    report = run_cli("report", db, "--format", "html")
    assert report.returncode == 0, report.stderr
    seq, digest = head.split(":")
    assert f"Journal head: event {seq}, {digest}" in report.stdout
    out = tmp_path / "reports"
    written = run_cli("report", db, "--format", "html", "--out", str(out))
    assert written.returncode == 0, written.stderr
    assert [p.suffix for p in out.iterdir()] == [".html"]
    again = play(db)  # a second play into the same exercise is refused, naming it
    assert again.returncode == 2 and "already exists" in again.stderr
    assert "--overwrite" in again.stderr
    overwritten = run_cli(
        "play",
        "tutorial",
        "--decisions",
        "scenarios/playthroughs/tutorial/robust.toml",
        "--exercise",
        db,
        "--overwrite",
    )
    assert overwritten.returncode == 0, overwritten.stderr
    assert run_cli("verify", db).returncode == 0


def test_the_chain_is_the_same_on_both_backends(tmp_path: Path, new_db: NewDb) -> None:
    """Same drafts, same wall times: the same hashes, whichever backend stores them."""
    scenario = load_scenario(REPO / "scenarios/tutorial.toml")
    heads = []
    for db in (str(tmp_path / "reference.db"), new_db("same")):
        clock = VirtualClock(1_700_000_000.0)
        ex = Exercise.create(db, scenario, clock, syndicate="A")
        ex.open_briefing()
        ex.start()
        clock.advance(600)
        ex.tick()
        heads.append(ex.journal.tail())
        assert ex.journal.verify() == []
        ex.close()
    assert heads[0] == heads[1]


def test_fork_on_either_backend_verifies(new_db: NewDb) -> None:
    db = new_db("source")
    assert play(db).returncode == 0
    out = new_db("fork")
    forked = run_cli("fork", db, "--at", "10", "--out", out)
    assert forked.returncode == 0, forked.stderr
    assert run_cli("verify", out).returncode == 0
    again = Exercise.open(out, VirtualClock())
    assert again.state.status == "paused"
    again.close()


def test_eight_processes_append_at_once_and_nothing_is_lost(tmp_path: Path, new_db: NewDb) -> None:
    per_role = 40
    scenario = load_scenario(_concurrency_scenario(tmp_path, per_role))
    db = new_db("many")
    ex = Exercise.create(db, scenario, SystemClock())
    ex.open_briefing()
    ex.start()
    ex.close()
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", WORKER, db, role, ROLES[(i + 1) % len(ROLES)], str(per_role)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=REPO,
        )
        for i, role in enumerate(ROLES)
    ]
    results = [p.communicate(timeout=600) for p in procs]  # a hang guard, not a time budget
    for p, (out, err) in zip(procs, results, strict=True):
        assert p.returncode == 0, err
        assert out.split() == [str(per_role), str(per_role // 10)]
    journal = open_journal(db, read_only=True)
    assert journal.verify() == []
    events = journal.events()
    journal.close()
    assert [e.seq for e in events] == list(range(1, len(events) + 1))  # no gap, no duplicate
    kinds = [e.kind for e in events]
    assert kinds.count("decision_recorded") == per_role * len(ROLES)
    assert kinds.count("decision_refused") == (per_role // 10) * len(ROLES)


KILLED_WRITER = """
import sys
from exercise_engine.clock import SystemClock
from exercise_engine.exercise import Exercise
db, role = sys.argv[1], sys.argv[2]
ex = Exercise.open(db, SystemClock())
n = 0
while True:
    out = ex.decide(role=role, inject="all-decide", decision=f"{role}-{n}", option="go")
    assert out.accepted
    print(f"{role}-{n}", flush=True)  # acknowledged: it committed before this line
    n += 1
"""


def test_a_writer_killed_mid_run_loses_nothing_it_acknowledged(
    tmp_path: Path, new_db: NewDb
) -> None:
    """kill -9 two writers while they append: every decision they printed (acknowledged after
    its commit) is in the journal, nothing is there twice, and the chain verifies."""
    scenario = load_scenario(_concurrency_scenario(tmp_path, 1000))
    db = new_db("killed")
    ex = Exercise.create(db, scenario, SystemClock())
    ex.open_briefing()
    ex.start()
    ex.close()
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", KILLED_WRITER, db, role],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
            cwd=REPO,
        )
        for role in ROLES[:2]
    ]
    acknowledged: list[str] = []
    for writer, role in zip(writers, ROLES[:2], strict=True):
        lines = Lines(writer)
        lines.wait_for(f"{role}-20")  # well into its run
        os.kill(writer.pid, signal.SIGKILL)
        writer.wait()
        while True:  # whatever it printed before it died was acknowledged too
            line = lines.queue.get(timeout=60)
            if not line:
                break
            lines.seen.append(line)
        acknowledged += [line.strip() for line in lines.seen]
    journal = open_journal(db, read_only=True)
    assert journal.verify() == []
    recorded = [e.payload["decision"] for e in journal.events() if e.kind == "decision_recorded"]
    journal.close()
    assert len(recorded) == len(set(recorded))
    assert set(acknowledged) <= set(recorded)
    assert len(acknowledged) >= 42


def _checkpoint(db: str) -> int | None:
    journal = open_journal(db, read_only=True)
    try:
        return journal.checkpoint()
    finally:
        journal.close()


def test_kill_minus_nine_of_the_facilitator_loses_no_acknowledged_decision(
    tmp_path: Path, new_db: NewDb
) -> None:
    """``run --headless`` killed with -9: the decision acknowledged meanwhile survives, the owner
    lock is free again, and the clock comes back paused where the journal says it stood."""
    scenario_path = tmp_path / "live.toml"
    scenario_path.write_text(FACILITATOR_SCENARIO)
    db = new_db("live")
    cmd = [sys.executable, "-m", "exercise_engine", "run", str(scenario_path)]
    facilitator = subprocess.Popen(
        [*cmd, "--exercise", db, "--headless"],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        Lines(facilitator).wait_for("delivered  first")
        held = run_cli("run", str(scenario_path), "--exercise", db, "--headless")
        assert held.returncode == 2 and "is in use by `run` (pid" in held.stderr, held.stderr
        ack = run_cli(
            *("decide", db, "--role", "hom", "--inject", "first", "--decision", "d"),
            *("--option", "yes", "--rationale", "acknowledged"),
        )
        assert ack.returncode == 0, ack.stdout + ack.stderr
        journal = open_journal(db, read_only=True)
        decided_at = journal.events()[-1].exercise_time
        journal.close()
        while (_checkpoint(db) or -1) <= decided_at:  # the clock ran on past the decision
            assert facilitator.poll() is None, "the facilitator stopped by itself"
            time.sleep(0.05)
    finally:
        os.kill(facilitator.pid, signal.SIGKILL)
        facilitator.wait()
    lock_exercise(db, "test").release()  # the killed holder's lock died with it
    after = Exercise.open(db, VirtualClock(time.time() + 3600))
    point = after.state.points[("first", "d")]
    assert point.status == "decided" and point.rationale == "acknowledged"
    recovered = after.recover()
    # a recovery: every seat is told, then the clock waits, paused, for the facilitator
    assert [e.kind for e in recovered] == ["recovered", "paused"]
    assert after.journal.verify() == []
    after.close()


async def test_a_console_follows_an_exercise_on_either_backend(new_db: NewDb) -> None:
    """A participant console sees another process's decision at its next sync (PostgreSQL:
    the notification of that commit, not a query per poll)."""
    from exercise_engine.ui.participant.app import ParticipantApp

    db = new_db("room")
    clock = VirtualClock()
    scenario = load_scenario(REPO / "scenarios/tutorial.toml")
    ex = Exercise.create(db, scenario, clock)
    ex.open_briefing()
    ex.start()
    app = ParticipantApp(db, "hom", clock=clock, poll_interval=None)
    async with app.run_test(size=(100, 30)) as pilot:
        await app.sync()
        before = app.revision
        seen = app.link.exercise.state.last_seq
        ex.set_speed(2)  # another connection commits
        assert app.link.exercise.journal.wait_for_change(30)  # a guard, not a timing
        await app.sync()
        await pilot.pause()
        assert app.link.exercise.state.last_seq > seen
        assert app.revision > before
    ex.close()


def test_status_and_report_never_write(new_db: NewDb) -> None:
    """Read-only commands open read-only on both backends: the head does not move."""
    db = new_db("quiet")
    assert play(db).returncode == 0
    journal = open_journal(db, read_only=True)
    head = journal.tail()
    journal.close()
    for args in (("status", db), ("report", db), ("verify", db)):
        assert run_cli(*args).returncode == 0
    journal = open_journal(db, read_only=True)
    assert journal.tail() == head
    journal.close()


async def test_the_facilitator_console_runs_the_clock_on_either_backend(new_db: NewDb) -> None:
    """The facilitator's keys write to the journal and a second console follows them."""
    from exercise_engine.ui.facilitator.app import FacilitatorApp
    from exercise_engine.ui.participant.app import ParticipantApp
    from tests.ui.helpers import START, mini_loaded

    db = new_db("console")
    clock = VirtualClock(START)
    Exercise.create(db, mini_loaded(), clock).close()
    app = FacilitatorApp(db, clock=clock, poll_interval=None)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("s")  # start
        await pilot.pause()
        clock.advance(30)
        await pilot.press("space")  # pause
        await pilot.pause()
        assert app.link.view.status == "paused"
        await pilot.press("space", "plus")  # resume, x1 -> x2
        await pilot.pause()
        assert (app.link.view.status, app.link.view.speed) == ("running", 2.0)
    other = ParticipantApp(db, "hom", clock=clock, poll_interval=None)
    async with other.run_test(size=(100, 30)):
        await other.sync()
        assert other.link.view.speed == 2.0
    journal = open_journal(db, read_only=True)
    assert journal.verify() == []
    journal.close()


def test_compare_two_syndicates_on_either_backend(new_db: NewDb) -> None:
    first, second = new_db("syndicate-a"), new_db("syndicate-b")
    for db in (first, second):
        assert play(db).returncode == 0
    compared = run_cli("compare", first, second)
    assert compared.returncode == 0, compared.stderr
    assert compared.stdout.startswith("#")
