"""``--start-at PHASE`` on run and play: the 2-hour course pre-plays the earlier moves from a named
playthrough, journals them as the playthrough's, and the report scores no seat for them (issue 12).

Every test drives the real command line as a subprocess, on the bundled scenarios.
"""

from __future__ import annotations

import json
import signal
import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO, run_cli

PLAYS = REPO / "scenarios" / "playthroughs"


def _play_from_move_2(tmp_path: Path) -> Path:
    db = tmp_path / "class.db"
    played = run_cli(
        "play", "minusca-bambari", "--decisions", str(PLAYS / "minusca-bambari" / "robust.toml"),
        "--exercise", str(db), "--start-at", "move-2", "--from-playthrough", "robust",
    )  # fmt: skip
    assert played.returncode == 0, played.stdout + played.stderr
    assert "Pre-played to 'escalation'" in played.stdout
    assert "expect: ok" in played.stdout  # the class's half still reaches the playthrough's ending
    return db


def test_play_start_at_journals_the_early_moves_as_the_playthroughs(tmp_path: Path) -> None:
    db = _play_from_move_2(tmp_path)
    events = run_cli("status", str(db), "--events").stdout
    lines = events.splitlines()
    marker = next(i for i, line in enumerate(lines) if "pre-played to 'escalation'" in line)
    assert "from playthrough 'robust'" in lines[marker]
    before = [x for x in lines[:marker] if "decided " in x]
    after = [x for x in lines[marker:] if "decided " in x]
    assert before and after
    assert any("bmb-02/declare" in x for x in before)
    # the journal names the playthrough, not a seat, as the actor of every pre-played decision
    import sqlite3

    with sqlite3.connect(db) as con:
        actors = con.execute(
            "SELECT actor, exercise_time FROM events WHERE kind = 'decision_recorded'"
        ).fetchall()
        (at,) = con.execute("SELECT exercise_time FROM events WHERE kind = 'pre_played'").fetchone()
    assert {a for a, t in actors if t <= at} == {"playthrough:robust"}
    assert all(a.startswith("role:") for a, t in actors if t > at)
    assert run_cli("verify", str(db)).returncode == 0


def test_report_lists_pre_played_moves_and_scores_no_seat_for_them(tmp_path: Path) -> None:
    db = _play_from_move_2(tmp_path)
    report = json.loads(run_cli("report", str(db), "--format", "json").stdout)
    pre = {d["key"] for d in report["pre_played"]}
    scored = {d["key"] for d in report["decisions"]}
    assert "bmb-02/declare" in pre and "bmb-05/warn-how" in pre
    assert not pre & scored
    assert "pre-played from playthrough 'robust'" in report["pre_play"]
    assert "pre-played from a playthrough, not scored" in report["overview"]["decision_points"]
    md = run_cli("report", str(db), "--format", "md").stdout
    assert "### Moves pre-played" in md
    # a full run of the same playthrough scores those points for the seats
    full = tmp_path / "full.db"
    run_cli(
        "play", "minusca-bambari", "--decisions", str(PLAYS / "minusca-bambari" / "robust.toml"),
        "--exercise", str(full),
    )  # fmt: skip
    whole = json.loads(run_cli("report", str(full), "--format", "json").stdout)
    assert pre <= {d["key"] for d in whole["decisions"]}
    assert "pre_played" not in whole  # only a --start-at exercise carries the section


