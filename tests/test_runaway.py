"""A scenario that validates but cannot go on at run time stops cleanly, naming why.

Two ways (issue 14): a condition whose arithmetic fails in some state (a division by a variable
that reached 0), and phase transitions that undo each other at one moment. Either way ``play``
prints one line naming the condition or the loop, exits 2, shows no traceback, and leaves the
journal paused (not "running" on a scenario that cannot move).
"""

from __future__ import annotations

from pathlib import Path

from tests.conftest import REPO, run_cli

TUTORIAL = (REPO / "scenarios" / "tutorial.toml").read_text(encoding="utf-8")
ROBUST = str(REPO / "scenarios" / "playthroughs" / "tutorial" / "robust.toml")


def _play(tmp_path: Path, text: str) -> tuple[int, str, str]:
    scenario = tmp_path / "s.toml"
    scenario.write_text(text, encoding="utf-8")
    checked = run_cli("validate", str(scenario))
    assert checked.returncode == 0, checked.stdout + checked.stderr  # it does validate
    db = tmp_path / "x.db"
    played = run_cli("play", str(scenario), "--decisions", ROBUST, "--exercise", str(db))
    status = run_cli("status", str(db))
    return played.returncode, played.stderr, status.stdout


def test_division_by_zero_at_run_time_names_the_condition(tmp_path: Path) -> None:
    # tension starts at 40: the first look at this transition divides by zero
    text = TUTORIAL.replace("tension >= 60 or", "tension / (tension - 40) >= 60 or")
    code, err, status = _play(tmp_path, text)
    assert code == 2
    assert "Traceback" not in err
    assert "transitions[0] (rumour -> standoff)" in err
    assert "cannot be evaluated: division by zero" in err
    assert "status paused" in status  # not left "running"


def test_transitions_that_undo_each_other_stop_with_the_loop_named(tmp_path: Path) -> None:
    # standoff leads back to rumour whenever tension > -1 (always, but not written "true"):
    # validation cannot know; at 00:30 the engine would change phase forever
    leave = 'from = "standoff"\nto = "aftermath"\nwhen = "elapsed >= \'01:00\'"'
    assert leave in TUTORIAL
    back = 'from = "standoff"\nto = "rumour"\nwhen = "tension > -1"\n#'
    text = TUTORIAL.replace(leave, back).replace("\ngate = true", "\n# gate = true")
    code, err, status = _play(tmp_path, text)
    assert code == 2
    assert "Traceback" not in err
    assert "phase transitions loop at 00:30: rumour -> standoff -> rumour" in err
    assert "transitions[0], transitions[1]" in err
    assert "status paused" in status


def test_a_decisions_file_nested_too_deep_is_one_line(tmp_path: Path) -> None:
    """tomllib recurses once per level of brackets: 1,000 levels used to end in RecursionError."""
    deep = tmp_path / "deep.toml"
    deep.write_text("title = 'x'\nx = " + "{a=" * 1000 + "1" + "}" * 1000 + "\n", encoding="utf-8")
    result = run_cli(
        "play", "tutorial", "--decisions", str(deep), "--exercise", str(tmp_path / "d.db")
    )
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert f"{deep}:2: TOML syntax: lists or tables nested too deeply to read" in result.stderr
    assert not (tmp_path / "d.db").exists()
