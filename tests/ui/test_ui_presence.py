"""Presence on the consoles: the facilitator's Seats tab (connected, last seen, never joined; read
receipts; "not played"), and a seat living through an outage of the facilitator (the offline
banner with the clock stopped, the recovery notice, a late message).

All on one VirtualClock, at 80x24 and at 120x40: nothing sleeps.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import DataTable

from exercise_engine.clock import VirtualClock
from exercise_engine.engine.presence import OFFLINE_AFTER
from exercise_engine.exercise import Exercise
from exercise_engine.journal import Journal
from exercise_engine.loading import load_scenario
from exercise_engine.ui.confirm import ConfirmScreen
from exercise_engine.ui.facilitator.app import FacilitatorApp
from exercise_engine.ui.facilitator.seats import SeatsPane
from exercise_engine.ui.participant.app import ParticipantApp
from exercise_engine.ui.participant.console import ParticipantScreen
from exercise_engine.ui.participant.inbox import Inbox
from exercise_engine.ui.views.presence import wall_text
from tests.test_presence import SCENARIO as OUTAGE
from tests.ui.helpers import START, new_exercise, run_in, screen_text, settle

SIZES = [(80, 24), (120, 40)]
MIN = 60


def _kinds(db: Path) -> list[str]:
    journal = Journal.open(db, read_only=True)
    try:
        return [e.kind for e in journal.events()]
    finally:
        journal.close()


@pytest.mark.parametrize("size", SIZES)
async def test_the_seats_tab_shows_presence_read_receipts_and_not_played(
    tmp_path: Path, size: tuple[int, int]
) -> None:
    db, clock = new_exercise(tmp_path)
    ex = Exercise.open(db, clock)
    ex.open_briefing()
    ex.start()
    clock.advance(3 * MIN)  # the opening update (all), the crowd (FC, PC), the radio (HoM)
    ex.tick()
    ex.close()
    # The Force Commander's console opens and closes again: "last seen" at its leave.
    fc = ParticipantApp(db, "force_commander", clock=clock, poll_interval=None)
    async with fc.run_test(size=size) as p:
        await settle(p)
    fc_left = clock.now()
    clock.advance(MIN)
    fac = FacilitatorApp(db, clock=clock, poll_interval=None)
    hom = ParticipantApp(db, "hom", clock=clock, poll_interval=None)
    async with fac.run_test(size=size) as f, hom.run_test(size=size) as h:
        await settle(h, f)
        # The HoM opens the opening update: a read receipt reaches the facilitator.
        inbox = hom.screen.query_one(Inbox)
        await run_in(h, lambda: inbox.show("open"))
        await settle(h, f)
        await f.press("6")
        await settle(f)
        pane = fac.screen.query_one(SeatsPane)
        presence = {row.seat: row.presence for row in pane.rows}
        assert presence == {
            "facilitator": "connected",
            "hom": "connected",
            "force_commander": f"last seen {wall_text(fc_left)}",
            "police_commissioner": "never joined",
        }
        read = {row.seat: row.opened for row in pane.rows}
        # (the facilitator's console ticked the clock to 00:04: the police's call to the PC too)
        assert read == {
            "facilitator": "",
            "hom": "1/2",
            "force_commander": "0/2",
            "police_commissioner": "0/3",
        }
        receipts = {r.key: (r.opened, r.waiting) for r in pane.receipts}
        assert receipts["open"] == ("HoM", "FC, PC")
        assert receipts["radio"] == ("—", "HoM")
        text = screen_text(fac)
        for words in (
            "connected",
            f"last seen {wall_text(fc_left)}",
            "never joined",
            "Read receipts",
        ):
            assert words in text, words
        # The HoM's console goes quiet (killed: no leave): after OFFLINE_AFTER it is "last seen".
        clock.advance(OFFLINE_AFTER + 1)
        await settle(f)
        assert {row.seat: row.presence for row in pane.rows}["hom"].startswith("last seen")
        # Mark the Police Commissioner not played, from the console, with a confirmation.
        table = pane.query_one("#seats-table", DataTable)
        await run_in(f, table.focus)
        await run_in(f, lambda: table.move_cursor(row=3))
        await f.press("x")
        assert isinstance(fac.screen, ConfirmScreen)
        await f.press("y")
        await settle(f)
        assert {row.seat: row.played for row in pane.rows}["police_commissioner"] == "NOT PLAYED"
        assert "NOT PLAYED" in screen_text(fac)
        # the facilitator's own seat cannot be marked
        await run_in(f, lambda: table.move_cursor(row=0))
        await f.press("x")
        assert not isinstance(fac.screen, ConfirmScreen)
    journal = Journal.open(db, read_only=True)
    seat_set = [e.payload for e in journal.events() if e.kind == "seat_set"]
    journal.close()
    # the same journal entry as `exercise-engine seat DB --role police_commissioner --not-played`
    assert seat_set == [{"role": "police_commissioner", "participant": None, "played": False}]


@pytest.mark.parametrize("size", SIZES)
async def test_a_seat_sees_the_outage_the_recovery_and_a_late_message(
    tmp_path: Path, size: tuple[int, int]
) -> None:
    path = tmp_path / "outage.toml"
    path.write_text(OUTAGE, encoding="utf-8")
    clock = VirtualClock(START)
    db = tmp_path / "outage.db"
    fac = Exercise.create(db, load_scenario(path), clock)
    fac.join("facilitator", "run-1", clock=True)
    fac.open_briefing()
    fac.start()
    clock.advance(1)  # 00:01 at x60: the opening update
    fac.tick()
    fac.heartbeat("facilitator")
    fac.close()  # kill -9 of the facilitator: no tick, no heartbeat, no goodbye
    hom = ParticipantApp(db, "hom", clock=clock, poll_interval=None)
    async with hom.run_test(size=size) as h:
        await settle(h)
        screen = hom.screen
        assert isinstance(screen, ParticipantScreen)
        assert "offline" not in screen_text(hom)
        # Four seconds on, not yet offline: the HoM reads the update (stamped 00:05).
        clock.advance(4)
        await run_in(h, lambda: screen.query_one(Inbox).show("open"))
        await settle(h)
        # Past OFFLINE_AFTER since the last beat: the banner says so and the clock stands still.
        clock.advance(OFFLINE_AFTER)
        await settle(h)
        text = screen_text(hom)
        assert f"Facilitator offline since {wall_text(START + 1)}" in text
        assert hom.exercise_time == 300
        clock.advance(10 * MIN)
        await settle(h)
        assert hom.exercise_time == 300  # still stopped: seats do not count on alone
        # The facilitator restarts: recovery, told to the seat; paused where the clock stood.
        again = Exercise.open(db, clock)
        again.recover()
        again.heartbeat("facilitator")
        await settle(h)
        messages = [n.message for n in hom._notifications]
        assert any("Recovered after an interruption" in m for m in messages), messages
        assert any("recovered after an interruption" in line for line in screen.shared_log)
        assert "offline" not in screen_text(hom)
        assert "The clock is paused." in screen_text(hom)
        # Resume: "later" (due 00:03, in the outage) arrives at once, marked late.
        again.resume()
        await settle(h)
        inbox = screen.query_one(Inbox)
        assert inbox.items["later"].late
        await run_in(h, lambda: inbox.show("later"))
        assert "(late)" in screen_text(hom)
        assert "fell due while exercise control was offline" in screen_text(hom)
        again.close()
    kinds = _kinds(db)
    assert kinds.count("recovered") == 1 and kinds.count("inject_opened") == 2
    assert kinds[-1] == "seat_left"


# --- bad input: journals that go away, exercises that are over ---------------------------------


@pytest.mark.parametrize("how", ["deleted", "moved away"])
async def test_a_seat_that_loses_its_journal_stops_with_one_line(tmp_path: Path, how: str) -> None:
    """The journal (with its -wal/-shm) deleted or moved under an open seat: the console stops
    with exit status 2 and says why, writes nothing anywhere (not even its goodbye), and no
    traceback escapes."""
    db, clock = new_exercise(tmp_path)
    ex = Exercise.open(db, clock)
    ex.open_briefing()
    ex.close()
    hom = ParticipantApp(db, "hom", clock=clock, poll_interval=None)
    elsewhere = tmp_path / "moved"
    elsewhere.mkdir()
    async with hom.run_test(size=(80, 24)) as h:
        await settle(h)
        for suffix in ("", "-wal", "-shm"):
            file = Path(f"{db}{suffix}")
            if how == "deleted":
                file.unlink()
            else:
                file.rename(elsewhere / file.name)
        clock.advance(5)  # a heartbeat is due: it must not be written into the lost file
        await settle(h)
    assert hom.return_code == 2
    if how == "moved away":
        # what was journalled is intact where it went; the lost console added nothing
        kinds = _kinds(elsewhere / db.name)
        assert kinds == ["exercise_created", "briefing_opened", "seat_joined"]


async def test_a_console_opened_on_a_closed_exercise_only_shows(tmp_path: Path) -> None:
    """After the hot wash was closed, a seat's console says so on screen and journals nothing
    (after ``ended`` only evaluators write: ``verify`` would flag anything else)."""
    db, clock = new_exercise(tmp_path)
    ex = Exercise.open(db, clock)
    ex.open_briefing()
    ex.start()
    clock.advance(MIN)
    ex.tick()
    ex.end_scenario()
    ex.close_hot_wash()
    ex.close()
    before = _kinds(db)
    hom = ParticipantApp(db, "hom", clock=clock, poll_interval=None)
    fac = FacilitatorApp(db, clock=clock, poll_interval=None)
    async with hom.run_test(size=(80, 24)) as h, fac.run_test(size=(80, 24)) as f:
        await settle(h, f)
        inbox = hom.screen.query_one(Inbox)
        await run_in(h, lambda: inbox.show("open"))
        clock.advance(5)
        await settle(h, f)
        assert "The exercise is closed. Thank you." in screen_text(hom)
    assert hom.return_code in (None, 0) and fac.return_code in (None, 0)
    assert _kinds(db) == before
    journal = Journal.open(db, read_only=True)
    assert journal.verify() == []
    assert journal.local_rows("presence:") == {}
    journal.close()
