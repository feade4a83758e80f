"""What the consoles show, as pure functions of the scenario and a state: table-driven."""

from __future__ import annotations

from pathlib import Path

import pytest

from exercise_engine.clock import VirtualClock
from exercise_engine.engine import PointState
from exercise_engine.exercise import Exercise
from exercise_engine.runtime import advance_clock_to
from exercise_engine.ui.codes import ALPHABET, check_code, code_from, normalise
from exercise_engine.ui.facilitator.console import next_speed
from exercise_engine.ui.serve import base_url, index_page, plan
from exercise_engine.ui.views.board import (
    advice_marks,
    board_cells,
    board_rows,
    board_widths,
    urgency,
)
from exercise_engine.ui.views.columns import Column, fit_widths, wrap_cell
from exercise_engine.ui.views.inbox import consulted_points, inbox_for, points_for
from exercise_engine.ui.views.msel import msel_rows
from exercise_engine.ui.views.shared_log import shared_line
from exercise_engine.ui.views.timefmt import (
    clock_text,
    countdown_text,
    duration_text,
    scenario_time_text,
    short_duration,
)
from tests.ui.helpers import START, mini_scenario

MIN = 60


@pytest.fixture
def played(tmp_path: Path) -> Exercise:
    """The mini scenario at 00:10: the FC decided, the HoM's radio window expired."""
    clock = VirtualClock(START)
    ex = Exercise.create(tmp_path / "v.db", mini_scenario(tmp_path), clock)
    ex.open_briefing()
    ex.start()
    advance_clock_to(ex, clock, 5 * MIN)
    ex.advise(role="police_commissioner", inject="crowd", decision="posture", text="calm")
    ex.decide(role="force_commander", inject="crowd", decision="posture", option="deploy")
    ex.inject_manually(title="Minister", body="calls", to=["hom"])
    advance_clock_to(ex, clock, 10 * MIN)
    return ex


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (0, "00:00:00"),
        (61, "00:01:01"),
        # hours pass 24 in a two-day exercise
        (25 * 3600, "25:00:00"),
        # never negative
        (-5, "00:00:00"),
    ],
)
def test_clock_text(seconds: int, text: str) -> None:
    assert clock_text(seconds) == text


@pytest.mark.parametrize(
    ("deadline", "now", "speed", "running", "text"),
    [
        # no window on the point
        (None, 0, 1, True, "no deadline"),
        # the deadline on the scenario clock (start Tue 05:00); real time = exercise time at x1
        (600, 0, 1, True, "due Tue 05:10, 10 min left"),
        # at x10 a ten-minute window is a minute of real time
        (600, 0, 10, True, "due Tue 05:10, 1 min left"),
        # minutes and seconds, as the room reads them aloud
        (600, 330, 1, True, "due Tue 05:10, 4 min 30 s left"),
        # under a minute of real time; rounded up, never "0 s" while time remains
        (600, 599, 10, True, "due Tue 05:10, 1 s left"),
        # a paused clock stops the countdown
        (600, 0, 10, False, "due Tue 05:10, 1 min left (clock paused)"),
        # the window has closed
        (600, 600, 1, True, "due Tue 05:10, time is up"),
        # a deadline past midnight on day two reads as Wednesday, not "24:00"
        (24 * 3600 + 600, 24 * 3600, 1, True, "due Wed 05:10, 10 min left"),
    ],
)
def test_countdown_text(
    tmp_path: Path, deadline: int | None, now: int, speed: float, running: bool, text: str
) -> None:
    scenario = mini_scenario(tmp_path)
    assert countdown_text(scenario, deadline, now, speed, running) == text


@pytest.mark.parametrize(
    ("seconds", "words", "short"),
    [
        (0, "0 s", "0s"),
        (45, "45 s", "45s"),
        (270, "4 min 30 s", "4m30s"),
        # whole minutes drop the seconds in words
        (600, "10 min", "10m00s"),
        (3900, "1 h 05 min", "1h05m"),
    ],
)
def test_durations(seconds: int, words: str, short: str) -> None:
    assert (duration_text(seconds), short_duration(seconds)) == (words, short)


@pytest.mark.parametrize(
    ("text", "width", "lines", "expected"),
    [
        # fits: unchanged
        ("Deploy the company?", 20, 2, ["Deploy the company?"]),
        # wraps onto a second line at a word
        ("What goes to New York this morning?", 20, 2, ["What goes to New", "York this morning?"]),
        # too long for two lines: cut at a word, marked with an ellipsis, never wider
        (
            "What are the humanitarians told, and how are their people kept out of harm's way?",
            20,
            2,
            ["What are the", "humanitarians told…"],
        ),
        # a single line column
        ("DSRSG-RC/HC", 6, 1, ["DSRSG…"]),
        # whitespace and newlines collapse
        ("a\n  b", 10, 2, ["a b"]),
        ("", 10, 2, [""]),
    ],
)
def test_wrap_cell(text: str, width: int, lines: int, expected: list[str]) -> None:
    got = wrap_cell(text, width, lines)
    assert got == expected
    assert all(len(line) <= width for line in got)


