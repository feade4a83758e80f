"""Presence and outages, on the engine: who is connected, the facilitator's heartbeat, the clock
that stops while the facilitator is offline, recovery after a crash, late deliveries.

Every "crash" here is a handle that stops ticking, and every "later" a VirtualClock moved on:
nothing sleeps, nothing depends on the machine's speed.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from exercise_engine.clock import VirtualClock
from exercise_engine.engine.presence import (
    HEARTBEAT_EVERY,
    OFFLINE_AFTER,
    Presence,
    parse_heartbeats,
    seat_presence,
)
from exercise_engine.exercise import Exercise
from exercise_engine.journal import Journal
from exercise_engine.loading import load_scenario
from tests.conftest import run_cli

SCENARIO = """
id = "outage"
title = "Outage drill"
roles = ["hom", "force_commander"]
start_phase = "one"
[clock]
start = "2014-10-07T05:00"
speed = 60
[variables.risk]
label = "Risk"
initial = 50
[[phases]]
id = "one"
title = "One"
[[end]]
when = "elapsed >= '01:00'"

[[inject]]
id = "open"
title = "Opening update"
at = "00:01"
channel = "meeting"
sender = "Chief of Staff"
to = "all"
body = "Everyone reads this."

[[inject]]
id = "later"
title = "Falls due in the outage"
at = "00:03"
channel = "phone"
sender = "JOC"
to = ["hom"]
body = "Due at 00:03."