def test_run_start_at_opens_paused_in_the_phase_at_the_shipped_speed(tmp_path: Path) -> None:
    """No --from-playthrough: the scenario's reference playthrough pre-plays D1; the live run
    resumes in D2 at the speed the scenario ships (2), and the first D2 inject arrives."""
    db = tmp_path / "short.db"
    live = subprocess.Popen(
        [sys.executable, "-m", "exercise_engine", "run", "unmis-tob", "--exercise", str(db),
         "--start-at", "pushback", "--headless"],
        cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert live.stdout is not None
        seen = []
        for line in live.stdout:
            seen.append(line)
            if "resumed" in line:
                break
        assert any("status paused" in x for x in seen), seen
    finally:
        live.send_signal(signal.SIGINT)
        live.wait(timeout=60)
    status = run_cli("status", str(db)).stdout
    assert "phase pushback" in status and "speed x2" in status
    events = run_cli("status", str(db), "--events").stdout
    assert "pre-played to 'pushback' from playthrough 'robust'" in events


def test_bad_start_at_is_one_line_and_non_zero(tmp_path: Path) -> None:
    robust = str(PLAYS / "minusca-bambari" / "robust.toml")
    db = tmp_path / "x.db"
    cases = {
        ("--start-at", "move-9"): "no such phase in 'minusca-bambari'",
        ("--start-at", "nowhere"): "move-2 (escalation)",
        ("--start-at", "warning"): "nothing to pre-play",
        ("--start-at", "crisis", "--from-playthrough", "nope"): "no such playthrough",
        ("--from-playthrough", "robust"): "--from-playthrough goes with --start-at",
    }
    for extra, words in cases.items():
        out = run_cli(
            "play", "minusca-bambari", "--decisions", robust, "--exercise", str(db), *extra
        )
        assert out.returncode == 2, (extra, out.stdout, out.stderr)
        assert words in out.stderr, (extra, out.stderr)
        assert len(out.stderr.strip().splitlines()) == 1 and "Traceback" not in out.stderr
        assert not db.exists()  # nothing half-made is left behind


def test_a_playthrough_that_does_not_reach_the_phase_is_refused(tmp_path: Path) -> None:
    """A scenario that ends in move 1 unless the HoM warns: a playthrough that never warns
    cannot pre-play to move 2; run says so in one line and writes no journal."""
    scenario = tmp_path / "short.toml"
    scenario.write_text(
        """
id = "short"
title = "Short"
roles = ["hom"]
start_phase = "one"
[clock]
start = "2014-10-07T05:00"
speed = 1
[flags]
warned = false
[[phases]]
id = "one"
title = "One"
[[phases]]
id = "two"
title = "Two"
[[transitions]]
from = "one"
to = "two"
when = "warned and elapsed >= '00:30'"
[[end]]
id = "quiet"
title = "Quiet"
when = "not warned and elapsed >= '00:20'"
[[end]]
id = "late"
title = "Late"
when = "elapsed >= '01:00'"
[[inject]]
id = "i1"
title = "i1"
at = "00:01"
channel = "report"
sender = "JOC"
to = "all"
body = "text"
[[inject.decisions]]
id = "d"
role = "hom"
prompt = "Warn?"
respond_within = "00:10"
[[inject.decisions.options]]
id = "warn"
label = "Warn"
set = { warned = true }
[[inject.decisions.options]]
id = "wait"
label = "Wait"
""",
        encoding="utf-8",
    )
    silent = tmp_path / "silent.toml"
    silent.write_text(
        '[[decision]]\nat = "00:05"\nrole = "hom"\ninject = "i1"\ndecision = "d"\noption = "wait"\n',
        encoding="utf-8",
    )
    db = tmp_path / "s.db"
    out = run_cli(
        "run", str(scenario), "--exercise", str(db), "--headless",
        "--start-at", "two", "--from-playthrough", str(silent),
    )  # fmt: skip
    assert out.returncode == 2
    assert "does not reach phase 'two'" in out.stderr and "ended (quiet)" in out.stderr
    assert len(out.stderr.strip().splitlines()) == 1
    assert not db.exists()
    warned = tmp_path / "warned.toml"
    warned.write_text(silent.read_text(encoding="utf-8").replace("wait", "warn"), encoding="utf-8")
    ok = run_cli(
        "play", str(scenario), "--decisions", str(warned), "--exercise", str(db),
        "--start-at", "move-2", "--from-playthrough", str(warned),
    )  # fmt: skip
    assert ok.returncode == 0, ok.stderr
    assert "Ending: late" in ok.stdout
