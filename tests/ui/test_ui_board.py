"""Consoles for a real room (issue 13, items 1-4), each at 80x24 and at 120x40.

The story: a crisis with long prompts and long options, as the bundled scenarios have them. The
facilitator scans the decision board for who still owes what and how long is left; the Force
Commander reads each option whole before choosing, sees every deadline on the scenario clock,
submits, and the focus leaves the closed decision; after rejoining, the seat still shows what it
recorded. All on one VirtualClock: nothing sleeps.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from textual.widgets import DataTable, OptionList, RadioSet, Static, TextArea

from exercise_engine.clock import VirtualClock
from exercise_engine.exercise import Exercise
from exercise_engine.loading import LoadedScenario, load_snapshot
from exercise_engine.runtime import advance_clock_to
from exercise_engine.ui.base import ConsoleApp
from exercise_engine.ui.facilitator.app import FacilitatorApp
from exercise_engine.ui.participant.app import ParticipantApp
from exercise_engine.ui.participant.points_pane import PointsPane
from exercise_engine.ui.widgets.decision_form import DecisionForm
from tests.ui.conftest import Snapshot
from tests.ui.helpers import SCENARIO, START, run_in, screen_text, settle, type_text

SIZES = [(80, 24), (120, 40)]
MIN = 60

LONG_PROMPT = (
    "Does the company deploy between the two crowds at the market gate before nightfall, "
    "knowing the national police may not follow it in?"
)
LONG_OPTION = (
    "Deploy between the crowds with UNPOL in front, the armoured vehicles held back at the "
    "bridge, and a public warning read out in Sango and in French before anyone moves"
)
SECOND_POINT = """
[[inject.decisions]]
id = "patrol"
role = "force_commander"
prompt = "Who patrols the road to the airfield tonight?"
respond_within = "00:40"
[[inject.decisions.options]]
id = "company"
label = "The reserve company, with a police liaison officer riding along"
[[inject.decisions.options]]
id = "nobody"
label = "Nobody: the road stays closed until daylight"
"""


def room_scenario() -> LoadedScenario:
    """The console tests' mini scenario with a long prompt, a long option, a second decision for
    the Force Commander and the clock at x2 (real time left is half the scenario time)."""
    text = (
        SCENARIO.replace('prompt = "Deploy the company?"', f'prompt = "{LONG_PROMPT}"')
        .replace('label = "Deploy between the crowds"', f'label = "{LONG_OPTION}"')
        .replace(
            'outcome = "The crowd grows."\n', f'outcome = "The crowd grows."\n{SECOND_POINT}', 1
        )
        .replace("speed = 1\n", "speed = 2\n", 1)
    )
    assert LONG_PROMPT in text and SECOND_POINT in text and "speed = 2" in text
    return load_snapshot(json.dumps([{"name": "uiroom.toml", "text": text}]))


def room_exercise(folder: Path, minutes: int) -> tuple[Path, VirtualClock]:
    """Played ``minutes`` in (clock start Tue 05:00): every point open, the HoM's radio point
    decided, the PC's advice on the crowd in."""
    clock = VirtualClock(START)
    db = folder / "room.db"
    ex = Exercise.create(db, room_scenario(), clock)
    ex.journal.meta_setdefault("join_secret", "snapshot-secret")
    ex.open_briefing()
    ex.start()
    advance_clock_to(ex, clock, 4 * MIN)
    ex.advise(
        role="police_commissioner",
        inject="crowd",
        decision="posture",
        text="The crowd is calm",
        recommend="wait",
    )
    ex.decide(role="hom", inject="radio", decision="statement", option="calm", rationale="Now")
    advance_clock_to(ex, clock, minutes * MIN)
    ex.close()
    return db, clock


def still(app: ConsoleApp) -> ConsoleApp:
    app.animation_level = "none"
    return app


