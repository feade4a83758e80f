"""unmis-tob as a course director runs it: the shipped speed gives every window five real
minutes, `duration` says what the paths play, and the 2-hour recipe in its sheet works as
printed (issue 12)."""

from __future__ import annotations

import json
import re
import shlex
import signal
import subprocess
import sys
from pathlib import Path

from exercise_engine.loading import load_scenario
from tests.conftest import REPO, run_cli
from tests.start_at_helpers import class_play_seconds

SCENARIO = REPO / "scenarios" / "unmis-tob.toml"
SHEET = REPO / "docs" / "scenarios" / "unmis-tob.md"


def test_every_window_lasts_five_real_minutes_at_the_shipped_speed() -> None:
    s = load_scenario(SCENARIO)
    speed = s.file.clock.speed
    windows = {
        f"{i.id}/{p.id}": p.respond_within for i, p in s.decision_points() if p.respond_within
    }
    assert windows
    short = {k: w / speed for k, w in windows.items() if w / speed < 300}
    assert not short, f"under 5 real minutes at speed {speed}: {short}"


def test_duration_agrees_with_what_a_playthrough_plays(tmp_path: Path) -> None:
    """The robust path's play time (jumps excluded) at the shipped speed is within 25% of the
    `duration` the course director plans a slot around, and fits a 3-hour slot."""
    s = load_scenario(SCENARIO)
    played = run_cli(
        "play", "unmis-tob", "--decisions",
        str(REPO / "scenarios/playthroughs/unmis-tob/robust.toml"),
        "--exercise", str(tmp_path / "r.db"),
    )  # fmt: skip
    assert played.returncode == 0, played.stderr
    hours, minutes = re.search(r"; (\d+):(\d\d) of play", played.stdout).groups()  # type: ignore[union-attr]
    real = (int(hours) * 3600 + int(minutes) * 60) / s.file.clock.speed
    assert s.file.duration is not None
    assert abs(real - s.file.duration) <= 0.25 * s.file.duration
    assert s.file.duration <= 3 * 3600 - 30 * 60  # leaves a briefing and a wash-up


def _recipe() -> list[list[str]]:
    text = SHEET.read_text(encoding="utf-8")
    block = text.split("## The 2-hour version", 1)[1].split("```", 2)[1]
    return [shlex.split(line) for line in block.strip().splitlines()]


