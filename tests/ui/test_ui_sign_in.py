"""The sign-in of a served console: nothing of the seat before its code, and wrong codes cost.

A ``serve`` link can be opened by anyone on the course LAN; these tests drive the real console
apps (Pilot) the way such a visitor would: every key that used to reach the console (help,
palette, contrast, quit) and a change of the exercise's status must leave the sign-in in place
and the journal untouched; wrong codes are delayed, then locked out, and a new tab (a new app on
the same counter file) does not start the count again.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from textual.command import CommandPalette
from textual.widgets import Static

from exercise_engine.clock import VirtualClock
from exercise_engine.exercise import Exercise
from exercise_engine.ui.base import ConsoleApp
from exercise_engine.ui.codes import join_codes
from exercise_engine.ui.facilitator.app import FacilitatorApp
from exercise_engine.ui.help import HelpScreen
from exercise_engine.ui.participant.app import ParticipantApp
from exercise_engine.ui.participant.console import ParticipantScreen
from exercise_engine.ui.sign_in import SignInScreen
from exercise_engine.ui.sign_in_limit import FIRST_DELAY, FREE_TRIES, LOCKOUT_AT, AttemptLimiter
from tests.ui.helpers import new_exercise, screen_text, type_text


def journal_kinds(db: Path) -> list[str]:
    """Every event kind in the journal, read with plain SQLite (no app involved)."""
    with sqlite3.connect(db) as conn:
        return [row[0] for row in conn.execute("SELECT kind FROM events ORDER BY seq")]


def codes_of(db: Path, clock: VirtualClock) -> dict[str, str]:
    """The seats' codes, as the facilitator's terminal shows them (this makes the secret)."""
    probe = Exercise.open(db, clock)
    codes = join_codes(probe)
    probe.close()
    return codes


def error_line(app: ConsoleApp) -> str:
    return str(app.screen.query_one("#sign-in-error", Static).content)


@pytest.mark.parametrize(
    "keys",
    [
        ["f1"],  # help used to open over the sign-in, then the console behind it
        ["question_mark"],  # help's other key
        ["ctrl+p"],  # the command palette offered every console action
        ["ctrl+p", "s", "t", "a", "r", "t", "enter"],  # ...and ran them
        ["f2"],  # contrast: harmless, but nothing of the console answers before the code
        ["escape"],  # ran quit, which paused a running exercise
        ["ctrl+q"],  # quit, likewise
        ["ctrl+c"],  # Textual's own "how to quit" hint
    ],
)
async def test_no_key_reaches_the_facilitator_console_before_its_code(
    tmp_path: Path, keys: list[str]
) -> None:
    db, clock = new_exercise(tmp_path)
    codes_of(db, clock)
    before = journal_kinds(db)
    app = FacilitatorApp(db, clock=clock, poll_interval=None, ask_code=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press(*keys)
        await pilot.pause()
        assert isinstance(app.screen, SignInScreen)
        assert not any(isinstance(s, HelpScreen | CommandPalette) for s in app.screen_stack)
        assert [type(s).__name__ for s in app.screen_stack] == ["Screen", "SignInScreen"]
        assert app.is_running
        assert "Keys:" not in screen_text(app)
    # Merely opening the page used to journal briefing_opened; now nothing is written.
    assert journal_kinds(db) == before


async def test_a_status_change_does_not_replace_the_sign_in(tmp_path: Path) -> None:
    db, clock = new_exercise(tmp_path)
    codes = codes_of(db, clock)
    app = FacilitatorApp(db, clock=clock, poll_interval=None, ask_code=True)
    async with app.run_test(size=(100, 30)) as pilot:
        # The real facilitator (another process) starts play, then the scenario runs on.
        other = Exercise.open(db, clock)
        other.open_briefing()
        other.start()
        clock.advance(600)
        other.tick()
        other.close()
        written = journal_kinds(db)
        await app.sync()
        app.show_screen_for_status()  # what a status event used to trigger
        await pilot.pause()
        assert [type(s).__name__ for s in app.screen_stack] == ["Screen", "SignInScreen"]
        assert "Opening update" not in screen_text(app)
        assert journal_kinds(db) == written  # the locked console ticked nothing
        # With the code, the console that fits the status opens.
        await type_text(pilot, codes["facilitator"])
        await pilot.press("enter")
        await pilot.pause()
        await pilot.pause()
        assert type(app.screen).__name__ == "FacilitatorScreen"


async def test_the_briefing_opens_only_after_the_code(tmp_path: Path) -> None:
    db, clock = new_exercise(tmp_path)
    codes = codes_of(db, clock)
    app = FacilitatorApp(db, clock=clock, poll_interval=None, ask_code=True)
    async with app.run_test(size=(100, 30)) as pilot:
        assert journal_kinds(db) == ["exercise_created"]
        await type_text(pilot, codes["facilitator"])
        await pilot.press("enter")
        await pilot.pause()
        await pilot.pause()
        assert type(app.screen).__name__ == "BriefingScreen"
    # the console announced itself only after the code, and said goodbye on the way out
    assert journal_kinds(db) == ["exercise_created", "seat_joined", "briefing_opened", "seat_left"]


async def test_a_journal_without_a_secret_accepts_no_code_and_gets_none(tmp_path: Path) -> None:
    db, clock = new_exercise(tmp_path)
    app = ParticipantApp(db, "hom", clock=clock, poll_interval=None, ask_code=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await type_text(pilot, "ABCDEFGH")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, SignInScreen)
    with sqlite3.connect(db) as conn:
        keys = {row[0] for row in conn.execute("SELECT key FROM meta")}
    assert "join_secret" not in keys


async def type_code(pilot: object, app: ConsoleApp, code: str) -> str:
    from textual.pilot import Pilot

    assert isinstance(pilot, Pilot)
    await type_text(pilot, code)
    await pilot.press("enter")
    await pilot.pause()
    await pilot.pause()
    return error_line(app) if isinstance(app.screen, SignInScreen) else ""


async def test_wrong_codes_are_delayed_then_locked_out_across_tabs(tmp_path: Path) -> None:
    db, clock = new_exercise(tmp_path)
    codes = codes_of(db, clock)
    now = {"t": 1000.0}
    limiter = AttemptLimiter(tmp_path / "sign-in.sqlite", clock=lambda: now["t"])

    def tab() -> ParticipantApp:
        return ParticipantApp(
            db,
            "hom",
            clock=clock,
            poll_interval=None,
            ask_code=True,
            limiter=AttemptLimiter(tmp_path / "sign-in.sqlite", clock=lambda: now["t"]),
            client="192.0.2.7",
        )

    app = tab()
    async with app.run_test(size=(100, 30)) as pilot:
        for _ in range(FREE_TRIES):
            assert (await type_code(pilot, app, "WRONGXYZ")).startswith("That is not the code")
        said = await type_code(pilot, app, "WRONGXYZ")
        assert f"Wait {FIRST_DELAY:.0f} s" in said
        # Even the right code is refused while the delay runs (and counts as wrong).
        said = await type_code(pilot, app, codes["hom"])
        assert said.startswith("Too soon")
        assert isinstance(app.screen, SignInScreen)
    # A new tab: the count is in the file, not the process.
    now["t"] += 5
    app = tab()
    async with app.run_test(size=(100, 30)) as pilot:
        assert (await type_code(pilot, app, codes["hom"])).startswith("Too soon")
        while limiter.state("192.0.2.7").kind != "locked":
            await type_code(pilot, app, "WRONGXYZ")
        assert "locked" in error_line(app)
    now["t"] += 60  # a minute later, in a third tab, the address is still locked out
    app = tab()
    async with app.run_test(size=(100, 30)) as pilot:
        assert "locked" in await type_code(pilot, app, codes["hom"])
    assert limiter.state("192.0.2.7").kind == "locked"
    # Another address is not affected, and the right code opens the console.
    other = ParticipantApp(
        db,
        "hom",
        clock=clock,
        poll_interval=None,
        ask_code=True,
        limiter=limiter,
        client="192.0.2.8",
    )
    async with other.run_test(size=(100, 30)) as pilot:
        assert await type_code(pilot, other, codes["hom"]) == ""
        assert isinstance(other.screen, ParticipantScreen)
    # Once the window has passed, the address may try again.
    now["t"] += 16 * 60
    assert limiter.state("192.0.2.7").kind == "ok"
    assert LOCKOUT_AT > FREE_TRIES


@pytest.mark.parametrize(
    ("tries", "at", "kind", "wait"),
    [
        # the seconds of each wrong try, when the next comes, what it meets and how long it waits
        ([], 0, "ok", 0),  # nothing typed yet
        ([0, 1, 2], 3, "ok", 0),  # three wrong codes are free
        ([0, 1, 2, 3], 4, "wait", FIRST_DELAY - 1),  # the fourth makes the next wait 30 s
        ([0, 1, 2, 3], 40, "ok", 0),  # ...and then the wait has passed
        ([0, 1, 2, 3, 40], 41, "wait", 2 * FIRST_DELAY - 1),  # the fifth doubles it
        ([0] * LOCKOUT_AT, 1, "locked", 15 * 60 - 1),  # ten: locked for the window
        ([0] * LOCKOUT_AT, 16 * 60, "ok", 0),  # wrong codes older than the window are forgotten
    ],
)
def test_the_limit_on_wrong_codes(tries: list[float], at: float, kind: str, wait: float) -> None:
    now = {"t": 10_000.0}
    limiter = AttemptLimiter(clock=lambda: now["t"])
    for offset in tries:
        now["t"] = 10_000.0 + offset
        limiter.attempt("192.0.2.1", right=False)
    now["t"] = 10_000.0 + at
    state = limiter.state("192.0.2.1")
    assert (state.kind, round(state.wait)) == (kind, round(wait))
    assert limiter.state("192.0.2.2").kind == "ok"  # another address is not affected