def words(app: ConsoleApp) -> str:
    """The screen as a person reads it: words in order, box and button glyphs dropped."""
    return " ".join(re.sub("[▌▐●▊▎▔▁│─━╸╺]", " ", screen_text(app)).split())


# --- 1. The decision board -----------------------------------------------------------------------


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
async def test_board_keeps_its_key_columns_sorts_by_urgency_and_filters_owed(
    tmp_path: Path, size: tuple[int, int], snapshot: Snapshot
) -> None:
    db, clock = room_exercise(tmp_path, 5)
    app = still(FacilitatorApp(db, clock=clock, poll_interval=None))
    async with app.run_test(size=size) as pilot:
        await pilot.press("2")
        await pilot.pause()
        table = app.screen.query_one("#board-table", DataTable)
        # Most urgent first: the crowd (due 05:22), the police (05:34), the patrol (05:42), then
        # the closed radio point.
        order = [str(key.value) for key in table.rows]
        assert order == ["crowd/posture", "police/support", "crowd/patrol", "radio/statement"]
        # On screen, not off to the right: every header and each row's seat, state, time,
        # advice count and answer.
        text = screen_text(app)
        header = next((ln for ln in text.splitlines() if "Seat " in ln and "Seats" not in ln), "")
        assert re.search(r"Seat\s+State\s+Time\s+Advice\s+Decision\s+Answer", header), header
        lines = text.splitlines()
        first = next(i for i, line in enumerate(lines) if re.search(r"FC\s+open\s", line))
        assert re.search(r"FC\s+open\s+Tue 05:22\s+1/2\s+Does the company", lines[first])
        assert "8m30s left" in lines[first + 1]  # 17 scenario minutes at x2
        assert any(
            re.search(
                r"HoM\s+decided\s+Tue 05:04\s+–\s+What does the mission.*Appeal for calm", line
            )
            for line in lines
        )
        assert "…" not in header
        snapshot(app, "board-room")

        # "Still owed": the key is in the footer; only the open points stay; again shows all.
        assert "o Owed" in text.splitlines()[-1]
        await pilot.press("o")
        await pilot.pause()
        assert [str(k.value) for k in table.rows] == order[:3]
        assert "Still owed: 3 of 4" in screen_text(app)
        await pilot.press("o")
        await pilot.pause()
        assert [str(k.value) for k in table.rows] == order


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
async def test_msel_shows_audience_and_detail(tmp_path: Path, size: tuple[int, int]) -> None:
    db, clock = room_exercise(tmp_path, 5)
    app = still(FacilitatorApp(db, clock=clock, poll_interval=None))
    async with app.run_test(size=size):
        text = screen_text(app)
        header = next((line for line in text.splitlines() if "Inject" in line), "")
        assert re.search(r"Time\s+Inject\s+State\s+Title\s+To\s+Detail", header), header
        read = words(app)
        # the crowd: delivered at 05:02 to the FC (and the PC's variant), awaiting, due 05:22
        assert "Tue 05:02 crowd awaiting" in read
        assert "FC PC due Tue 05:22" in read


# --- 2. Options readable whole ----------------------------------------------------------------


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
async def test_options_are_readable_whole_before_choosing(
    tmp_path: Path, size: tuple[int, int]
) -> None:
    db, clock = room_exercise(tmp_path, 5)
    app = still(ParticipantApp(db, "force_commander", clock=clock, poll_interval=None))
    async with app.run_test(size=size) as pilot:
        await pilot.press("2", "enter")  # the decisions tab, into the first point's options
        await pilot.pause()
        assert isinstance(app.focused, RadioSet)
        read = words(app)
        assert LONG_OPTION in read  # the whole label, wrapped under its button
        assert "…" not in read
        # the PC's advice quotes the option it recommends; the consulted roles are named
        assert 'Police Commissioner recommends "Wait at the base"' in read


