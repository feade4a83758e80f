"""The smaller console fixes a classroom asked for (issue 13, item 8), each as the seat or the
facilitator meets it: Enter from the advice list into the form; advice confirmed in view and the
box cleared (no duplicate on a second ctrl+s); no advice without words; a recommended option
whose label has a colon stays readable; the clock pauses at each move unless told not to; the
log names the new speed; the help lists ctrl+q once; one pop-up at a time at 80x24; a wide inbox
lists every message, not three. All on a VirtualClock; nothing sleeps."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from textual.widgets import OptionList, RadioSet, Static, TextArea
from textual.widgets._toast import Toast

from exercise_engine.clock import VirtualClock
from exercise_engine.engine import ExerciseState
from exercise_engine.exercise import Exercise
from exercise_engine.loading import load_snapshot
from exercise_engine.ui.facilitator.app import FacilitatorApp
from exercise_engine.ui.facilitator.console import FacilitatorScreen
from exercise_engine.ui.help import HelpScreen
from exercise_engine.ui.participant.app import ParticipantApp
from exercise_engine.ui.participant.inbox import Inbox
from exercise_engine.ui.widgets.advice_form import AdviceForm
from tests.ui.helpers import SCENARIO, START, new_exercise, run_in, screen_text, settle, type_text

MIN = 60


def started(db: Path, clock: VirtualClock, minutes: int) -> None:
    """Open the briefing, start the clock and let ``minutes`` pass (journal only, no console)."""
    exercise = Exercise.open(db, clock)
    exercise.open_briefing()
    exercise.start()
    clock.advance(minutes * MIN)
    exercise.tick()
    exercise.close()


def advice_given(db: Path, clock: VirtualClock) -> list[tuple[str, str | None, str]]:
    exercise = Exercise.open(db, clock)
    given = [(a.role, a.recommend, a.text) for a in exercise.state.advice]
    exercise.close()
    return given


async def test_enter_in_the_advice_list_moves_into_the_form(tmp_path: Path) -> None:
    db, clock = new_exercise(tmp_path)
    started(db, clock, 2)  # the crowd: the PC is consulted on the FC's decision
    pc = ParticipantApp(db, "police_commissioner", clock=clock, poll_interval=None)
    async with pc.run_test(size=(80, 24)) as p:
        await p.press("3")
        listing = pc.screen.query_one("#advice OptionList", OptionList)
        assert listing.has_focus
        await p.press("enter")
        form = pc.screen.query_one(AdviceForm)
        assert pc.focused is not None and form in pc.focused.ancestors_with_self
        # typing straight away (before tab reaches the box) is not lost: it starts the advice
        await type_text(p, "calm")
        assert form.query_one(TextArea).text == "calm"


async def test_advice_sent_is_seen_at_80x24_and_a_second_ctrl_s_sends_nothing(
    tmp_path: Path,
) -> None:
    db, clock = new_exercise(tmp_path)
    started(db, clock, 2)
    pc = ParticipantApp(db, "police_commissioner", clock=clock, poll_interval=None)
    async with pc.run_test(size=(80, 24)) as p:
        await p.press("3")
        form = pc.screen.query_one(AdviceForm)
        await run_in(p, lambda: form.query_one(TextArea).focus())
        await type_text(p, "the crowd is calm")
        await p.press("ctrl+s")
        await p.pause()
        await p.pause()
        assert advice_given(db, clock) == [("police_commissioner", None, "the crowd is calm")]
        assert "Advice sent (1)" in screen_text(pc)  # in view, not below the fold
        assert form.query_one(TextArea).text == ""  # the box is cleared
        await p.press("ctrl+s")  # again: nothing to send
        await p.pause()
        assert len(advice_given(db, clock)) == 1
        assert "Write your advice first" in screen_text(pc)


async def test_a_recommendation_without_words_is_refused(tmp_path: Path) -> None:
    db, clock = new_exercise(tmp_path)
    started(db, clock, 2)
    pc = ParticipantApp(db, "police_commissioner", clock=clock, poll_interval=None)
    async with pc.run_test(size=(120, 40)) as p:
        await p.press("3")
        form = pc.screen.query_one(AdviceForm)
        await run_in(p, lambda: form.query_one(RadioSet).focus())
        await p.press("down", "enter")  # recommend "Deploy between the crowds", no text
        await p.press("ctrl+s")
        await p.pause()
        assert advice_given(db, clock) == []
        assert "Write your advice first" in screen_text(pc)


COLON = SCENARIO.replace('label = "Wait at the base"', 'label = "Wait: hold at the base"')


async def test_a_recommended_label_with_a_colon_is_quoted(tmp_path: Path) -> None:
    clock = VirtualClock(START)
    db = tmp_path / "ex.db"
    scenario = load_snapshot(json.dumps([{"name": "uimini.toml", "text": COLON}]))
    Exercise.create(db, scenario, clock).close()
    started(db, clock, 2)
    exercise = Exercise.open(db, clock)
    exercise.advise(
        role="police_commissioner",
        inject="crowd",
        decision="posture",
        text="the crowd is calm",
        recommend="wait",
    )
    exercise.close()
    said = 'recommends "Wait: hold at the base": the crowd is calm'
    fac = FacilitatorApp(db, clock=clock, poll_interval=None)
    async with fac.run_test(size=(120, 40)) as f:
        await f.press("2")
        await f.pause()
        assert said in str(fac.screen.query_one("#board-detail", Static).content)
    fc = ParticipantApp(db, "force_commander", clock=clock, poll_interval=None)
    async with fc.run_test(size=(120, 40)) as p:
        await p.press("2")
        await p.pause()
        assert 'recommends "Wait: hold at the base": the' in screen_text(fc)  # then it wraps


async def test_the_clock_pauses_at_each_move_unless_told_not_to(tmp_path: Path) -> None:
    for pause_at_moves, status in [(True, "paused"), (False, "running")]:
        folder = tmp_path / str(pause_at_moves)
        folder.mkdir()
        db, clock = new_exercise(folder)
        started(db, clock, 2)
        fac = FacilitatorApp(db, clock=clock, poll_interval=None, pause_at_moves=pause_at_moves)
        async with fac.run_test(size=(120, 40), notifications=True) as f:
            seat = Exercise.open(db, clock)  # the FC's decision sets 'warned': phase two
            seat.decide(role="force_commander", inject="crowd", decision="posture", option="deploy")
            seat.close()
            await settle(f)
            await f.pause()
            assert fac.link.view.phase == "two"
            assert fac.link.view.status == status
            if pause_at_moves:
                assert "Paused at the move to Phase two" in screen_text(fac)


async def test_the_log_names_the_new_speed(tmp_path: Path) -> None:
    db, clock = new_exercise(tmp_path)
    started(db, clock, 1)
    fac = FacilitatorApp(db, clock=clock, poll_interval=None)
    async with fac.run_test(size=(120, 40)) as f:
        await f.press("plus")
        await f.pause()
        screen = fac.screen
        assert isinstance(screen, FacilitatorScreen)
        assert screen.event_log[-1].endswith("speed      changed to x2")


async def test_the_help_lists_ctrl_q_once(tmp_path: Path) -> None:
    db, clock = new_exercise(tmp_path)
    started(db, clock, 1)
    fac = FacilitatorApp(db, clock=clock, poll_interval=None)
    pc = ParticipantApp(db, "police_commissioner", clock=clock, poll_interval=None)
    for app in (fac, pc):
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.press("f1")
            await pilot.pause()
            help_screen = app.screen
            assert isinstance(help_screen, HelpScreen)
            keys = [str(cell) for cell in help_screen._table().columns[0].cells]
            assert sum(key in ("ctrl+q", "^q") for key in keys) == 1, keys


async def test_one_pop_up_at_a_time_at_80x24(tmp_path: Path) -> None:
    db, clock = new_exercise(tmp_path)
    started(db, clock, 0)
    fc = ParticipantApp(db, "force_commander", clock=clock, poll_interval=None)
    async with fc.run_test(size=(80, 24), notifications=True) as p:
        clock.advance(2 * MIN)  # the opening update, the crowd and its decision: three notices
        exercise = Exercise.open(db, clock)
        exercise.tick()
        exercise.close()
        await settle(p)
        await p.pause()
        toasts = list(fc.screen.query(Toast))
        assert len(toasts) == 1
        text = screen_text(fc)
        for notice in ("Opening update", "Crowd at the gate", "Deploy the company?"):
            assert notice in text


async def test_a_wide_inbox_lists_every_message(tmp_path: Path) -> None:
    db, clock = new_exercise(tmp_path)
    started(db, clock, 4)
    exercise = Exercise.open(db, clock)
    for n in range(1, 7):
        exercise.inject_manually(title=f"Update {n}", body="More news.", to=["all"])
    exercise.close()
    hom = ParticipantApp(db, "hom", clock=clock, poll_interval=None)
    async with hom.run_test(size=(160, 40)) as p:
        await p.press("1")
        await p.pause()
        inbox = hom.screen.query_one(Inbox)
        assert len(inbox.items) == 8  # two scripted messages, six manual ones
        text = screen_text(hom)
        for n in range(1, 7):
            assert f"Update {n}" in text
        assert "Opening update" in text and "Radio asks for comment" in text


@pytest.mark.xfail(
    not hasattr(ExerciseState(), "opened"),
    reason="the journal's read receipts (inject_opened) come with presence, issue 13 item 5",
    strict=True,
)
async def test_read_marks_survive_a_reconnect(tmp_path: Path) -> None:
    db, clock = new_exercise(tmp_path)
    started(db, clock, 2)
    first = ParticipantApp(db, "force_commander", clock=clock, poll_interval=None)
    async with first.run_test(size=(120, 40)) as p:
        await p.press("1")
        await p.pause()
        inbox = first.screen.query_one(Inbox)
        await run_in(p, lambda: inbox.query_one(OptionList).focus())
        await p.press("down")  # highlight the newest message: read
        await p.pause()
        await p.pause()
        assert inbox.unread == 1
    again = ParticipantApp(db, "force_commander", clock=clock, poll_interval=None)
    async with again.run_test(size=(120, 40)) as p:
        await p.pause()
        assert again.screen.query_one(Inbox).unread == 1  # not 2: the mark came back