@pytest.mark.parametrize(
    ("total", "expected"),
    [
        # the fixed columns keep their width; the prose shares the rest 3:2 (gaps of one cell)
        (60, [10, 6, 24, 16]),
        # a wider screen gives all the extra room to the prose
        (120, [10, 6, 60, 40]),
        # too narrow: the prose keeps its minimum (the table scrolls rather than drop a column)
        (20, [10, 6, 12, 10]),
    ],
)
def test_fit_widths(total: int, expected: list[int]) -> None:
    columns = [
        Column("Seat", 10),
        Column("Advice", 6),
        Column("Decision", share=3, minimum=12),
        Column("Answer", share=2, minimum=10),
    ]
    assert fit_widths(columns, total) == expected


@pytest.mark.parametrize(
    ("speed", "up", "expected"),
    [
        (1, True, 2),
        (10, False, 5),
        # between rungs: to the next one in the asked direction
        (7, True, 10),
        (7, False, 5),
        # the ends stay put
        (600, True, 600),
        (1, False, 1),
    ],
)
def test_speed_ladder(speed: float, up: bool, expected: float) -> None:
    assert next_speed(speed, up) == expected


def test_scenario_time_is_clock_start_plus_exercise_time(tmp_path: Path) -> None:
    scenario = mini_scenario(tmp_path)
    assert scenario_time_text(scenario, 90 * MIN) == "Tue 07 Oct 2014 06:30"


def test_msel_states(played: Exercise) -> None:
    rows = {r.inject: r for r in msel_rows(played.scenario, played.state)}
    assert {k: r.state for k, r in rows.items()} == {
        "open": "delivered",
        "crowd": "decided",
        "radio": "expired",
        "police": "awaiting decision",
        "icrc": "contingency",
        "manual-1": "delivered",
    }
    # times on the scenario clock (start Tue 05:00), like the top bar and the inboxes
    assert rows["radio"].detail == "Tue 05:08"  # expired when its five-minute window closed
    assert rows["police"].detail == "due Tue 05:34"
    assert rows["crowd"].time == "Tue 05:02"
    assert rows["icrc"].time == "--:--" and rows["icrc"].manual
    assert rows["crowd"].to == "FC PC"  # the variant's audience counts too
    assert [r.inject for r in msel_rows(played.scenario, played.state)][-1] == "icrc"


def test_board_rows_open_first_with_advice_counts(played: Exercise) -> None:
    rows = board_rows(played.scenario, played.state, played.now(), True)
    assert [(r.key, r.state) for r in rows] == [
        (("police", "support"), "open"),
        (("radio", "statement"), "expired"),
        (("crowd", "posture"), "decided"),
    ]
    crowd = rows[2]
    assert crowd.advice == "1/2"  # one of the two consulted roles has advised
    assert advice_marks(played.scenario, played.state, ("crowd", "posture")) == "PC ✓  HoM ·"
    assert crowd.answer == "Deploy between the crowds"
    # open: the deadline on the scenario clock over the real time left; closed: when
    assert [r.time for r in rows] == [("Tue 05:34", "24m00s left"), ("Tue 05:08",), ("Tue 05:05",)]
    assert [
        r.key for r in board_rows(played.scenario, played.state, played.now(), True, owed_only=True)
    ] == [("police", "support")]


def _point(
    inject: str, status: str, deadline: int | None, closed_at: int | None = None
) -> PointState:
    return PointState(inject, "d", "hom", 0, deadline, "one", status=status, closed_at=closed_at)


def test_urgency_order() -> None:
    """Open with the least time left first, then open without a window (pending), then closed,
    the latest first."""
    points = [
        _point("closed-early", "decided", 600, closed_at=100),
        _point("pending", "open", None),
        _point("late", "open", 900),
        _point("closed-late", "expired", 600, closed_at=600),
        _point("soon", "open", 300),
    ]
    assert [p.inject for p in sorted(points, key=urgency)] == [
        "soon",
        "late",
        "pending",
        "closed-late",
        "closed-early",
    ]


@pytest.mark.parametrize("total", [76, 78, 155])
def test_board_columns_fit_every_width(played: Exercise, total: int) -> None:
    """At 80 columns, at 120 (beside the world gauges) and in a wide browser, the scanned
    columns are whole and the row fits the width: only the prose wraps."""
    rows = board_rows(played.scenario, played.state, played.now(), True)
    widths = board_widths(played.scenario, rows, total)
    assert sum(widths) + len(widths) <= total
    for row in rows:
        cells = board_cells(row, widths)
        seat, state, time, advice = cells[:4]
        assert (seat, state, time, advice) == (
            [row.seat],
            [row.state],
            list(row.time),
            [row.advice],
        )
        assert all(
            len(line) <= width for cell, width in zip(cells, widths, strict=True) for line in cell
        )


