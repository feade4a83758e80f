"""Hostile text on the consoles: shown, never obeyed.

A rationale, advice, a note, a manual inject, a scenario title or a role argument can carry
terminal escape sequences (OSC 0 retitles the window, OSC 52 writes the clipboard, CSI 2J clears
the screen, a C1 CSI does the same in one byte) and Textual markup (``[bold]``, ``[link=...]``,
``[@click=...]``). Every console screen that shows them is drawn, and each rendered line is
checked: no control character reaches the terminal, and the markup is shown as typed.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from textual.widgets import DataTable, TabbedContent

from exercise_engine.clock import VirtualClock
from exercise_engine.exercise import Exercise
from exercise_engine.loading import load_snapshot
from exercise_engine.safe_text import printable
from exercise_engine.ui.base import ConsoleApp
from exercise_engine.ui.facilitator.app import FacilitatorApp
from exercise_engine.ui.participant.app import ParticipantApp
from exercise_engine.ui.participant.inbox import Inbox
from exercise_engine.ui.safe_output import shown
from tests.ui.helpers import SCENARIO, START, run_in, screen_text, settle

EVIL = "\x1b]0;pwned\x07\x1b]52;c;ZXZpbA==\x07\x1b[2J\x9b2J\x7f"
"""Retitle the window, write the clipboard, clear the screen (7-bit and C1), a DEL."""
MARKUP = "[bold]loud[/bold] [link=http://evil.example]here[/link] [@click=app.quit]x[/]"


def hostile_exercise(folder: Path) -> tuple[Path, VirtualClock]:
    """The mini exercise under a hostile title, with hostile text from every kind of writer."""
    text = SCENARIO.replace(
        'title = "Mini console exercise"',
        'title = "Mini \\u001b]0;pwned\\u0007 [bold]exercise[/bold]"',
    )
    scenario = load_snapshot(json.dumps([{"name": "uimini.toml", "text": text}]))
    clock = VirtualClock(START)
    db = folder / "ex.db"
    ex = Exercise.create(db, scenario, clock)
    ex.open_briefing()
    ex.start()
    clock.advance(5 * 60)
    ex.tick()
    ex.advise(
        role="police_commissioner",
        inject="crowd",
        decision="posture",
        text=f"advice {EVIL} {MARKUP}",
        recommend="deploy",
    )
    ex.decide(
        role="force_commander",
        inject="crowd",
        decision="posture",
        option="deploy",
        rationale=f"rationale {EVIL} {MARKUP}",
    )
    ex.decide(role=f"fc{EVIL}", inject="crowd", decision="posture", option="deploy")
    ex.note(f"note {EVIL} {MARKUP}")
    ex.inject_manually(
        title=f"manual {EVIL} {MARKUP}",
        body=f"body {EVIL} {MARKUP}",
        to=["police_commissioner"],
        sender=f"sender {EVIL}",
    )
    ex.close()
    return db, clock


def raw_controls(app: ConsoleApp) -> list[str]:
    """Every rendered segment of the screen holding a control character (what would reach the
    terminal or the browser page as-is)."""
    update = app.screen._compositor.render_update(full=True)
    bad = []
    for strip in update.strips:
        for segment in strip:
            if any(ord(c) < 32 or 0x7F <= ord(c) < 0xA0 for c in segment.text):
                bad.append(segment.text)
    return bad


async def test_the_facilitator_console_shows_hostile_text_without_obeying_it(
    tmp_path: Path,
) -> None:
    db, clock = hostile_exercise(tmp_path)
    app = FacilitatorApp(db, clock=clock, poll_interval=None)
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        assert "\x1b" not in app.title
        seen = ""
        for tab in ("1", "2", "3", "4", "5", "6"):
            await pilot.press(tab)
            await pilot.pause()
            assert raw_controls(app) == [], tab
            seen += screen_text(app)
            if tab == "2":  # the board's detail shows the highlighted point's advice and rationale
                table = app.screen.query_one("#board-table", DataTable)
                row = table.get_row_index("crowd/posture")
                await run_in(pilot, lambda t=table, r=row: t.move_cursor(row=r))
                assert raw_controls(app) == [], tab
                seen += screen_text(app)
        # The text is there, its controls spelled out and its markup as typed.
        for text in ("rationale \\x1b]0;pwned", "note \\x1b]0;pwned", "[bold]loud[/bold]"):
            assert text in seen, text
        assert app.is_running


async def test_a_participant_console_shows_hostile_text_without_obeying_it(
    tmp_path: Path,
) -> None:
    db, clock = hostile_exercise(tmp_path)
    app = ParticipantApp(db, "police_commissioner", clock=clock, poll_interval=None)
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        inbox = app.screen.query_one(Inbox)
        manual = next(key for key, item in inbox.items.items() if "manual" in item.title)
        await run_in(pilot, lambda: inbox.show(manual))
        await pilot.pause()
        assert raw_controls(app) == []
        seen = screen_text(app)
        for tab in ("decisions", "advice", "log", "briefing"):
            await run_in(
                pilot, lambda t=tab: setattr(app.screen.query_one(TabbedContent), "active", t)
            )
            assert raw_controls(app) == [], tab
            seen += screen_text(app)
        assert "manual \\x1b]0;pwned" in seen
        assert "[bold]loud[/bold]" in seen
        assert app.is_running


@pytest.mark.parametrize(
    "text",
    [
        "[bold]loud[/bold]",  # a style
        "[link=http://evil.example]here[/link]",  # a link
        "[@click=app.quit]x[/]",  # an action on click
        "[$accent]x[/]",  # a theme variable (Textual's own escape misses it)
        "\x1b[2J [bold]x[/bold]",  # a spelled-out CSI next to markup
        "C:\\path\\ [b]",  # backslashes
        "[] [[x]] a ] b",  # brackets that are no tags
    ],
)
def test_shown_text_reads_back_as_typed(text: str) -> None:
    from textual.content import Content

    assert Content.from_markup(shown(text)).plain == printable(text)
