"""The commands a newcomer tries first, end to end as subprocesses (issues 14 and 17).

``list``, ``status`` (with ``--events`` for ``fork``), ``roles``, ``considerations``, ``advise``,
``decide`` and ``rate`` from the command line; what they print agrees with ``play``; the hints
they print work as printed; abbreviations and either case are accepted; every error goes to
stderr; text from a file or another user cannot drive the terminal.
"""

from __future__ import annotations

import shlex
import subprocess
import sys
import time
from pathlib import Path

import pytest

from exercise_engine.clock import VirtualClock
from exercise_engine.exercise import Exercise, Refused
from exercise_engine.loading import load_scenario
from tests.conftest import REPO, run_cli

ROBUST = "scenarios/playthroughs/tutorial/robust.toml"


@pytest.fixture(scope="module")
def played(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """The tutorial played to its end from the robust playthrough: the journal and play's output."""
    db = tmp_path_factory.mktemp("played") / "robust.db"
    result = run_cli("play", "tutorial", "--decisions", ROBUST, "--exercise", str(db))
    assert result.returncode == 0, result.stderr
    return db, result.stdout


@pytest.fixture
def open_point(tmp_path: Path) -> Path:
    """A tutorial exercise paused at 00:10 with tut-02/posture open (police_commissioner and hom
    consulted), made on a virtual clock: no waiting."""
    db = tmp_path / "open.db"
    clock = VirtualClock(time.time())
    exercise = Exercise.create(db, load_scenario(REPO / "scenarios" / "tutorial.toml"), clock)
    exercise.open_briefing()
    exercise.start()
    clock.advance(600 / exercise.state.speed)
    exercise.tick()
    assert ("tut-02", "posture") in exercise.state.points
    exercise.pause()
    exercise.close()
    return db


def test_list_length_is_what_play_runs(played: tuple[Path, str]) -> None:
    listing = run_cli("list")
    assert listing.returncode == 0, listing.stderr
    header, *rows = listing.stdout.splitlines()
    assert header.split()[-2:] == ["LENGTH", "CLOCK"]
    tutorial = next(row for row in rows if row.startswith("tutorial "))
    assert tutorial.split()[-2:] == ["01:20", "24:50"]
    # play of the same scenario ends at 24:50 on the clock, 01:20 of it at the table
    assert "(at 24:50; 01:20 of play, 23:30 skipped by jumps)" in played[1]
    ids = run_cli("list", "--ids")
    assert ids.stdout.split() == ["minusca-bambari", "tutorial", "unamid-saraf-umra", "unmis-tob"]


def test_status_of_a_finished_exercise_agrees_with_play(played: tuple[Path, str]) -> None:
    db, output = played
    status = run_cli("status", str(db))
    assert status.returncode == 0, status.stderr
    assert status.stdout.startswith("tutorial: Tutorial: the market at Kessa\n")
    assert "status ended | exercise time 24:50" in status.stdout
    assert "ending calm-restored: Calm restored" in status.stdout
    assert "Risk to civilians: 0 (0-100)" in status.stdout
    count = "11 of 14 (1 of them manual: delivered only by the facilitator)"
    assert f"injects delivered {count}; events 47" in status.stdout
    assert f"Injects delivered: {count}" in output  # the same words in play's summary


def test_status_events_number_them_for_fork(played: tuple[Path, str], tmp_path: Path) -> None:
    db = played[0]
    listed = run_cli("status", str(db), "--events")
    assert listed.returncode == 0, listed.stderr
    line = next(x for x in listed.stdout.splitlines() if "decided    tut-02/posture" in x)
    seq = line.split()[0]
    fork = run_cli("fork", str(db), "--at", seq, "--out", str(tmp_path / "what-if.db"))
    assert fork.returncode == 0, fork.stderr
    assert f"forked {db} at event {seq} (00:14: decided    tut-02/posture" in fork.stdout
    hint = fork.stdout.rsplit("play on with `", 1)[1].split("`")[0]
    assert hint.endswith(f"run tutorial --exercise {tmp_path / 'what-if.db'}")
    wrong = run_cli("fork", str(db), "--at", "999", "--out", str(tmp_path / "x.db"))
    assert wrong.returncode == 2
    assert "--at must be an event number from 1 to 47" in wrong.stderr
    assert f"status {db} --events` lists them" in wrong.stderr


def test_play_hint_works_as_printed(played: tuple[Path, str], tmp_path: Path) -> None:
    hint = next(x for x in played[1].splitlines() if x.startswith("After-action report: "))
    command = shlex.split(hint.removeprefix("After-action report: "))
    done = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "reports" / "robust.html").is_file()