# --- 3. One clock --------------------------------------------------------------------------------


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
async def test_deadlines_are_on_the_scenario_clock(tmp_path: Path, size: tuple[int, int]) -> None:
    db, clock = room_exercise(tmp_path, 5)
    app = still(ParticipantApp(db, "force_commander", clock=clock, poll_interval=None))
    async with app.run_test(size=size) as pilot:
        await pilot.press("down")  # the inbox: read the crowd's message
        await pilot.pause()
        read = words(app)
        assert "Tue 05:02 JOC flash report" in read  # its time on the scenario clock
        # what it asks of the seat, and by when
        assert "Your decision is due Tue 05:22 (tab 2)" in read
        await pilot.press("2")
        await pilot.pause()
        read = words(app)
        # the list and the form: Tuesday 05:22, 17 scenario minutes = 8 min 30 s at x2
        assert "due Tue 05:22" in read
        assert "Due Tue 05:22, 8 min 30 s left" in read
        # elapsed exercise time only where it says so (the top bar's "elapsed 00:05:00")
        assert re.findall(r"\b00:\d\d\b", read) == ["00:05"], read
        assert "elapsed 00:05:00" in read


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
async def test_a_consulted_seat_sees_the_deadline_on_the_scenario_clock(
    tmp_path: Path, size: tuple[int, int]
) -> None:
    db, clock = room_exercise(tmp_path, 5)
    app = still(ParticipantApp(db, "hom", clock=clock, poll_interval=None))
    async with app.run_test(size=size) as pilot:
        await pilot.press("3")  # the advice tab: the HoM is consulted on the crowd
        await pilot.pause()
        read = words(app)
        assert "due Tue 05:22" in read  # the list
        assert "Decision due Tue 05:22, 8 min 30 s left" in read  # the form, said once
        assert LONG_OPTION in read  # the option it may recommend, whole


# --- 4. After submitting -------------------------------------------------------------------------


async def choose_and_submit(pilot: object, rationale: str) -> None:
    """Into the first point's options, choose the first one, write the rationale, submit, yes."""
    from textual.pilot import Pilot

    assert isinstance(pilot, Pilot)
    await pilot.press("2", "enter", "enter", "tab")
    await type_text(pilot, rationale)
    await pilot.press("ctrl+s")
    await pilot.pause()
    await pilot.press("y")
    await pilot.pause()
    await settle(pilot)
    await pilot.pause()


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
async def test_after_submitting_the_focus_leaves_the_closed_decision(
    tmp_path: Path, size: tuple[int, int]
) -> None:
    db, clock = room_exercise(tmp_path, 5)
    app = still(ParticipantApp(db, "force_commander", clock=clock, poll_interval=None))
    async with app.run_test(size=size) as pilot:
        await choose_and_submit(pilot, "Keep the two crowds apart")
        point = app.link.view.points[("crowd", "posture")]
        assert (point.status, point.option) == ("decided", "deploy")
        # The focus left the rationale: it is on the list, at the next open decision.
        listing = app.screen.query_one(".points-list", OptionList)
        assert app.focused is listing
        assert listing.highlighted_option is not None
        assert listing.highlighted_option.id == "crowd/patrol"
        # The next key typed is not written into the closed decision, which is read-only.
        await pilot.press("x")
        form = next(f for f in app.screen.query(DecisionForm) if f.key == ("crowd", "posture"))
        box = form.query_one(TextArea)
        assert (box.text, box.read_only) == ("Keep the two crowds apart", True)
        assert form.query_one(RadioSet).disabled


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
async def test_a_rejoined_seat_shows_what_it_recorded(
    tmp_path: Path, size: tuple[int, int], snapshot: Snapshot
) -> None:
    """The seat decided, then its console closed (a laptop restarted); the new console rebuilds
    the closed decision from the journal: option, rationale and time, read-only."""
    db, clock = room_exercise(tmp_path, 5)
    ex = Exercise.open(db, clock)
    ex.decide(
        role="force_commander",
        inject="crowd",
        decision="posture",
        option="deploy",
        rationale="Keep the two crowds apart",
    )
    ex.close()
    app = still(ParticipantApp(db, "force_commander", clock=clock, poll_interval=None))
    async with app.run_test(size=size) as pilot:
        await pilot.press("2")
        await pilot.pause()
        pane = app.screen.query_one("#decisions PointsPane", PointsPane)
        listing = pane.query_one(OptionList)
        index = listing.get_option_index("crowd/posture")
        await run_in(pilot, lambda: setattr(listing, "highlighted", index))
        form = next(f for f in app.screen.query(DecisionForm) if f.key == ("crowd", "posture"))
        box = form.query_one(TextArea)
        assert (box.text, box.read_only) == ("Keep the two crowds apart", True)
        assert form.chosen() == "deploy"
        assert form.query_one(RadioSet).disabled
        read = words(app)
        assert "Recorded Tue 05:05: Deploy between the crowds" in read
        assert "Rationale: Keep the two crowds apart" in read
        snapshot(app, "decision-recorded")


