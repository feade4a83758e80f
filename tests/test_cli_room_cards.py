"""``room`` and ``cards`` as a facilitator types them: bad input gets one line and a non-zero
exit; the printed cards hold every inject, one join-code slip per seat in play, and nothing
that a course network without internet could not load."""

from __future__ import annotations

import re
from pathlib import Path

from exercise_engine.clock import VirtualClock
from exercise_engine.exercise import Exercise
from exercise_engine.loading import load_scenario
from tests.conftest import run_cli
from tests.ui.helpers import SCENARIO, START, new_exercise


def test_room_on_a_missing_journal_says_so_in_one_line(tmp_path: Path) -> None:
    done = run_cli("room", str(tmp_path / "nope.db"))
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [
        f"exercise-engine room: no such exercise journal: {tmp_path / 'nope.db'}"
    ]
    assert not (tmp_path / "nope.db").exists()


def test_room_on_a_closed_exercise_points_to_the_report(tmp_path: Path) -> None:
    db, clock = new_exercise(tmp_path)
    exercise = Exercise.open(db, clock)
    exercise.start()
    exercise.end_scenario()
    exercise.close_hot_wash()
    exercise.close()
    done = run_cli("room", str(db))
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "this exercise is closed" in lines[0] and "report" in lines[0]
    assert "Traceback" not in done.stderr


def test_room_on_a_file_that_is_not_a_journal(tmp_path: Path) -> None:
    bogus = tmp_path / "notes.db"
    bogus.write_text("not a journal", encoding="utf-8")
    done = run_cli("room", str(bogus))
    assert done.returncode == 2
    assert len(done.stderr.strip().splitlines()) == 1
    assert "Traceback" not in done.stderr


def _cards(html: str) -> list[tuple[str, str]]:
    """(seat, inject) of every card on the page, in order."""
    found = []
    for section in re.findall(
        r'<section class="seat" data-seat="([^"]+)">(.*?)</section>', html, re.S
    ):
        seat, body = section
        found.extend((seat, inject) for inject in re.findall(r'data-inject="([^"]+)"', body))
    return found


def test_cards_from_a_journal_have_every_inject_and_one_slip_per_seat_in_play(
    tmp_path: Path,
) -> None:
    db, clock = new_exercise(tmp_path)
    exercise = Exercise.open(db, clock)
    exercise.set_seat(role="hom", played=False)  # nobody sits the HoM today: no slip
    exercise.close()
    out = tmp_path / "cards.html"
    done = run_cli("cards", str(db), "--out", str(out))
    assert done.returncode == 0, done.stderr
    html = out.read_text(encoding="utf-8")
    cards = _cards(html)
    # every inject is on a card, under each seat that receives it, in that seat's own version
    scenario = load_scenario(_scenario_file(tmp_path))
    expected = {
        (seat, inject.id)
        for inject in scenario.injects.values()
        for seat in scenario.roles
        if scenario.copy_for(inject, seat) is not None
    }
    assert set(cards) == expected and len(cards) == len(expected)
    assert {inject for _seat, inject in cards} == set(scenario.injects)
    fc = html.split('data-seat="force_commander"')[1].split("</section>")[0]
    pc = html.split('data-seat="police_commissioner"')[1].split("</section>")[0]
    assert "SECRET-FC-TEXT" in fc and "SECRET-FC-TEXT" not in pc
    assert "PC-VARIANT-TEXT" in pc and "Deploy between the crowds" in fc
    assert "effects" not in html and "-20" not in html  # options' effects are not on a card
    # a page per seat; one slip per seat in play, each with that seat's code
    assert html.count("break-before: page") >= 1
    slips = re.findall(r'<div class="slip" data-seat="([^"]+)">', html)
    assert slips == ["force_commander", "police_commissioner"]
    from exercise_engine.ui.codes import read_codes

    probe = Exercise.open(db, VirtualClock(START), read_only=True)
    codes = read_codes(probe)
    probe.close()
    for seat in slips:
        assert codes[seat] in html
    assert codes["facilitator"] not in html
    # nothing from another host: no URL, no external stylesheet or font
    for loads in ("src=", "href=", "url(", "@import", "<link", "<script"):
        assert loads not in html.lower(), loads
    assert "3 join-code slip" not in done.stdout and "2 join-code slip(s)" in done.stdout


def _scenario_file(folder: Path) -> Path:
    path = folder / "uimini.toml"
    path.write_text(SCENARIO, encoding="utf-8")
    return path


def test_cards_from_a_scenario_and_bad_outputs(tmp_path: Path) -> None:
    scenario = _scenario_file(tmp_path)
    out = tmp_path / "c.html"
    done = run_cli("cards", str(scenario), "--out", str(out))
    assert done.returncode == 0, done.stderr
    assert "no join-code slips" in done.stdout
    assert 'class="slip"' not in out.read_text(encoding="utf-8")
    for bad, words in [
        (["cards", str(scenario), "--out", str(tmp_path / "c.txt")], ".html or .pdf"),
        (["cards", str(scenario), "--out", str(tmp_path / "no" / "c.html")], "does not exist"),
        (["cards", str(tmp_path / "gone.db"), "--out", str(out)], "no such exercise journal"),
        (["cards", "no-such-scenario", "--out", str(out)], "no-such-scenario"),
    ]:
        done = run_cli(*bad)
        assert done.returncode != 0, bad
        lines = done.stderr.strip().splitlines()
        assert len(lines) == 1 and words in lines[0], lines