def test_roles_accepts_abbreviations_and_names_sources_by_title() -> None:
    listing = run_cli("roles")
    assert listing.returncode == 0
    assert "force_commander" in listing.stdout and " FC " in listing.stdout
    for arg in ("FC", "fc", "force_commander"):
        one = run_cli("roles", arg)
        assert one.returncode == 0, one.stderr
        assert one.stdout.startswith("Force Commander (FC, force_commander)\n")
        assert "source: Considerations for Mission Leadership in UN Peace Operations" in one.stdout
        assert ".txt" not in one.stdout  # a title, not the seed's file name
    unknown = run_cli("roles", "force_comander")
    assert unknown.returncode == 2
    assert "unknown role 'force_comander' (did you mean 'force_commander'?)" in unknown.stderr


def test_considerations_name_sources_and_show_a_scenarios_own() -> None:
    catalogue = run_cli("considerations", "--search", "proportionate")
    assert catalogue.returncode == 0
    assert "source: Considerations for Mission Leadership" in catalogue.stdout
    assert ".txt" not in catalogue.stdout
    local_id = load_scenario(REPO / "scenarios" / "tutorial.toml").file.considerations[0].id
    assert local_id not in run_cli("considerations").stdout
    scenario = run_cli("considerations", "--scenario", "tutorial")
    assert scenario.returncode == 0, scenario.stderr
    assert f"{local_id}  [" in scenario.stdout and "(this scenario's own)" in scenario.stdout


def test_advise_decide_and_rate_from_the_command_line(open_point: Path) -> None:
    db = str(open_point)
    advice = run_cli(
        "advise", db, "--role", "PC", "--inject", "tut-02", "--decision", "posture",
        "--recommend", "visible-deterrence", "--text", "UNPOL can walk with the patrols.",
    )  # fmt: skip
    assert advice.returncode == 0, advice.stderr
    assert advice.stdout == "recorded\n"
    refused = run_cli(
        "advise", db, "--role", "dms", "--inject", "tut-02", "--decision", "posture",
    )  # fmt: skip
    assert refused.returncode == 1
    assert refused.stdout == ""  # a refusal is an error: stderr only
    assert "refused:" in refused.stderr
    decided = run_cli(
        "decide", db, "--role", "FC", "--inject", "tut-02", "--decision", "posture",
        "--option", "visible-deterrence", "--rationale", "Deter, even-handedly.",
    )  # fmt: skip
    assert decided.returncode == 0, decided.stderr
    assert decided.stdout.startswith("recorded at 00:10")
    events = run_cli("status", db, "--events").stdout
    assert (
        "advice     tut-02/posture from police_commissioner recommends visible-deterrence" in events
    )
    assert "decided    tut-02/posture by force_commander: visible-deterrence" in events
    rated = run_cli(
        "rate", db, "--evaluator", "Ana", "--inject", "tut-02", "--decision", "posture",
        "--rating", "s",
    )  # fmt: skip
    assert rated.returncode == 0, rated.stderr  # either case


def test_run_speed_out_of_bounds_is_refused(tmp_path: Path) -> None:
    for speed in ("0", "-1", "1e9", "nan", "inf"):
        result = run_cli(
            "run", "tutorial", "--headless", "--speed", speed, "--exercise", str(tmp_path / "s.db")
        )
        assert result.returncode == 2, (speed, result.stdout, result.stderr)
        assert "--speed must be more than 0 and at most 3600" in result.stderr, speed
        assert not (tmp_path / "s.db").exists()


@pytest.mark.parametrize("speed", [0.0, -5.0, 1e9, float("nan"), float("inf")])
def test_set_speed_refuses_out_of_bounds(open_point: Path, speed: float) -> None:
    exercise = Exercise.open(open_point, VirtualClock(time.time()))
    before = exercise.state.speed
    with pytest.raises(Refused, match="speed must be more than 0 and at most 3600"):
        exercise.set_speed(speed)
    assert exercise.state.speed == before
    exercise.close()


def test_out_is_a_folder_or_a_file_and_help_says_which() -> None:
    assert "a folder (not a file)" in run_cli("report", "--help").stdout
    assert "a file (not a folder)" in run_cli("graph", "--help").stdout
    assert "a file (not a folder)" in run_cli("msel", "export", "--help").stdout
    assert "a folder (not a file)" in run_cli("msel", "import", "--help").stdout