# --- 1. in the browser ---------------------------------------------------------------------------


@pytest.mark.requires("serve")
async def test_the_served_board_shows_every_column_in_a_browser_tab(tmp_path: Path) -> None:
    """``serve`` runs the same console in the browser: a tab of 160 columns (a 1280-pixel window)
    draws the board's six headers and the long prompt's row with its time and advice count."""
    from tests.ui.test_ui_serve import ESCAPES, start_serve, tab

    db, clock = room_exercise(tmp_path, 5)
    ex = Exercise.open(db, clock)
    ex.pause()  # the served console runs on the wall clock: keep the exercise where it stands
    ex.close()
    with start_serve(db) as (port, printed):
        code = next(
            line.rsplit("code ", 1)[1].strip()
            for line in printed.splitlines()
            if line.strip().startswith("Facilitator") and " code " in line
        )
        async with tab(port + 1, size=(160, 45)) as fac:
            await fac.until("Type the join code")
            await fac.send(code + "\r")
            await fac.until("Pause")
            start = len(fac.text)
            await fac.send("2")
            await fac.until("Answer")  # the last header: off to the right before issue 13
            await fac.until("8m30s paused")  # the clock stands: the countdown says so
            seen = ESCAPES.sub("", fac.text[start:])
            for header in ("Seat", "State", "Time", "Advice", "Decision", "Answer"):
                assert header in seen
            assert "8m30s" in seen and "1/2" in seen


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
async def test_a_window_that_closes_while_typing_takes_the_focus_out(
    tmp_path: Path, size: tuple[int, int]
) -> None:
    """The Force Commander is still writing when the window expires: the box turns read-only,
    says nothing was recorded, and the focus moves to the list."""
    db, clock = room_exercise(tmp_path, 5)
    app = still(ParticipantApp(db, "force_commander", clock=clock, poll_interval=None))
    async with app.run_test(size=size) as pilot:
        await pilot.press("2", "enter", "tab")
        await type_text(pilot, "Still thinking")
        assert isinstance(app.focused, TextArea)
        ex = Exercise.open(db, clock)  # the facilitator's clock runs past 05:22
        advance_clock_to(ex, clock, 23 * MIN)
        ex.close()
        await settle(pilot)
        await pilot.pause()
        assert app.link.view.points[("crowd", "posture")].status == "expired"
        assert isinstance(app.focused, OptionList)
        await pilot.press("x")
        form = next(f for f in app.screen.query(DecisionForm) if f.key == ("crowd", "posture"))
        box = form.query_one(TextArea)
        assert (box.text, box.read_only) == ("Still thinking", True)
        assert "not recorded" in str(form.query_one(".field-label", Static).render())
        # the list shows the next open decision
        listing = app.screen.query_one("#decisions .points-list", OptionList)
        assert listing.highlighted_option is not None
        assert listing.highlighted_option.id == "crowd/patrol"
