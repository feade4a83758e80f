"""A whole mini-exercise through the consoles: one facilitator and two participants, one journal.

The story: the facilitator opens the briefing and starts the clock; injects reach the Force
Commander and the Police Commissioner (each their own version); the Police Commissioner advises;
the Force Commander decides with half-typed text surviving a manual inject; the Head of Mission's
window expires; the facilitator hot-seats the Police Commissioner's decision, ends play, runs the
hot wash and closes the exercise. All on one VirtualClock: nothing sleeps.
"""

from __future__ import annotations

from pathlib import Path

from textual.widgets import DataTable, OptionList, RadioSet, TabbedContent, TextArea

from exercise_engine.clock import VirtualClock
from exercise_engine.exercise import Exercise
from exercise_engine.ui.facilitator.app import FacilitatorApp
from exercise_engine.ui.facilitator.briefing import BriefingScreen
from exercise_engine.ui.facilitator.console import FacilitatorScreen
from exercise_engine.ui.facilitator.hot_seat import HotSeatScreen
from exercise_engine.ui.facilitator.hot_wash import HotWashScreen
from exercise_engine.ui.participant.app import ParticipantApp
from exercise_engine.ui.participant.console import ParticipantScreen
from exercise_engine.ui.participant.inbox import Inbox
from exercise_engine.ui.widgets.advice_form import AdviceForm
from exercise_engine.ui.widgets.decision_form import DecisionForm
from tests.ui.helpers import new_exercise, run_in, screen_text, settle, type_text

MIN = 60


def board(app: FacilitatorApp) -> dict[str, list[str]]:
    table = app.screen.query_one("#board-table", DataTable)
    return {
        str(key.value): [" ".join(str(c).split()) for c in table.get_row(key)] for key in table.rows
    }


def shared_log(app: ParticipantApp) -> list[str]:
    screen = app.screen
    assert isinstance(screen, ParticipantScreen)
    return screen.shared_log


def msel_state(app: FacilitatorApp) -> dict[str, str]:
    table = app.screen.query_one("#msel-table", DataTable)
    return {str(key.value): " ".join(str(table.get_row(key)[2]).split()) for key in table.rows}


