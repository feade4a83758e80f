"""Every bundled scenario validates, every scripted playthrough reaches its asserted ending,
and between them the playthroughs deliver every timed inject (no unreachable inject ships)."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from exercise_engine.clock import VirtualClock
from exercise_engine.exercise import Exercise
from exercise_engine.loading import load_scenario
from exercise_engine.loading.playthrough import load_playthrough
from exercise_engine.runtime import play_script
from tests.conftest import REPO, run_cli

SCENARIOS = sorted((REPO / "scenarios").glob("*.toml"))
PLAYTHROUGHS = sorted((REPO / "scenarios" / "playthroughs").glob("*/*.toml"))


# The loops below are parametrized over what is found on disk: an empty or moved bundle would make
# them vanish (pytest skips an empty parameter set) instead of fail. These are the scenarios that
# ship, so a loop that finds fewer fails here.
BUNDLED = {"tutorial", "minusca-bambari", "unamid-saraf-umra", "unmis-tob"}


def test_the_bundle_the_loops_run_over_is_all_there() -> None:
    assert {p.stem for p in SCENARIOS} >= BUNDLED
    assert {p.parent.name for p in PLAYTHROUGHS} >= BUNDLED


def _play(path: Path, tmp_path: Path) -> Exercise:
    scenario = load_scenario(REPO / "scenarios" / f"{path.parent.name}.toml")
    script, _ = load_playthrough(path, scenario)
    clock = VirtualClock(time.time())
    exercise = Exercise.create(tmp_path / f"{path.stem}.db", scenario, clock, speed=1.0)
    result = play_script(exercise, clock, script)
    assert result.refusals == [], [r.reason for r in result.refusals]
    assert result.stuck == ""
    assert exercise.state.ending == script.expect.ending
    return exercise


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_bundled_scenario_validates_cleanly(path: Path) -> None:
    result = run_cli("validate", str(path.relative_to(REPO)))
    assert result.returncode == 0, result.stdout
    assert " 0 error(s)" in result.stdout


@pytest.mark.parametrize("path", PLAYTHROUGHS, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_playthrough_reaches_its_ending(path: Path, tmp_path: Path) -> None:
    _play(path, tmp_path)


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda p: p.stem)
def test_every_inject_is_delivered_in_some_playthrough(scenario: Path, tmp_path: Path) -> None:
    plays = [p for p in PLAYTHROUGHS if p.parent.name == scenario.stem]
    assert len(plays) >= 3, f"{scenario.stem} needs at least three playthroughs"
    delivered: set[str] = set()
    endings: set[str | None] = set()
    for path in plays:
        exercise = _play(path, tmp_path)
        delivered |= set(exercise.state.deliveries)
        endings.add(exercise.state.ending)
    loaded = load_scenario(scenario)
    timed = {i.id for i in loaded.injects.values() if not i.manual}
    assert timed - delivered == set(), "never delivered in any playthrough"
    assert len(endings) >= 2, "the playthroughs should reach different endings"


def test_play_cli_summary_and_expectation(tmp_path: Path) -> None:
    db = tmp_path / "x.db"
    ok = run_cli(
        "play",
        "tutorial",
        "--decisions",
        "scenarios/playthroughs/tutorial/robust.toml",
        "--exercise",
        str(db),
    )
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert "Ending: calm-restored" in ok.stdout
    assert "expect: ok (ending calm-restored, 1 delivered, 2 not delivered)" in ok.stdout
    again = run_cli(
        "play",
        "tutorial",
        "--decisions",
        "scenarios/playthroughs/tutorial/robust.toml",
        "--exercise",
        str(db),
    )
    assert again.returncode == 2 and "already exists" in again.stderr
    wrong = tmp_path / "wrong.toml"
    wrong.write_text(
        (REPO / "scenarios/playthroughs/tutorial/robust.toml")
        .read_text()
        .replace('ending = "calm-restored"', 'ending = "violence-spreads"')
    )
    failed = run_cli(
        "play", "tutorial", "--decisions", str(wrong), "--exercise", str(tmp_path / "y.db")
    )
    assert failed.returncode == 1
    assert "expected ending 'violence-spreads', reached 'calm-restored'" in failed.stderr
    assert "expect: ok" not in failed.stdout


@pytest.mark.parametrize(
    ("expect", "failure"),
    [
        # tut-07 is a manual inject: a scripted run never delivers it
        ('delivered = ["tut-07"]', "expected 'tut-07' to be delivered; it was not"),
        # robust does deliver tut-05: expecting it not delivered must fail
        ('not_delivered = ["tut-05"]', "expected 'tut-05' not to be delivered; it was"),
    ],
)
def test_play_fails_when_delivery_expectations_fail(
    tmp_path: Path, expect: str, failure: str
) -> None:
    text = (REPO / "scenarios/playthroughs/tutorial/robust.toml").read_text()
    wrong = tmp_path / "wrong.toml"
    wrong.write_text(text.split("[expect]")[0] + f"[expect]\n{expect}\n")  # only this expectation
    result = run_cli(
        "play", "tutorial", "--decisions", str(wrong), "--exercise", str(tmp_path / "d.db")
    )
    assert result.returncode == 1, result.stdout + result.stderr
    assert failure in result.stderr
    assert "expect: ok" not in result.stdout


@pytest.mark.parametrize(
    ("replace", "by", "message"),
    [
        # a role not in play in the tutorial
        ('role = "force_commander"', 'role = "dms"', "role 'dms' is not in play in 'tutorial'"),
        # an option the decision point does not have
        (
            'option = "separate"',
            'option = "seperate"',
            "tut-04/intervene has no option 'seperate' (did you mean 'separate'?)",
        ),
        # an impossible time
        ('at = "00:25"', 'at = "00:99"', "impossible time '00:99'"),
        # an unknown key
        (
            'rationale = "Minimum',
            'rational = "Minimum',
            "unknown key 'rational' (did you mean 'rationale'?)",
        ),
    ],
)
def test_bad_decisions_file_is_refused_with_its_line(
    tmp_path: Path, replace: str, by: str, message: str
) -> None:
    text = (REPO / "scenarios/playthroughs/tutorial/robust.toml").read_text()
    assert replace in text
    bad = tmp_path / "bad.toml"
    bad.write_text(text.replace(replace, by, 1))
    line = next(n for n, row in enumerate(bad.read_text().splitlines(), 1) if by in row)
    result = run_cli(
        "play", "tutorial", "--decisions", str(bad), "--exercise", str(tmp_path / "z.db")
    )
    assert result.returncode == 2
    assert f"{bad}:{line}:" in result.stderr
    assert message in result.stderr
    assert not (tmp_path / "z.db").exists()  # nothing half-played


def test_late_scripted_decision_is_reported_with_its_line(tmp_path: Path) -> None:
    text = (
        (REPO / "scenarios/playthroughs/tutorial/robust.toml")
        .read_text()
        .replace('at = "00:45"', 'at = "00:55"')
    )
    late = tmp_path / "late.toml"
    late.write_text(text.replace('ending = "calm-restored"', 'ending = "violence-spreads"'))
    result = run_cli(
        "play", "tutorial", "--decisions", str(late), "--exercise", str(tmp_path / "l.db")
    )
    assert result.returncode == 1
    assert "refused: late: the window for tut-04/intervene closed at 00:50" in result.stderr