def test_hostile_text_is_shown_never_obeyed(tmp_path: Path, open_point: Path) -> None:
    """Escape sequences (retitle the window, write the clipboard, clear the screen) from a file
    or an argument reach the terminal spelled out."""
    text = (REPO / "scenarios" / "tutorial.toml").read_text(encoding="utf-8")
    # in TOML the title is written with \u escapes; loaded, it holds ESC and BEL characters
    evil = "Kessa\\u001b]0;owned\\u0007\\u001b]52;c;Y3VybCBldmls\\u0007\\u001b[2J"
    title = 'title = "Tutorial: the market at Kessa"'
    (tmp_path / "evil.toml").write_text(text.replace(title, f'title = "{evil}"'), encoding="utf-8")
    played = run_cli(
        "play", str(tmp_path / "evil.toml"), "--decisions", ROBUST, "--exercise",
        str(tmp_path / "evil.db"),
    )  # fmt: skip
    assert played.returncode == 0, played.stderr
    assert "\x1b" not in played.stdout and "\x07" not in played.stdout
    assert "Kessa\\x1b]0;owned\\x07" in played.stdout
    role = run_cli(
        "decide", str(open_point), "--role", "\x1b[2Jhom", "--inject", "tut-02",
        "--decision", "posture",
    )  # fmt: skip
    assert role.returncode != 0
    assert "\x1b" not in role.stderr and "\\x1b[2Jhom" in role.stderr


def test_an_argument_that_is_not_utf8_is_refused(open_point: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "exercise_engine", "decide", str(open_point), "--role", "hom",
         "--inject", "tut-02", "--decision", "posture", "--rationale", b"caf\xe9"],
        capture_output=True, cwd=REPO, timeout=120,
    )  # fmt: skip
    assert result.returncode == 2
    assert b"--rationale is not valid UTF-8 text (byte e9 at character 4)" in result.stderr
    assert b"Traceback" not in result.stderr


def test_headless_run_prints_others_decisions_and_ctrl_c_pauses_with_130(open_point: Path) -> None:
    """The README says a headless run prints each event: a decision recorded by another process
    too. Ctrl-C stops the clock (the journal says paused) and exits 130. Speed 1: the open point's
    window is 15 real minutes away, far beyond any wait here, so machine load cannot matter."""
    import queue
    import signal
    import threading

    run = subprocess.Popen(
        [sys.executable, "-m", "exercise_engine", "run", "tutorial", "--headless",
         "--exercise", str(open_point), "--speed", "1"],
        cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: [lines.put(x) for x in run.stdout or []], daemon=True).start()

    def wait_for(text: str) -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if text in lines.get(timeout=1):
                    return
            except queue.Empty:
                continue
        raise AssertionError(f"the headless run never printed {text!r}")

    try:
        wait_for("resumed")
        decided = run_cli(
            "decide", str(open_point), "--role", "force_commander", "--inject", "tut-02",
            "--decision", "posture", "--option", "visible-deterrence",
        )  # fmt: skip
        assert decided.returncode == 0, decided.stderr
        wait_for("decided    tut-02/posture by force_commander: visible-deterrence")
        run.send_signal(signal.SIGINT)
        assert run.wait(timeout=60) == 130
        assert "interrupted" in (run.stderr.read() if run.stderr else "")
    finally:
        if run.poll() is None:
            run.kill()
    assert "status paused" in run_cli("status", str(open_point)).stdout


@pytest.mark.parametrize(
    "doc",
    ["README.md", "docs/facilitator-guide.md", "docs/evaluator-guide.md", "docs/authoring.md"],
)
def test_guides_say_how_to_reach_the_command(doc: str) -> None:
    """After the README's install, bare `exercise-engine` is "command not found" until the
    environment is activated: every guide that shows such commands says so."""
    text = (REPO / doc).read_text(encoding="utf-8")
    assert "exercise-engine " in text
    assert "source .venv/bin/activate" in text and ".venv/bin/exercise-engine" in text


def test_join_accepts_the_abbreviation_list_shows(open_point: Path) -> None:
    # a wrong code stops before any screen opens: the message shows which seat FC resolved to
    result = run_cli("join", str(open_point), "--role", "FC", "--code", "WRONG-CODE")
    assert result.returncode == 2
    assert "wrong join code for 'force_commander'" in result.stderr


def test_ctrl_c_ends_any_command_with_130(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import exercise_engine.commands.listing as listing
    from exercise_engine.cli import main

    def interrupted(_args: object) -> int:
        raise KeyboardInterrupt

    monkeypatch.setattr(listing, "run", interrupted)
    assert main(["list"]) == 130
    assert capsys.readouterr().err == "exercise-engine list: interrupted\n"
