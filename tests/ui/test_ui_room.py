"""The room's projector view: what the wall shows, what it never shows, and its alerts.

The story: the facilitator starts the mini exercise; the room view on the same journal shows the
scenario clock in big digits, the phase and the board of who owes what; the public opening update
appears with its text, the Force Commander's private inject never does; a decision asked rings the
bell once and lights the alert line; ``b`` silences it; a decision falling due rings again. All on
one VirtualClock at 80x24 and at a projector's 160x45.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Digits

from exercise_engine.ui.facilitator.app import FacilitatorApp
from exercise_engine.ui.room.app import FLASH_MARK, RoomApp
from exercise_engine.ui.room.screen import RoomScreen
from tests.ui.helpers import new_exercise, screen_text, settle

MIN = 60


@pytest.mark.parametrize("size", [(80, 24), (120, 40), (160, 45)])
async def test_the_room_sees_the_clock_the_board_and_public_injects_only(
    tmp_path: Path, size: tuple[int, int]
) -> None:
    db, clock = new_exercise(tmp_path)
    fac = FacilitatorApp(db, clock=clock, poll_interval=None)
    room = RoomApp(db, clock=clock, poll_interval=None)
    async with fac.run_test(size=(120, 40)) as f, room.run_test(size=size) as r:
        await f.press("s")  # start the clock
        await f.pause()
        clock.advance(4 * MIN)
        await settle(f, r)
        screen = room.screen
        assert isinstance(screen, RoomScreen)
        text = screen_text(room)
        # the scenario clock (05:04 on the story's Tuesday) in big digits, the phase
        assert screen.query_one("#room-clock", Digits).value == "05:04"
        assert "Phase one" in text and "RUNNING" in text
        # the board: every seat's open decision, with the seat, its state and time left
        for prompt in ("Deploy the company?", "What does the mission say?", "Send an FPU?"):
            assert prompt in text
        assert "3 still owed" in text
        assert "Left" in text
        # the public opening update, with its text; nothing private, no codes, no gauges
        assert "Opening update" in text and "Everyone reads this." in text
        for private in ("SECRET-FC-TEXT", "Crowd at the gate", "HOM-PRIVATE-TEXT", "Radio asks"):
            assert private not in text
        assert "Risk to civilians" not in text
        assert "code" not in text.lower()


async def test_a_decision_asked_rings_and_flashes_and_b_silences_the_bell(tmp_path: Path) -> None:
    db, clock = new_exercise(tmp_path)
    fac = FacilitatorApp(db, clock=clock, poll_interval=None)
    room = RoomApp(db, clock=clock, poll_interval=None)
    async with fac.run_test(size=(120, 40)) as f, room.run_test(size=(80, 24)) as r:
        await f.press("s")
        await f.pause()
        clock.advance(2 * MIN)  # the opening update (public) and the crowd (a decision for FC)
        await settle(f, r)
        screen = room.screen
        assert isinstance(screen, RoomScreen)
        assert screen.alerts == [
            "New inject: Opening update",
            "Decision asked of FC: Deploy the company?",
        ]
        assert room.bells == 1  # one ring per poll, however many alerts it brought
        assert screen.has_class("-flash")
        assert room.title.startswith(FLASH_MARK)
        assert "Decision asked of FC" in screen_text(room)

        await r.press("b")  # the bell off: alerts still light the line
        clock.advance(1 * MIN)  # the radio inject asks the HoM (a private inject: no title)
        await settle(f, r)
        assert room.bells == 1
        assert screen.alerts[-1] == "Decision asked of HoM: What does the mission say?"
        assert all("Radio asks" not in alert for alert in screen.alerts)

        await r.press("b")  # on again; the PC is asked at 00:04, the HoM's window falls due
        clock.advance(MIN)
        await settle(f, r)
        assert screen.alerts[-1] == "Decision asked of PC: Send an FPU?"
        assert room.bells == 2
        clock.advance(3 * MIN)
        await settle(f, r)
        assert screen.alerts[-1] == "Due soon, HoM: What does the mission say? (01:00 left)"
        assert room.bells == 3


async def test_quiet_starts_with_the_bell_off(tmp_path: Path) -> None:
    db, clock = new_exercise(tmp_path)
    fac = FacilitatorApp(db, clock=clock, poll_interval=None)
    room = RoomApp(db, clock=clock, poll_interval=None, quiet=True)
    async with fac.run_test(size=(120, 40)) as f, room.run_test(size=(80, 24)) as r:
        await f.press("s")
        await f.pause()
        clock.advance(2 * MIN)
        await settle(f, r)
        screen = room.screen
        assert isinstance(screen, RoomScreen)
        assert len(screen.alerts) == 2 and room.bells == 0
        assert screen.has_class("-flash")  # the flash is its own switch (f)
