"""Who may see and do what: private injects stay private, a seat acts only for itself, and a
join code is checked before a served console shows anything."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from textual.widgets import ContentSwitcher, Input, Static, TabbedContent

from exercise_engine.clock import VirtualClock
from exercise_engine.exercise import Exercise
from exercise_engine.ui.codes import join_codes
from exercise_engine.ui.confirm import ConfirmScreen
from exercise_engine.ui.facilitator.app import FacilitatorApp
from exercise_engine.ui.participant.app import ParticipantApp
from exercise_engine.ui.participant.console import ParticipantScreen
from exercise_engine.ui.participant.inbox import Inbox
from exercise_engine.ui.sign_in import SignInScreen
from exercise_engine.ui.widgets.decision_form import DecisionForm
from tests.conftest import run_cli
from tests.ui.helpers import new_exercise, run_in, screen_text, settle, type_text

MIN = 60
NOT_FOR_THE_PC = ("SECRET-FC-TEXT", "HOM-PRIVATE-TEXT", "Crowd at the gate", "Radio asks")


def started(tmp_path: Path, minutes: int) -> tuple[Path, VirtualClock]:
    """The mini exercise, started and run ``minutes`` in (no console needed to tick it)."""
    db, clock = new_exercise(tmp_path)
    ex = Exercise.open(db, clock)
    ex.open_briefing()
    ex.start()
    clock.advance(minutes * MIN)
    ex.tick()
    ex.close()
    return db, clock


async def test_a_participant_never_sees_another_roles_private_inject(tmp_path: Path) -> None:
    db, clock = started(tmp_path, 5)
    pc = ParticipantApp(db, "police_commissioner", clock=clock, poll_interval=None)
    async with pc.run_test(size=(120, 40)) as pilot:
        inbox = pc.screen.query_one(Inbox)
        assert set(inbox.items) == {"open", "crowd", "police"}
        assert inbox.items["crowd"].body.startswith("PC-VARIANT-TEXT")
        for key in inbox.items:
            await run_in(pilot, lambda k=key: inbox.show(k))
            for secret in NOT_FOR_THE_PC:
                assert secret not in screen_text(pc)
        for tab in ("decisions", "advice", "log", "briefing"):
            await run_in(
                pilot, lambda t=tab: setattr(pc.screen.query_one(TabbedContent), "active", t)
            )
            text = screen_text(pc)
            for secret in NOT_FOR_THE_PC:
                assert secret not in text, (tab, secret)


async def test_a_participant_cannot_decide_for_another_role(tmp_path: Path) -> None:
    db, clock = started(tmp_path, 5)
    pc = ParticipantApp(db, "police_commissioner", clock=clock, poll_interval=None)
    async with pc.run_test(size=(120, 40)) as pilot:
        screen = pc.screen
        assert isinstance(screen, ParticipantScreen)
        # Its decisions tab lists its own point only.
        forms = screen.query_one("#decisions").query(DecisionForm)
        assert [f.key for f in forms] == [("police", "support")]
        # A form forged for the Force Commander's point is refused before any confirmation...
        forged = DecisionForm(("crowd", "posture"), id="forged")
        switcher = screen.query_one("#decisions").query_one(ContentSwitcher)
        await run_in(pilot, lambda: switcher.mount(forged))
        await run_in(
            pilot, lambda: forged.post_message(DecisionForm.Submitted(forged, "deploy", ""))
        )
        assert not isinstance(pc.screen, ConfirmScreen)
        assert "not yours" in str(forged.query_one(".result", Static).content)
        # ...and the engine refuses it too, journalling the attempt.
        outcome = await pc.link.call(
            lambda ex: ex.decide(
                role="police_commissioner", inject="crowd", decision="posture", option="deploy"
            )
        )
        assert not outcome.accepted and "only the Force Commander" in outcome.reason
    check = Exercise.open(db, clock)
    assert check.state.points[("crowd", "posture")].status == "open"
    check.close()


async def test_a_served_console_asks_for_its_code_first(tmp_path: Path) -> None:
    db, clock = started(tmp_path, 5)
    probe = Exercise.open(db, clock)
    code = join_codes(probe)["police_commissioner"]
    probe.close()
    pc = ParticipantApp(db, "police_commissioner", clock=clock, poll_interval=None, ask_code=True)
    async with pc.run_test(size=(80, 24)) as pilot:
        assert isinstance(pc.screen, SignInScreen)
        for secret in ("PC-VARIANT-TEXT", "Police hear of a crowd"):
            assert secret not in screen_text(pc)
        await type_text(pilot, "WRONG1")
        await pilot.press("enter")
        assert isinstance(pc.screen, SignInScreen)
        assert "not the code" in str(pc.screen.query_one("#sign-in-error", Static).content)
        await type_text(pilot, code.lower())
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(pc.screen, ParticipantScreen)
        await settle(pilot)


async def test_the_facilitator_console_shows_every_seats_code(tmp_path: Path) -> None:
    db, clock = started(tmp_path, 1)
    fac = FacilitatorApp(db, clock=clock, poll_interval=None)
    async with fac.run_test(size=(120, 40)) as pilot:
        await pilot.press("6")
        text = screen_text(fac)
        for seat, code in fac.codes.items():
            assert code in text, seat
        assert set(fac.codes) == {"facilitator", "hom", "force_commander", "police_commissioner"}


async def test_the_sign_in_field_hides_what_is_typed(tmp_path: Path) -> None:
    db, clock = started(tmp_path, 1)
    app = FacilitatorApp(db, clock=clock, poll_interval=None, ask_code=True)
    async with app.run_test() as pilot:
        assert isinstance(app.screen, SignInScreen)
        assert app.screen.query_one(Input).password
        await type_text(pilot, "ABC")
        assert "ABC" not in screen_text(app)


def test_join_refuses_a_wrong_code_a_wrong_role_and_a_missing_journal(tmp_path: Path) -> None:
    db, _clock = started(tmp_path, 1)
    wrong_code = run_cli("join", str(db), "--role", "hom", "--code", "WRONG1")
    assert wrong_code.returncode == 2
    assert (
        wrong_code.stderr.strip()
        == "exercise-engine join: wrong join code for 'hom': ask the facilitator"
    )
    wrong_role = run_cli("join", str(db), "--role", "dms")
    assert wrong_role.returncode == 2
    assert wrong_role.stderr.strip() == (
        f"exercise-engine join: role 'dms' is not in play in this exercise: {db} plays "
        "scenario 'uimini' (roles: hom, force_commander, police_commissioner)"
    )
    missing = run_cli("join", str(tmp_path / "none.db"), "--role", "hom")
    assert missing.returncode == 2 and "no such exercise journal" in missing.stderr
    assert len(missing.stderr.strip().splitlines()) == 1


async def test_the_facilitator_downloads_the_exercise_record(tmp_path: Path) -> None:
    import json

    db, clock = started(tmp_path, 5)
    app = FacilitatorApp(db, clock=clock, poll_interval=None)
    async with app.run_test() as pilot:
        await pilot.press("r")
        await pilot.pause()
        target = tmp_path / "ex-record.json"
        for _ in range(50):  # the driver writes the file on a thread
            if target.exists() and target.stat().st_size:
                break
            await pilot.pause(0.05)
    record = json.loads(target.read_text(encoding="utf-8"))
    assert record["exercise"]["scenario"] == "uimini"


def test_serve_without_textual_serve_says_how_to_install_it(tmp_path: Path) -> None:
    db, _clock = new_exercise(tmp_path)
    code = (
        "import sys; sys.modules['textual_serve'] = None\n"
        "from exercise_engine.cli import main\n"
        f"sys.exit(main(['serve', {str(db)!r}]))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 2
    assert done.stderr.strip() == (
        "exercise-engine serve: the browser consoles need textual-serve: "
        "pip install 'exercise-engine[serve]'"
    )
