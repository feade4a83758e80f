"""A fork plays on at the scenario's shipped speed, not at the speed of the journal it came from
(``play`` journals run at 1 on a virtual clock): issue 12's fork recipe came back at speed 1."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import REPO, run_cli


def _played(tmp_path: Path) -> Path:
    db = tmp_path / "d1.db"
    played = run_cli(
        "play", "unmis-tob", "--decisions",
        str(REPO / "scenarios/playthroughs/unmis-tob/robust.toml"), "--exercise", str(db),
    )  # fmt: skip
    assert played.returncode == 0, played.stderr
    assert "speed x1" in run_cli("status", str(db)).stdout  # the source ran at 1
    return db


def test_fork_resumes_at_the_shipped_speed(tmp_path: Path) -> None:
    db = _played(tmp_path)
    out = tmp_path / "d2.db"
    forked = run_cli("fork", str(db), "--at", "42", "--out", str(out))
    assert forked.returncode == 0, forked.stderr
    assert "speed 2 (the source ran at 1)" in forked.stdout
    assert "speed x2" in run_cli("status", str(out)).stdout
    assert run_cli("verify", str(out)).returncode == 0


def test_fork_speed_can_be_chosen_and_is_checked(tmp_path: Path) -> None:
    db = _played(tmp_path)
    out = tmp_path / "d2.db"
    forked = run_cli("fork", str(db), "--at", "42", "--out", str(out), "--speed", "3")
    assert forked.returncode == 0, forked.stderr
    assert "speed x3" in run_cli("status", str(out)).stdout
    bad = run_cli("fork", str(db), "--at", "42", "--out", str(tmp_path / "d3.db"), "--speed", "0")
    assert bad.returncode == 2 and len(bad.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "d3.db").exists()