[[inject]]
id = "after"
title = "After the outage"
at = "00:30"
channel = "phone"
sender = "JOC"
to = ["hom"]
body = "Due at 00:30."
"""

START = 1_700_000_000.0


def _exercise(tmp_path: Path) -> tuple[Path, VirtualClock, Exercise]:
    path = tmp_path / "outage.toml"
    path.write_text(SCENARIO, encoding="utf-8")
    clock = VirtualClock(START)
    db = tmp_path / "outage.db"
    facilitator = Exercise.create(db, load_scenario(path), clock)
    facilitator.open_briefing()
    return db, clock, facilitator


def test_a_heartbeat_is_not_an_event_and_beats_at_most_every_two_seconds(tmp_path: Path) -> None:
    db, clock, fac = _exercise(tmp_path)
    events = fac.state.event_count
    assert fac.heartbeat("facilitator") is True
    assert fac.heartbeat("facilitator") is False  # too soon: nothing written
    clock.advance(HEARTBEAT_EVERY)
    assert fac.heartbeat("facilitator") is True
    fac.refresh()
    assert fac.state.event_count == events  # the chain did not grow
    beat = fac.presence().heartbeats["facilitator"]
    assert beat.wall == clock.now()
    assert run_cli("verify", str(db)).returncode == 0
    # the course's contract: the room hears of an outage within 10 s of the last beat (consoles
    # poll four times a second)
    assert OFFLINE_AFTER + 0.25 < 10


def test_seat_presence_connected_last_seen_and_never_joined(tmp_path: Path) -> None:
    db, clock, fac = _exercise(tmp_path)
    hom = Exercise.open(db, clock)
    hom.join("hom", "c1")
    fac.refresh()
    presence = fac.presence()
    # cases: a seat with a console and a fresh heartbeat; a seat nobody opened
    assert seat_presence("hom", fac.state, presence, clock.now()).state == "connected"
    assert seat_presence("force_commander", fac.state, presence, clock.now()).state == "never"
    # killed without leaving: the heartbeat goes stale and the seat turns to "last seen"
    joined_at = clock.now()
    clock.advance(OFFLINE_AFTER + 1)
    found = seat_presence("hom", fac.state, fac.presence(), clock.now())
    assert (found.state, found.last_seen) == ("away", joined_at)
    # it comes back, then leaves cleanly: "last seen" at the leave
    hom.join("hom", "c2")
    clock.advance(1)
    hom.leave("hom", "c2")
    fac.refresh()
    found = seat_presence("hom", fac.state, fac.presence(), clock.now())
    assert (found.state, found.last_seen) == ("away", clock.now())
    kinds = [e.kind for e in fac.journal.events()]
    assert kinds.count("seat_joined") == 2 and kinds.count("seat_left") == 1


def test_read_receipts_are_journalled_once_and_only_for_the_seats_audience(
    tmp_path: Path,
) -> None:
    db, clock, fac = _exercise(tmp_path)
    fac.start()
    clock.advance(4)  # 00:04 at x60: past 00:03
    fac.tick()
    hom = Exercise.open(db, clock)
    fc = Exercise.open(db, clock)
    assert [e.kind for e in hom.mark_opened("hom", "later")] == ["inject_opened"]
    assert hom.mark_opened("hom", "later") == []  # the first opening counts, once
    assert fc.mark_opened("force_commander", "later") == []  # not sent to the FC
    assert fc.mark_opened("force_commander", "nonsense") == []
    fac.refresh()
    assert fac.state.opened == {"later": {"hom": 240}}


def test_the_clock_stops_for_the_seats_while_the_facilitator_is_offline(tmp_path: Path) -> None:
    db, clock, fac = _exercise(tmp_path)
    fac.start()
    clock.advance(1)  # 00:01 at x60
    fac.tick()
    fac.heartbeat("facilitator")
    stood = fac.journal.checkpoint()
    assert stood == 60
    fac.close()  # the facilitator's process is gone: nothing ticks or beats any more
    seat = Exercise.open(db, clock)
    clock.advance(OFFLINE_AFTER - 1)  # not yet offline: the seat's clock runs on
    assert seat.presence().facilitator_offline_since("running", clock.now()) is None
    assert seat.now() == 60 + (OFFLINE_AFTER - 1) * 60
    clock.advance(2)
    assert seat.presence().facilitator_offline_since("running", clock.now()) == START + 1
    assert seat.now() == 60  # stopped where it stood
    # a message opened during the outage is stamped where the clock stood, not later
    opened = seat.mark_opened("hom", "open")
    assert [e.exercise_time for e in opened] == [60]


def test_recovery_resumes_paused_where_the_clock_stood_and_delivers_late(tmp_path: Path) -> None:
    db, clock, fac = _exercise(tmp_path)
    fac.join("facilitator", "run-1", clock=True)
    fac.start()
    clock.advance(1)
    fac.tick()  # 00:01: the opening update; the checkpoint stands at 60
    fac.close()  # kill -9: no leave, no pause
    # Four seconds later (not yet noticed as offline) the HoM opens the update: stamped at
    # 00:05 by the HoM's own clock, after "later" (00:03) fell due with nobody to deliver it.
    clock.advance(4)
    hom = Exercise.open(db, clock)
    assert [e.exercise_time for e in hom.mark_opened("hom", "open")] == [300]
    # Much later the facilitator restarts: paused at the last moment the clock stood (the
    # seat's event at 00:05, after the checkpoint), not where the wall clock went since.
    clock.advance(3600)
    again = Exercise.open(db, clock)
    assert again.state.now(clock.now()) > 3600  # what the wall clock alone would say
    recovered = again.recover()
    assert [e.kind for e in recovered] == ["recovered", "paused"]
    assert [e.exercise_time for e in recovered] == [300, 300]
    assert recovered[0].payload == {
        "offline_since": START + 1,
        "stood_at": 300,
        "consoles": ["run-1"],
    }
    assert again.state.seats["facilitator"].consoles == frozenset()  # the lost console closed
    # On resume what fell due meanwhile arrives at once, marked late; what is due later is not.
    resumed = again.resume()
    late = [e for e in resumed if e.kind == "inject_delivered"]
    assert [(e.payload["inject"], e.payload.get("late")) for e in late] == [("later", True)]
    assert again.state.deliveries["later"].late is True
    clock.advance(30)  # 00:35
    again.tick()
    assert again.state.deliveries["after"].late is False
    assert run_cli("verify", str(db)).returncode == 0
    # the report's timeline shows the recovery and the late delivery
    again.close()
    report = run_cli("report", str(db), "--format", "json")
    assert report.returncode == 0, report.stderr
    timeline = [row["text"] for row in json.loads(report.stdout)["timeline"]]
    assert any(t.startswith("later ") and "late: fell due while" in t for t in timeline), timeline
    assert any("recovered after an interruption" in t for t in timeline)
    assert not any(t.startswith("after ") and "late" in t for t in timeline)


@pytest.mark.parametrize(
    ("quit_cleanly", "expected"),
    [
        (True, []),  # a clean quit pauses and says goodbye: nothing to recover
        (False, ["recovered"]),  # killed while paused: the seats are told, the clock stays
    ],
)
def test_a_paused_exercise_is_recovered_only_after_a_crash(
    tmp_path: Path, quit_cleanly: bool, expected: list[str]
) -> None:
    db, clock, fac = _exercise(tmp_path)
    fac.join("facilitator", "run-1", clock=True)
    fac.start()
    fac.pause()
    if quit_cleanly:
        fac.leave("facilitator", "run-1")
    fac.close()
    again = Exercise.open(db, clock)
    assert [e.kind for e in again.recover()] == expected
    assert again.state.status == "paused"


def test_nothing_is_journalled_on_a_closed_exercise(tmp_path: Path) -> None:
    db, clock, fac = _exercise(tmp_path)
    fac.start()
    clock.advance(2)
    fac.tick()
    fac.end_scenario()
    fac.close_hot_wash()
    seat = Exercise.open(db, clock)
    count = seat.state.event_count
    assert seat.join("hom", "c1") == []
    assert seat.mark_opened("hom", "open") == []
    assert seat.leave("hom", "c1") == []
    assert seat.heartbeat("hom") is False
    assert seat.state.event_count == count
    assert run_cli("verify", str(db)).returncode == 0


@pytest.mark.parametrize(
    ("rows", "seats"),
    [
        ({"presence:hom": '{"wall": 5, "exercise_time": 3}'}, {"hom": (5.0, 3)}),
        ({"presence:hom": "not json"}, {}),  # a damaged row is a hint lost, never a crash
        ({"presence:hom": '{"wall": "x", "exercise_time": 3}'}, {}),
        ({"other": '{"wall": 5, "exercise_time": 3}'}, {}),  # not a heartbeat row
    ],
)
def test_heartbeat_rows_are_read_leniently(
    rows: dict[str, str], seats: dict[str, tuple[float, int]]
) -> None:
    beats = parse_heartbeats(rows)
    assert {s: (b.wall, b.exercise_time) for s, b in beats.items()} == seats


def test_an_old_journal_read_only_has_no_presence(tmp_path: Path) -> None:
    db, _clock, fac = _exercise(tmp_path)
    fac.close()
    journal = Journal.open(db, read_only=True)
    assert journal.local_rows("presence:") == {}
    assert Presence().facilitator_offline_since("running", START) is None
    journal.close()


@pytest.mark.parametrize(
    ("beat_age", "offline"),
    [
        # online: the beat is dated a minute ahead, so however slowly the command starts on a
        # loaded machine it is never stale by then (no timing window in the test)
        (-60.0, False),
        (OFFLINE_AFTER + 3, True),  # past OFFLINE_AFTER: the status line says so
    ],
)
def test_status_says_the_facilitator_is_offline(
    tmp_path: Path, beat_age: float, offline: bool
) -> None:
    import time

    from exercise_engine.ui.views.presence import wall_text

    db, clock, fac = _exercise(tmp_path)
    fac.join("facilitator", "run-1", clock=True)
    fac.start()
    clock.advance(2)  # 00:02 at x60
    fac.tick()
    fac.close()
    # the facilitator's last beat and tick, ``beat_age`` seconds before the command runs
    last = time.time() - beat_age
    journal = Journal.open(db)
    with journal.transaction():
        journal.save_checkpoint(120, last)
    journal.set_local("presence:facilitator", f'{{"wall": {last}, "exercise_time": 120}}')
    journal.close()
    result = run_cli("status", str(db))
    assert result.returncode == 0, result.stderr
    line = f"facilitator offline since {wall_text(last)} (room time): the clock stands at 00:02"
    assert (line in result.stdout) is offline, result.stdout
    assert "status running" in result.stdout
    assert "seats: facilitator " in result.stdout and "hom never joined" in result.stdout


def test_a_fork_does_not_inherit_the_originals_consoles(tmp_path: Path) -> None:
    """Forked while the facilitator's console was open: running the fork is not a recovery."""
    db, clock, fac = _exercise(tmp_path)
    fac.join("facilitator", "run-1", clock=True)
    fac.start()
    fac.pause()
    seq = fac.state.last_seq
    fac.close()
    out = tmp_path / "fork.db"
    assert run_cli("fork", str(db), "--at", str(seq), "--out", str(out)).returncode == 0
    fork = Exercise.open(out, clock)
    assert fork.recover() == []
    assert fork.state.status == "paused"
