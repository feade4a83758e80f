"""The two seats Saraf Umra declares itself (``[custom_roles]``) get a working console: the
Sector North Commander reads B Company's radio call and has its decision open; the DJSR hears
the field office's call, not the company net.
A custom seat that only validated, and then had no console, would be no seat at all."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import TabbedContent

from exercise_engine.clock import VirtualClock
from exercise_engine.exercise import Exercise
from exercise_engine.loading import load_scenario
from exercise_engine.ui.participant.app import ParticipantApp
from exercise_engine.ui.participant.inbox import Inbox
from tests.conftest import REPO
from tests.ui.helpers import START, screen_text, settle

SCENARIO = REPO / "scenarios" / "unamid-saraf-umra.toml"


def _running(tmp_path: Path, exercise_minutes: int) -> tuple[Path, VirtualClock]:
    """A UNAMID journal started and run to ``exercise_minutes`` of exercise time."""
    clock = VirtualClock(START)
    db = tmp_path / "sur.db"
    scenario = load_scenario(SCENARIO)
    exercise = Exercise.create(db, scenario, clock)
    exercise.open_briefing()
    exercise.start()
    clock.advance(exercise_minutes * 60 / scenario.file.clock.speed)
    exercise.tick()
    exercise.close()
    return db, clock


async def test_the_sector_commander_reads_the_company_net_and_decides(tmp_path: Path) -> None:
    db, clock = _running(tmp_path, 6)  # sur-02 arrives at 00:05
    app = ParticipantApp(db, "sector_commander", clock=clock, poll_interval=None)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        inbox = app.screen.query_one(Inbox)
        copies = {item.title: item for item in inbox.items.values()}
        arriving = copies["Team site Saraf Umra: civilians arriving"]
        assert arriving.channel == "radio" or "Radio" in arriving.channel
        assert arriving.sender.startswith("OC B Company")
        assert "Sector North Commander" in screen_text(app)
        tabs = app.screen.query_one(TabbedContent)
        assert "1" in str(tabs.get_tab("decisions").label)  # the posture decision is open


async def test_the_djsr_hears_the_field_office_not_the_company_net(tmp_path: Path) -> None:
    db, clock = _running(tmp_path, 6)
    app = ParticipantApp(db, "djsr", clock=clock, poll_interval=None)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        copies = {item.title: item for item in app.screen.query_one(Inbox).items.values()}
        arriving = copies["Team site Saraf Umra: civilians arriving"]
        assert arriving.sender.startswith("Team site civil affairs officer")
        assert "Force HQ: Sector North has no reserve left" not in copies
        assert "Deputy Joint Special Representative" in screen_text(app)