def test_the_two_hour_recipe_runs_as_printed(tmp_path: Path) -> None:
    """One `run --start-at pushback` line: D1 is pre-played from the reference playthrough and
    the run opens in move 2 at the shipped speed, ready for the class (no real-time wait here:
    what the live clock then delivers is the engine's, tested on the virtual clock)."""
    (run,) = _recipe()
    assert run[:2] == ["exercise-engine", "run"] and "--start-at" in run
    here = [str(tmp_path / a) if a.endswith(".db") else a for a in run[1:]]
    live = subprocess.Popen(
        [sys.executable, "-m", "exercise_engine", *here, "--headless"],
        cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert live.stdout is not None
        seen = []
        for line in live.stdout:
            seen.append(line)
            if "resumed" in line:
                break
        assert any("resumed" in x for x in seen), seen
    finally:
        live.send_signal(signal.SIGINT)
        live.wait(timeout=60)
    status = run_cli("status", str(tmp_path / "d2.db")).stdout
    assert "phase pushback" in status and "speed x2" in status


def test_the_two_hour_version_fits_two_hours(tmp_path: Path) -> None:
    """The class's part (D2 to D12, from the robust D1) plays under two real hours at speed 2,
    and the report scores no seat for D1."""
    db = tmp_path / "short.db"
    played = run_cli(
        "play", "unmis-tob", "--decisions",
        str(REPO / "scenarios/playthroughs/unmis-tob/robust.toml"),
        "--exercise", str(db), "--start-at", "pushback",
    )  # fmt: skip
    assert played.returncode == 0, played.stdout + played.stderr
    real = class_play_seconds(db) / load_scenario(SCENARIO).file.clock.speed
    assert 1.5 * 3600 <= real <= 2 * 3600, real / 60
    report = json.loads(run_cli("report", str(db), "--format", "json").stdout)
    pre = {d["key"].split("/")[0] for d in report["pre_played"]}
    assert pre and pre <= {"tob-02", "tob-03", "tob-04", "tob-05", "tob-06"}, pre


def _events(tmp_path: Path, playthrough: str) -> str:
    db = tmp_path / f"{playthrough}.db"
    played = run_cli(
        "play", "unmis-tob", "--decisions",
        str(REPO / f"scenarios/playthroughs/unmis-tob/{playthrough}.toml"), "--exercise", str(db),
    )  # fmt: skip
    assert played.returncode == 0, played.stdout + played.stderr
    return run_cli("status", str(db), "--events").stdout


def test_the_base_incident_fires_when_the_guard_is_thinned_and_only_then(tmp_path: Path) -> None:
    """The TOB (robust) thins the airfield guard: intruders reach the fuel farm and the FC and
    the CSA each decide. Patrols and day flights (cautious) keep the guard: no incident."""
    thinned = _events(tmp_path, "robust")
    assert "delivered  tob-23" in thinned
    assert "decided    tob-23/airfield-guard by force_commander" in thinned
    assert "decided    tob-23/staff-posture by csa" in thinned
    kept = _events(tmp_path, "cautious")
    assert "tob-23" not in kept


def test_the_field_package_draws_abyei_and_the_budget_desk(tmp_path: Path) -> None:
    """Committing the field package has a scripted cost: Abyei protests and DOS asks by D5."""
    robust = _events(tmp_path, "robust")
    assert "delivered  tob-24" in robust and "delivered  tob-25" in robust
    assert "decided    tob-24/abyei-module by dms" in robust


def test_endings_read_the_static_side_and_consent() -> None:
    s = load_scenario(SCENARIO)
    conditions = " ".join(e.when for e in s.file.end)
    for name in ("base_security", "sustainment", "tcc_trust", "host_consent", "civilian_risk"):
        assert name in conditions, name


def test_first_light_is_scored_honestly_and_not_as_the_designated_officials_call() -> None:
    s = load_scenario(SCENARIO)
    point = next(p for i, p in s.decision_points() if i.id == "tob-32")
    first = next(o for o in point.options if o.id == "first-light")
    assert any(v < 0 for v in first.evidence.values()) or any(v < 0 for v in first.effects.values())
    assert "sec.do-smt-chain" not in first.evidence
    assert "Designated Official:" not in point.prompt


def test_lint_craft_checks_are_clean_for_the_fixed_items() -> None:
    """The craft checks of `lint` (dead flags, school solutions and label tells, clock words,
    playability at the shipped speed, seats that decide twice, effects that never bite) report
    nothing."""
    linted = run_cli("lint", "unmis-tob", "--max-runs", "120")
    assert linted.returncode == 0, linted.stderr
    for check in (
        "1. Flags and variables that go nowhere",
        "2. School solutions and label tells",
        "3. Clock words that contradict the clock",
        "4. Playability at the shipped speed",
        "5. Seats",
        "6. Effects that never bite",
    ):
        line = next(x for x in linted.stdout.splitlines() if x.strip().startswith(check))
        assert line.rstrip().endswith("none"), line


def test_field_office_and_csa_decide_on_both_branches(tmp_path: Path) -> None:
    """On the TOB path (robust) the Head of Field Office decides twice and the SPLA-SAF
    near-clash at Abu Tuleih reaches the DSRSG (Political); on the non-TOB path (cautious) the
    field office and the CSA each decide on the displaced reaching Malakal."""
    robust = _events(tmp_path, "robust")
    assert robust.count("by head_of_field_office") == 2
    assert "decided    tob-27/near-clash by dsrsg_pol" in robust
    cautious = _events(tmp_path, "cautious")
    assert "tob-27" not in cautious
    assert cautious.count("by head_of_field_office") == 2
    assert "decided    tob-28/staff-to-km85 by csa" in cautious


def test_the_dms_answers_the_budget_query_at_a_cost(tmp_path: Path) -> None:
    """tob-25 is a DMS decision (issue 12): on the robust path the DMS prices the package and
    names what slips; every option of the point moves some variable the wrong way."""
    events = _events(tmp_path, "robust")
    assert "decided    tob-25/budget-answer by dms: price-and-offset" in events
    s = load_scenario(SCENARIO)
    point = s.decision_point("tob-25", "budget-answer")
    assert point is not None and point.role == "dms"
    for option in point.options:
        assert any(v < 0 for v in option.effects.values()), option.id
    assert any("tob-25/budget-answer" in o.points for o in s.file.objectives)