async def test_a_whole_exercise_on_one_journal(tmp_path: Path) -> None:
    db, clock = new_exercise(tmp_path)
    fac = FacilitatorApp(db, clock=clock, poll_interval=None)
    fc = ParticipantApp(db, "force_commander", clock=clock, poll_interval=None)
    pc = ParticipantApp(db, "police_commissioner", clock=clock, poll_interval=None)
    async with (
        fac.run_test(size=(120, 40)) as f,
        fc.run_test(size=(120, 40)) as p1,
        pc.run_test(size=(120, 40)) as p2,
    ):
        # The console opens the briefing; participants see it and wait.
        assert isinstance(fac.screen, BriefingScreen)
        await settle(p1, p2)
        assert fc.link.view.status == "briefing"
        assert "facilitator will start the clock" in screen_text(fc)

        # Start: the console follows the lifecycle to the live screen.
        await f.press("s")
        await f.pause()
        assert isinstance(fac.screen, FacilitatorScreen)
        assert fac.link.view.status == "running"

        # Two minutes on: the opening update and the crowd inject are delivered.
        clock.advance(2 * MIN)
        await settle(f, p1, p2)
        assert set(fac.link.view.deliveries) == {"open", "crowd"}
        assert msel_state(fac)["crowd"] == "awaiting decision"
        fc_inbox = fc.screen.query_one(Inbox)
        pc_inbox = pc.screen.query_one(Inbox)
        assert [i.title for i in fc_inbox.items.values()] == ["Crowd at the gate", "Opening update"]
        assert [i.title for i in pc_inbox.items.values()] == [
            "Police hear of a crowd",
            "Opening update",
        ]
        assert fc_inbox.unread == 2
        assert "2 new" in str(fc.screen.query_one(TabbedContent).get_tab("inbox").label)

        # Reading a message clears its unread mark.
        await run_in(p1, lambda: fc_inbox.query_one(OptionList).focus())
        await p1.press("down")
        assert fc_inbox.showing == "crowd"
        assert "SECRET-FC-TEXT" in screen_text(fc)
        assert fc_inbox.unread == 1

        # The Police Commissioner is consulted: recommends waiting, with a word of advice.
        await p2.press("3")
        advice_form = pc.screen.query_one(AdviceForm)
        await run_in(p2, lambda: advice_form.query_one(RadioSet).focus())
        await p2.press("down", "down", "enter", "tab")
        await type_text(p2, "the crowd is calm")
        await p2.press("ctrl+s")
        await settle(p2, f)
        advice = fac.link.view.advice
        assert [(a.role, a.recommend, a.text) for a in advice] == [
            ("police_commissioner", "wait", "the crowd is calm")
        ]
        assert board(fac)["crowd/posture"][3] == "1/2"  # Advice: one of the two consulted

        # The Force Commander starts typing; a manual inject arrives meanwhile; nothing is lost.
        await p1.press("2")
        form = fc.screen.query_one(DecisionForm)
        await run_in(p1, lambda: form.query_one(TextArea).focus())
        await type_text(p1, "keep them apart")
        await f.press("m")
        await f.pause()
        await type_text(f, "Minister calls")
        await f.press("tab", "tab", "tab")  # past the sender and the channel to the roles
        await f.press("space", "down", "space", "tab")  # tick HoM and the Force Commander
        await type_text(f, "He wants a briefing")
        await f.press("ctrl+s")
        await f.pause()
        assert fac.link.view.manual_injects["manual-1"]["to"] == ["hom", "force_commander"]
        await settle(p1, p2)
        assert "manual-1" in fc_inbox.items
        assert "manual-1" not in pc_inbox.items
        assert form.query_one(TextArea).text == "keep them apart"

        # ...then picks an option, submits, confirms. The facilitator's board shows it.
        await run_in(p1, lambda: form.query_one(RadioSet).focus())
        await p1.press("enter", "ctrl+s")
        await p1.pause()
        await p1.press("y")
        await p1.pause()
        point = fc.link.view.points[("crowd", "posture")]
        assert (point.status, point.option, point.rationale) == (
            "decided",
            "deploy",
            "keep them apart",
        )
        assert not point.on_behalf
        await settle(f, p2)
        assert board(fac)["crowd/posture"][1] == "decided"
        assert fac.link.view.phase == "two"  # the decision set 'warned': the phase moved on
        assert "Force Commander decided: Deploy between the crowds" in "\n".join(shared_log(pc))
        # a new move: the console paused the clock so the room can take stock; space resumes
        assert fac.link.view.status == "paused"
        await f.press("space")
        await f.pause()
        assert fac.link.view.status == "running"

        # The Head of Mission (no console) lets the radio window close: it expires.
        clock.advance(8 * MIN + 1)
        await settle(f, p1, p2)
        assert fac.link.view.points[("radio", "statement")].status == "expired"
        assert msel_state(fac)["radio"] == "expired"
        log = "\n".join(shared_log(fc))
        assert "Head of Mission (SRSG) did not decide in time" in log
        assert "HOM-PRIVATE-TEXT" not in log and "Radio asks" not in log

        # Hot seat: the facilitator records the Police Commissioner's decision on its behalf.
        await f.press("2")
        table = fac.screen.query_one("#board-table", DataTable)
        await run_in(f, table.focus)
        row = table.get_row_index("police/support")
        await run_in(f, lambda: table.move_cursor(row=row))
        await f.press("h")
        await f.pause()
        assert isinstance(fac.screen, HotSeatScreen)
        await f.press("down", "enter", "tab")
        await type_text(f, "phoned in")
        await f.press("ctrl+s")
        await f.pause()
        hot = fac.link.view.points[("police", "support")]
        assert (hot.option, hot.on_behalf, hot.actor) == ("hold", True, "facilitator")
        await settle(p2)
        pc_form = pc.screen.query_one("#decisions").query_one(DecisionForm)
        assert pc_form.closed

        # End: confirm, and the console moves to the hot wash; participants are told.
        await f.press("e")
        await f.pause()
        await f.press("y")
        await f.pause()
        assert isinstance(fac.screen, HotWashScreen)
        await settle(p1, p2)
        assert "Play has ended" in screen_text(fc)

        await type_text(f, "clear orders")
        await f.press("enter", "tab")
        await type_text(f, "slow advice")
        await f.press("enter")
        await f.pause()
        assert [(n["kind"], n["text"]) for n in fac.link.view.hot_wash] == [
            ("strength", "clear orders"),
            ("issue", "slow advice"),
        ]
        await f.press("ctrl+e")
        await f.pause()
        await f.press("y")
        await f.pause()
        assert fac.link.view.status == "ended"
        assert isinstance(fc.screen, ParticipantScreen)

    # Everything is in the journal, in order, for any later reader.
    final = Exercise.open(db, VirtualClock(clock.now()))
    kinds = [e.kind for e in final.journal.events()]
    final.close()
    assert kinds.count("decision_recorded") == 2
    assert "advice_recorded" in kinds and "decision_expired" in kinds
    assert kinds[-1] == "ended"
