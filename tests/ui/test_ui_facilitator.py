"""The facilitator's controls, key by key: the clock, jump, deliver by hand, notes, quitting,
hot-seat mode and resuming an exercise that was left paused."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import DataTable, TabbedContent

from exercise_engine.clock import VirtualClock
from exercise_engine.exercise import Exercise
from exercise_engine.ui.facilitator.app import FacilitatorApp
from exercise_engine.ui.facilitator.console import FacilitatorScreen
from tests.ui.helpers import new_exercise, run_in, screen_text, settle, type_text

MIN = 60


async def started_console(tmp_path: Path, **options: bool) -> tuple[FacilitatorApp, VirtualClock]:
    db, clock = new_exercise(tmp_path)
    return FacilitatorApp(db, clock=clock, poll_interval=None, **options), clock


async def test_the_clock_keys(tmp_path: Path) -> None:
    app, clock = await started_console(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("s")
        await pilot.pause()
        clock.advance(30)
        await pilot.press("space")  # pause: exercise time stops
        await pilot.pause()
        assert app.link.view.status == "paused"
        stopped = app.exercise_time
        clock.advance(600)
        await settle(pilot)
        assert app.exercise_time == stopped == 30
        assert "PAUSED" in screen_text(app)
        await pilot.press("space", "plus", "plus")  # resume, then x1 -> x2 -> x5
        await pilot.pause()
        assert (app.link.view.status, app.link.view.speed) == ("running", 5.0)
        await pilot.press("minus")
        await pilot.pause()
        assert app.link.view.speed == 2.0
        await pilot.press("j")  # jump to the next timed inject (00:01) and deliver it
        await pilot.pause()
        assert app.link.view.deliveries["open"].at == MIN


async def test_deliver_a_contingency_inject_and_write_a_note(tmp_path: Path) -> None:
    app, _clock = await started_console(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("s")
        await pilot.pause()
        table = app.screen.query_one("#msel-table", DataTable)
        row = table.get_row_index("icrc")
        await run_in(pilot, lambda: table.move_cursor(row=row))
        await pilot.press("d")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert app.link.view.deliveries["icrc"].manual
        await pilot.press("n")
        await pilot.pause()
        await type_text(pilot, "The room asked about the ICRC")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert [n["text"] for n in app.link.view.notes] == ["The room asked about the ICRC"]
        screen = app.screen
        assert isinstance(screen, FacilitatorScreen)
        assert any("The room asked about the ICRC" in line for line in screen.event_log)


async def test_hot_seat_mode_opens_on_the_decision_board(tmp_path: Path) -> None:
    app, _clock = await started_console(tmp_path, hot_seat=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("s")
        await pilot.pause()
        assert app.screen.query_one(TabbedContent).active == "board"
        assert "hot seat" in app.sub_title


async def test_quitting_pauses_and_reopening_resumes_paused(tmp_path: Path) -> None:
    app, clock = await started_console(tmp_path)
    async with app.run_test() as pilot:
        await pilot.press("s")
        await pilot.pause()
        clock.advance(90)
        await pilot.press("ctrl+q")
        await pilot.pause()
    left = Exercise.open(app.db, clock)
    assert (left.state.status, left.now()) == ("paused", 90)
    left.close()
    again = FacilitatorApp(app.db, clock=clock, poll_interval=None)
    async with again.run_test() as pilot:
        assert isinstance(again.screen, FacilitatorScreen)
        assert "PAUSED" in screen_text(again)
        await pilot.press("space")
        await pilot.pause()
        assert again.link.view.status == "running"


async def test_the_palette_offers_every_action_by_name(tmp_path: Path) -> None:
    from exercise_engine.ui.participant.app import ParticipantApp

    app, _clock = await started_console(tmp_path)
    async with app.run_test() as pilot:
        await pilot.press("s")
        await pilot.pause()
        titles = {c.title for c in app.get_system_commands(app.screen)}
        assert {"Pause", "Jump", "Inject", "Hot seat", "End", "Faster", "Note"} <= titles
        assert {"Help", "Contrast", "Show MSEL", "Show Decisions", "Quit"} <= titles
        await pilot.press("question_mark")
        await pilot.pause()
        assert "Clock faster (+)" in screen_text(app)
    participant = ParticipantApp(app.db, "hom", clock=_clock, poll_interval=None)
    async with participant.run_test() as pilot:
        titles = {c.title for c in participant.get_system_commands(participant.screen)}
        assert {"Help", "Contrast", "Show Inbox", "Show Decisions", "Show Advice"} <= titles
        await pilot.press("f2")
        assert participant.theme == "projector"
        await pilot.press("f2")
        assert participant.theme == "textual-dark"


async def test_transitions_that_loop_stop_the_clock_with_a_message(tmp_path: Path) -> None:
    """A loop that validation cannot see (each 'when' depends on the world) makes the engine
    refuse to go on: the console says why and the journal is paused, not left running."""
    import json

    from exercise_engine.loading import load_snapshot
    from tests.ui.helpers import SCENARIO

    text = SCENARIO.replace('when = "warned"', 'when = "risk < 1000"').replace(
        "[[end]]", '[[transitions]]\nfrom = "two"\nto = "one"\nwhen = "risk > -1"\n\n[[end]]'
    )
    clock = VirtualClock(1_700_000_000.0)
    db = tmp_path / "loop.db"
    scenario = load_snapshot(json.dumps([{"name": "loop.toml", "text": text}]))
    Exercise.create(db, scenario, clock).close()
    app = FacilitatorApp(db, clock=clock, poll_interval=None)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("s")
        await pilot.pause()
        messages = [n.message for n in app._notifications]
        assert any("phase transitions loop at 00:00: two -> one -> two" in m for m in messages)
        assert app.link.view.status == "paused"


async def test_the_speed_keys_stay_within_the_engines_bounds(tmp_path: Path) -> None:
    """+ and - climb a ladder that ends inside what set_speed accepts (more than 0, at most
    3600): pressing past either end keeps the end rung, and nothing is refused."""
    app, _clock = await started_console(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("s")
        await pilot.pause()
        await pilot.press(*["plus"] * 14)
        await pilot.pause()
        assert app.link.view.speed == 600.0
        await pilot.press(*["minus"] * 14)
        await pilot.pause()
        assert app.link.view.speed == 1.0
        assert not any(n.title == "Not now" for n in app._notifications)