@pytest.mark.parametrize(
    ("role", "titles", "bodies_absent"),
    [
        # the FC reads the main text of the crowd inject, never the police variant
        (
            "force_commander",
            ["Crowd at the gate", "Opening update"],
            ["PC-VARIANT-TEXT", "HOM-PRIVATE-TEXT", "PC-PRIVATE-TEXT"],
        ),
        # the PC reads its own variant and its private inject
        (
            "police_commissioner",
            ["Police ask for support", "Police hear of a crowd", "Opening update"],
            ["SECRET-FC-TEXT", "HOM-PRIVATE-TEXT"],
        ),
        # the HoM gets the radio inject and the manual inject addressed to it
        (
            "hom",
            ["Minister", "Radio asks for comment", "Opening update"],
            ["SECRET-FC-TEXT", "PC-VARIANT-TEXT", "PC-PRIVATE-TEXT"],
        ),
    ],
)
def test_inbox_shows_only_the_roles_own_copy(
    played: Exercise, role: str, titles: list[str], bodies_absent: list[str]
) -> None:
    items = inbox_for(played.scenario, played.state, role)
    assert [i.title for i in items] == titles
    text = "\n".join(f"{i.title} {i.sender} {i.body}" for i in items)
    for secret in bodies_absent:
        assert secret not in text


def test_points_for_a_role_and_consultations(played: Exercise) -> None:
    state, scenario = played.state, played.scenario
    assert [(p.inject, p.status) for p in points_for(state, "police_commissioner")] == [
        ("police", "open")
    ]
    assert [p.inject for p in consulted_points(scenario, state, "hom")] == ["crowd"]
    assert consulted_points(scenario, state, "force_commander") == []


def test_shared_log_carries_decisions_and_phases_but_no_inject_text(played: Exercise) -> None:
    lines = [
        line
        for e in played.journal.events()
        if (line := shared_line(played.scenario, e)) is not None
    ]
    text = "\n".join(lines)
    assert "Force Commander decided: Deploy between the crowds — Soldiers stand" in text
    assert "Police Commissioner gave advice to the Force Commander" in text
    assert "New phase: Phase two" in text
    assert "did not decide in time — The radio broadcasts without the mission." in text
    for private in ("SECRET", "VARIANT", "PRIVATE", "Crowd at the gate", "Minister", "calm"):
        assert private not in text


@pytest.mark.parametrize(
    ("typed", "ok"),
    [
        # the code exactly
        ("{code}", True),
        # case, spaces and dashes do not matter
        ("{lower}", True),
        ("{spaced}", True),
        # another seat's code
        ("{other}", False),
        ("", False),
    ],
)
def test_join_codes(typed: str, ok: bool) -> None:
    codes = {s: code_from("secret", "hash", s) for s in ("facilitator", "hom", "force_commander")}
    code = codes["hom"]
    text = typed.format(
        code=code,
        lower=code.lower(),
        spaced=f" {code[:3]}-{code[3:]} ",
        other=codes["force_commander"],
    )
    assert check_code(codes, "hom", text) is ok
    assert len(code) == 8 and set(code) <= set(ALPHABET)
    assert normalise(f" {code.lower()} ") == code


def test_codes_differ_per_seat_and_per_secret() -> None:
    seats = ["facilitator", "hom", "force_commander", "police_commissioner"]
    assert len({code_from("s", "h", seat) for seat in seats}) == len(seats)
    assert code_from("s", "h", "hom") == code_from("s", "h", "hom")
    assert code_from("s", "h", "hom") != code_from("t", "h", "hom")


@pytest.mark.parametrize(
    ("host", "public_url", "expected"),
    [
        # loopback: browsers on this machine
        ("127.0.0.1", None, ("http", "127.0.0.1")),
        # a LAN: the public URL decides what the links say (its port is ignored)
        ("0.0.0.0", "http://192.168.1.20:9000", ("http", "192.168.1.20")),
        # a bare address is taken as http
        ("0.0.0.0", "10.0.0.5", ("http", "10.0.0.5")),
    ],
)
def test_base_url(host: str, public_url: str | None, expected: tuple[str, str]) -> None:
    assert base_url(host, public_url) == expected


def test_plan_gives_each_seat_the_next_port_and_the_index_no_codes(tmp_path: Path) -> None:
    titles = {"facilitator": "Facilitator", "hom": "Head of Mission"}
    codes = {"facilitator": "AAAAAA", "hom": "BBBBBB"}
    index, seats = plan(
        tmp_path / "ex.db", titles, codes, host="0.0.0.0", port=8000, public_url="http://10.0.0.5"
    )
    assert index == "http://10.0.0.5:8000"
    assert [(s.seat, s.port, s.url) for s in seats] == [
        ("facilitator", 8001, "http://10.0.0.5:8001"),
        ("hom", 8002, "http://10.0.0.5:8002"),
    ]
    assert seats[1].command.endswith("--role hom --ask-code")
    page = index_page("Mini", seats)
    assert "http://10.0.0.5:8002/" in page and "BBBBBB" not in page
