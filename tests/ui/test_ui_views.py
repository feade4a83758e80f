"""What the consoles show, as pure functions of the scenario and a state: table-driven."""

from __future__ import annotations

from pathlib import Path

import pytest

from exercise_engine.clock import VirtualClock
from exercise_engine.exercise import Exercise
from exercise_engine.runtime import advance_clock_to
from exercise_engine.ui.codes import ALPHABET, check_code, code_from, normalise
from exercise_engine.ui.facilitator.console import next_speed
from exercise_engine.ui.serve import base_url, index_page, plan
from exercise_engine.ui.views.board import board_rows
from exercise_engine.ui.views.inbox import consulted_points, inbox_for, points_for
from exercise_engine.ui.views.msel import msel_rows
from exercise_engine.ui.views.shared_log import shared_line
from exercise_engine.ui.views.timefmt import clock_text, countdown_text, scenario_time_text
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
        # real time equals exercise time at speed 1
        (600, 0, 1, True, "00:10:00 left"),
        # at x10 a ten-minute window is a minute of real time
        (600, 0, 10, True, "00:10:00 left (about 1m 00s real)"),
        # under a minute of real time
        (600, 300, 10, True, "00:05:00 left (about 30s real)"),
        # a paused clock stops the countdown
        (600, 0, 10, False, "00:10:00 left (clock paused)"),
        # the window has closed
        (600, 600, 1, True, "time is up"),
    ],
)
def test_countdown_text(
    deadline: int | None, now: int, speed: float, running: bool, text: str
) -> None:
    assert countdown_text(deadline, now, speed, running) == text


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
    assert rows["radio"].detail == "00:08"  # expired when its five-minute window closed
    assert rows["police"].detail == "due 00:34"
    assert rows["icrc"].time == "--:--" and rows["icrc"].manual
    assert rows["crowd"].to == "FC PC"  # the variant's audience counts too
    assert [r.inject for r in msel_rows(played.scenario, played.state)][-1] == "icrc"


def test_board_rows_open_first_with_advice_marks(played: Exercise) -> None:
    rows = board_rows(played.scenario, played.state, played.now(), True)
    assert [(r.key, r.state) for r in rows] == [
        (("police", "support"), "open"),
        (("radio", "statement"), "expired"),
        (("crowd", "posture"), "decided"),
    ]
    crowd = rows[2]
    assert crowd.advice == "PC ✓  HoM ·"
    assert crowd.answer == "Deploy between the crowds"
    assert [r.timing for r in rows] == ["24:00 left", "at 00:08", "at 00:05"]


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
