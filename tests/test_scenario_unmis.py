"""unmis-tob as a course director runs it: the shipped speed gives every window five real
minutes, `duration` says what the paths play, and the 2-hour recipe in its sheet works as
printed (issue 12)."""

from __future__ import annotations

import re
import shlex
import signal
import subprocess
import sys
from pathlib import Path

from exercise_engine.loading import load_scenario
from tests.conftest import REPO, run_cli

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
    """play move 1 from a playthrough, fork after the jump into D2, run the fork: the fork opens
    in move 2 at the shipped speed and the live run delivers D2's first inject."""
    play, fork, run = _recipe()
    assert [c[:2] for c in (play, fork, run)] == [
        ["exercise-engine", "play"],
        ["exercise-engine", "fork"],
        ["exercise-engine", "run"],
    ]

    def here(args: list[str]) -> list[str]:
        """Journals in the test's folder; the repository's files where the sheet names them."""
        return [
            str(tmp_path / a) if a.endswith(".db") else str(REPO / a) if "/" in a else a
            for a in args[1:]
        ]

    played = run_cli(*here(play))
    assert played.returncode == 0, played.stderr
    forked = run_cli(*here(fork))
    assert forked.returncode == 0, forked.stderr
    assert "entering 'pushback'" in forked.stdout and "phase 'pushback'" in forked.stdout
    live = subprocess.Popen(
        [sys.executable, "-m", "exercise_engine", *here(run), "--headless"],
        cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert live.stdout is not None
        seen = []
        for line in live.stdout:
            seen.append(line)
            if "delivered  tob-10" in line:
                break
        assert any("resumed" in x for x in seen), seen
        assert any("delivered  tob-10" in x for x in seen), seen
    finally:
        live.send_signal(signal.SIGINT)
        live.wait(timeout=60)
    status = run_cli("status", str(tmp_path / "d2.db")).stdout
    assert "phase pushback" in status and "speed x2" in status
