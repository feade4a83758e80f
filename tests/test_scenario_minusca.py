"""Pins the course-ready fixes of minusca-bambari (issue 12, part B), by playing the real CLI.

Each test plays a bundled playthrough (or a one-line edit of it) headless and reads the journal
through `status --events`, the way a course director would check the run.
"""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from collections import Counter
from pathlib import Path

from tests.start_at_helpers import class_play_seconds

ROOT = Path(__file__).resolve().parent.parent
PLAYS = ROOT / "scenarios" / "playthroughs" / "minusca-bambari"


def _events(tmp_path: Path, decisions: Path, name: str) -> str:
    """Play `decisions` and return the numbered event listing of the journal."""
    db = tmp_path / f"{name}.db"
    cli = [sys.executable, "-m", "exercise_engine"]
    played = subprocess.run(
        [*cli, "play", "minusca-bambari", "--decisions", str(decisions), "--exercise", str(db)],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert played.returncode == 0, played.stderr
    status = subprocess.run(
        [*cli, "status", str(db), "--events"], capture_output=True, text=True, cwd=ROOT
    )
    assert status.returncode == 0, status.stderr
    return status.stdout


def _delivered(events: str) -> set[str]:
    return set(re.findall(r"\b(bmb-\w+)\b", events))


def test_forward_block_meets_the_column_at_the_baya_crossing(tmp_path: Path) -> None:
    events = _events(tmp_path, PLAYS / "blocked.toml", "blocked")
    seen = _delivered(events)
    assert {"bmb-03f", "bmb-25f"} <= seen
    assert "bmb-25" not in seen  # no "firefight at Km 40" bypass story when the block is forward


def test_strike_without_helicopters_forward_lands_later(tmp_path: Path) -> None:
    fast = _delivered(_events(tmp_path, PLAYS / "unwarned.toml", "fast"))
    assert "bmb-24" in fast and "bmb-24l" not in fast
    text = (PLAYS / "unwarned.toml").read_text(encoding="utf-8")
    assert 'option = "forward-and-exceed"' in text
    slow_file = tmp_path / "slow.toml"
    slow_file.write_text(
        text.replace('option = "forward-and-exceed"', 'option = "within-loa"'), encoding="utf-8"
    )
    slow = _delivered(_events(tmp_path, slow_file, "slow"))
    assert "bmb-24l" in slow and "bmb-24" not in slow


def _deciders(events: str) -> Counter[str]:
    return Counter(re.findall(r"decided\s+\S+ by (\w+):", events))


def test_dms_decides_in_the_crisis_move(tmp_path: Path) -> None:
    events = _events(tmp_path, PLAYS / "robust.toml", "robust")
    assert re.search(r"decided\s+bmb-23s/first-lift by dms:", events)


def test_every_seat_decides_twice_in_the_fullest_playthrough(tmp_path: Path) -> None:
    deciders = _deciders(_events(tmp_path, PLAYS / "robust.toml", "robust"))
    seats = [
        "hom",
        "dsrsg_pol",
        "dsrsg_rchc",
        "force_commander",
        "police_commissioner",
        "dms",
        "chief_of_staff",
        "strat_comms",
        "head_of_field_office",
    ]
    assert {seat: deciders[seat] for seat in seats if deciders[seat] < 2} == {}


def test_two_hour_recipe_runs_as_printed(tmp_path: Path) -> None:
    """docs/scenarios/minusca-bambari.md: one `run --start-at move-2` line; move 1 is pre-played,
    the class's moves 2 to 4 fit two hours at the sheet's speed and play to an ending."""
    doc = (ROOT / "docs" / "scenarios" / "minusca-bambari.md").read_text(encoding="utf-8")
    block = doc.split("## The 2-hour version", 1)[1].split("```", 2)[1]
    (line,) = [x for x in block.strip().splitlines()[1:] if x.strip()]
    args = shlex.split(line)
    assert args[:3] == ["exercise-engine", "run", "minusca-bambari"]
    assert "--start-at" in args and "--exercise" in args
    speed = float(args[args.index("--speed") + 1])
    cli = [sys.executable, "-m", "exercise_engine"]
    db = tmp_path / args[args.index("--exercise") + 1]
    here = [str(db) if a.endswith(".db") else a for a in args[1:]]
    ran = subprocess.run(
        [*cli, *here, "--headless", "--speed", "3600"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
    )
    assert ran.returncode == 0, ran.stderr
    assert "END" in ran.stdout
    status = subprocess.run(
        [*cli, "status", str(db), "--events"], capture_output=True, text=True, cwd=ROOT
    ).stdout
    assert "pre-played to 'escalation' from playthrough 'robust'" in status
    real = class_play_seconds(db) / speed
    assert 1.75 * 3600 <= real <= 2 * 3600, real / 60


def test_the_lines_location_reaches_the_crisis(tmp_path: Path) -> None:
    """Where bmb-02 put the line decides what the crisis asks: a ring 30 km out has no landmark
    where the column meets it (bmb-03r, the Force Commander's call); a line at the town edge
    leaves Goubali outside (bmb-03c, the field office's call); the Baya crossing needs neither."""
    ring = _events(tmp_path, PLAYS / "blocked.toml", "ring")
    edge = _events(tmp_path, PLAYS / "cautious.toml", "edge")
    baya = _events(tmp_path, PLAYS / "robust.toml", "baya")
    assert "decided    bmb-03r/confirm-crossing by force_commander" in ring
    assert "bmb-03c" not in ring
    assert "decided    bmb-03c/goubali by head_of_field_office" in edge
    assert "bmb-03r" not in edge
    assert "bmb-03r" not in baya and "bmb-03c" not in baya


def test_the_legal_adviser_decides_twice_on_every_path(tmp_path: Path) -> None:
    """The Legal Adviser owns two points delivered on every path: the HRDDP advice on the FACA
    company (bmb-11) and the legal basis in New York's account (bmb-36)."""
    for name in ("robust", "unwarned", "indecisive"):
        events = _events(tmp_path, PLAYS / f"{name}.toml", name)
        asked = re.findall(
            r"(?:decided|expired)\s+(bmb-11/hrddp-advice|bmb-36/legal-annex)", events
        )
        assert sorted(set(asked)) == ["bmb-11/hrddp-advice", "bmb-36/legal-annex"], (name, asked)
