"""SVG snapshots of the main screens at 80x24 and 120x40.

Deterministic by construction: a fixed virtual clock, a fixed join secret (so the codes are the
same), no poll timer (the test moves the state), animations off; Textual's headless test driver
does not blink cursors. The states are made through the engine API, then the screens are
reached with keys, as a person would.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from exercise_engine.clock import VirtualClock
from exercise_engine.exercise import Exercise
from exercise_engine.runtime import advance_clock_to
from exercise_engine.ui.base import ConsoleApp
from exercise_engine.ui.facilitator.app import FacilitatorApp
from exercise_engine.ui.participant.app import ParticipantApp
from tests.ui.conftest import Snapshot
from tests.ui.helpers import new_exercise, type_text

SIZES = [(80, 24), (120, 40)]
MIN = 60


def prepared(tmp_path: Path, minutes: int | None) -> tuple[Path, VirtualClock]:
    """The mini exercise with a fixed join secret, played ``minutes`` in (None: not started)."""
    db, clock = new_exercise(tmp_path)
    ex = Exercise.open(db, clock)
    ex.journal.meta_setdefault("join_secret", "snapshot-secret")
    if minutes is not None:
        ex.open_briefing()
        ex.start()
        advance_clock_to(ex, clock, 3 * MIN)
        ex.advise(
            role="police_commissioner",
            inject="crowd",
            decision="posture",
            text="The crowd is calm",
            recommend="wait",
        )
        ex.note("The FC asked about rules of engagement")
        advance_clock_to(ex, clock, minutes * MIN)
    ex.close()
    return db, clock


def still(app: ConsoleApp) -> ConsoleApp:
    app.animation_level = "none"
    return app


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
async def test_facilitator_screens(
    tmp_path: Path, size: tuple[int, int], snapshot: Snapshot, monkeypatch: pytest.MonkeyPatch
) -> None:
    db, clock = prepared(tmp_path, None)
    monkeypatch.chdir(
        tmp_path
    )  # the join commands show the journal's path as the facilitator typed it
    app = still(FacilitatorApp(Path(db.name), clock=clock, poll_interval=None))
    async with app.run_test(size=size) as pilot:
        snapshot(app, "facilitator-briefing")
        await pilot.press("s")
        clock.advance(4 * MIN + 30)
        app.call_later(app.sync)
        await pilot.pause()
        snapshot(app, "facilitator-msel")
        await pilot.press("2")
        snapshot(app, "facilitator-board")
        await pilot.press("h")
        await pilot.pause()
        snapshot(app, "facilitator-hot-seat")
        await pilot.press("escape", "f1")
        await pilot.pause()
        snapshot(app, "facilitator-help")


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
async def test_hot_wash(tmp_path: Path, size: tuple[int, int], snapshot: Snapshot) -> None:
    db, clock = prepared(tmp_path, 10)
    app = still(FacilitatorApp(db, clock=clock, poll_interval=None))
    async with app.run_test(size=size) as pilot:
        await pilot.press("e", "y")
        await pilot.pause()
        await type_text(pilot, "Clear orders to the company")
        await pilot.press("enter", "tab")
        await type_text(pilot, "Advice came late")
        await pilot.press("enter")
        await pilot.pause()
        snapshot(app, "facilitator-hot-wash")


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
async def test_participant_screens(
    tmp_path: Path, size: tuple[int, int], snapshot: Snapshot
) -> None:
    db, clock = prepared(tmp_path, 5)
    app = still(ParticipantApp(db, "force_commander", clock=clock, poll_interval=None))
    async with app.run_test(size=size) as pilot:
        await pilot.press("down")
        await pilot.pause()
        snapshot(app, "participant-inbox")
        await pilot.press("2", "enter", "down", "enter", "tab")
        await type_text(pilot, "Keep the two crowds apart")
        snapshot(app, "participant-decision")


async def test_projector_theme(tmp_path: Path, snapshot: Snapshot) -> None:
    db, clock = prepared(tmp_path, 5)
    app = still(FacilitatorApp(db, clock=clock, poll_interval=None))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f2")
        await pilot.pause()
        snapshot(app, "facilitator-projector")


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
async def test_seats_and_outage_screens(
    tmp_path: Path, size: tuple[int, int], snapshot: Snapshot, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The Seats tab (connected, last seen, never joined, read receipts, not played) and a seat's
    banner while the facilitator is offline. Room times are shown in UTC here (TZ is set), so the
    snapshots do not depend on the machine's time zone."""
    import time

    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    monkeypatch.chdir(tmp_path)
    try:
        db, clock = prepared(tmp_path, 4)
        ex = Exercise.open(db, clock)
        ex.join("force_commander", "fc-1")
        ex.mark_opened("force_commander", "crowd")
        ex.leave("force_commander", "fc-1")
        clock.advance(MIN)
        ex.join("hom", "hom-1")
        ex.mark_opened("hom", "open")
        ex.set_seat(role="police_commissioner", played=False)
        ex.close()
        app = still(FacilitatorApp(Path(db.name), clock=clock, poll_interval=None))
        async with app.run_test(size=size) as pilot:
            await pilot.press("space")  # paused: the screen stays still
            await pilot.press("6")
            app.call_later(app.sync)
            await pilot.pause()
            snapshot(app, "facilitator-seats")
        # the facilitator is gone; ten seconds later the HoM's console says so
        clock.advance(10)
        seat = still(ParticipantApp(Path(db.name), "hom", clock=clock, poll_interval=None))
        ex = Exercise.open(db, clock)
        ex.resume()  # as if the facilitator's console had died with the clock running
        ex.close()
        clock.advance(10)
        async with seat.run_test(size=size) as pilot:
            seat.call_later(seat.sync)
            await pilot.pause()
            await pilot.pause()
            snapshot(seat, "participant-facilitator-offline")
    finally:
        monkeypatch.delenv("TZ")
        time.tzset()
