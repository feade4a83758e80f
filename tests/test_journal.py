"""The journal: durable, tamper-evident, shared by several processes, resumable after kill -9."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

from exercise_engine.clock import SystemClock, VirtualClock
from exercise_engine.exercise import Exercise
from exercise_engine.journal import Journal, JournalError
from exercise_engine.loading import load_scenario
from tests.conftest import REPO, run_cli
from tests.engine_helpers import inject, scenario_from

ROLES = [
    "hom",
    "dsrsg_pol",
    "dsrsg_rchc",
    "force_commander",
    "police_commissioner",
    "dms",
    "chief_of_staff",
    "csa",
]


def _played(tmp_path: Path) -> Path:
    db = tmp_path / "robust.db"
    result = run_cli(
        "play",
        "tutorial",
        "--decisions",
        "scenarios/playthroughs/tutorial/robust.toml",
        "--exercise",
        str(db),
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return db


def test_tampering_one_byte_is_found_and_named(tmp_path: Path) -> None:
    db = _played(tmp_path)
    assert run_cli("verify", str(db)).returncode == 0
    with sqlite3.connect(db) as con:
        (payload,) = con.execute("SELECT payload FROM events WHERE seq = 7").fetchone()
        con.execute("UPDATE events SET payload = ? WHERE seq = 7", (payload.replace("t", "T", 1),))
    result = run_cli("verify", str(db))
    assert result.returncode == 1
    assert result.stdout.startswith(f"TAMPERED: {db}: event 7: content changed")


def test_not_a_journal_gets_one_clear_line(tmp_path: Path) -> None:
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"this is not sqlite at all" * 100)
    for command in (["verify", str(junk)], ["status", str(junk)], ["report", str(junk)]):
        result = run_cli(*command)
        assert result.returncode == 2
        assert "is not an exercise journal" in result.stderr
        assert "Traceback" not in result.stderr
    missing = run_cli("status", str(tmp_path / "nope.db"))
    assert missing.returncode == 2 and "no such exercise journal" in missing.stderr


def test_reopening_against_a_changed_scenario_is_refused(tmp_path: Path) -> None:
    scenario = scenario_from(tmp_path, inject("a", 'at = "00:01"'))
    Exercise.create(tmp_path / "ex.db", scenario, VirtualClock()).close()
    path = tmp_path / "mini.toml"
    path.write_text(path.read_text().replace('title = "Mini"', 'title = "Mini, revised"'))
    changed = load_scenario(path)
    try:
        Exercise.open(tmp_path / "ex.db", VirtualClock(), scenario=changed)
    except JournalError as exc:
        assert "different version" in str(exc)
    else:
        raise AssertionError("a changed scenario was accepted")
    reopened = Exercise.open(
        tmp_path / "ex.db", VirtualClock(), scenario=changed, allow_changed=True
    )
    assert reopened.scenario.title == "Mini, revised"


def test_fork_keeps_the_prefix_and_waits_paused(tmp_path: Path) -> None:
    db = _played(tmp_path)
    out = tmp_path / "fork.db"
    result = run_cli("fork", str(db), "--at", "8", "--out", str(out))
    assert result.returncode == 0, result.stderr
    original = Journal.open(db).events()
    forked = Journal.open(out).events()
    assert [e.hash for e in forked[:8]] == [e.hash for e in original[:8]]
    assert forked[8].kind == "paused"
    assert run_cli("verify", str(out)).returncode == 0
    again = Exercise.open(out, VirtualClock())
    assert again.state.status == "paused"
    bad = run_cli("fork", str(db), "--at", "999", "--out", str(tmp_path / "x.db"))
    assert bad.returncode == 2 and "--at must be" in bad.stderr


def _concurrency_scenario(tmp_path: Path, per_role: int) -> Path:
    points = []
    for role in ROLES:
        for n in range(per_role):
            points.append(
                f'[[inject.decisions]]\nid = "{role}-{n}"\nrole = "{role}"\nprompt = "?"\n'
                f'[[inject.decisions.options]]\nid = "go"\nlabel = "Go"\nevidence = {{ "crisis.timely-decision" = 1 }}\n'
            )
    text = textwrap.dedent(
        f"""
        id = "many"
        title = "Many deciders"
        roles = {ROLES!r}
        start_phase = "one"
        [clock]
        start = "2014-10-07T05:00"
        [[phases]]
        id = "one"
        title = "One"
        [[inject]]
        id = "all-decide"
        title = "Everyone decides"
        at = "00:00"
        channel = "report"
        sender = "x"
        to = "all"
        body = "b"
        """
    ).replace("'", '"')
    path = tmp_path / "many.toml"
    path.write_text(text + "\n".join(points))
    return path


WORKER = """
import sys
from exercise_engine.clock import SystemClock
from exercise_engine.exercise import Exercise
db, role, other, count = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
ex = Exercise.open(db, SystemClock())
ok = refused = 0
for n in range(count):
    out = ex.decide(role=role, inject="all-decide", decision=f"{role}-{n}", option="go", rationale="r")
    ok += out.accepted
    if n % 10 == 0:  # a foreign decision: must be refused, and journalled as refused
        bad = ex.decide(role=role, inject="all-decide", decision=f"{other}-{n}", option="go")
        refused += not bad.accepted
print(ok, refused)
"""


def test_eight_processes_append_at_once_and_nothing_is_lost(tmp_path: Path) -> None:
    per_role = 200
    scenario = load_scenario(_concurrency_scenario(tmp_path, per_role))
    db = tmp_path / "many.db"
    ex = Exercise.create(db, scenario, SystemClock())
    ex.open_briefing()
    ex.start()
    ex.close()
    procs = [
        subprocess.Popen(
            [
                sys.executable,
                "-c",
                WORKER,
                str(db),
                role,
                ROLES[(i + 1) % len(ROLES)],
                str(per_role),
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=REPO,
        )
        for i, role in enumerate(ROLES)
    ]
    results = [p.communicate(timeout=300) for p in procs]
    for p, (out, err) in zip(procs, results, strict=True):
        assert p.returncode == 0, err
        assert out.split() == [str(per_role), str(per_role // 10)]
    journal = Journal.open(db)
    assert journal.verify() == []
    kinds = [e.kind for e in journal.events()]
    assert kinds.count("decision_recorded") == per_role * len(ROLES)
    assert kinds.count("decision_refused") == (per_role // 10) * len(ROLES)


FACILITATOR_SCENARIO = """
id = "live"
title = "Live clock"
roles = ["hom", "force_commander"]
start_phase = "one"
[clock]
start = "2014-10-07T05:00"
speed = 60
[variables.risk]
label = "Risk"
initial = 50
[[phases]]
id = "one"
title = "One"
[[inject]]
id = "first"
title = "First"
at = "00:01"
channel = "report"
sender = "JOC"
to = "all"
body = "b"
[[inject.decisions]]
id = "d"
role = "hom"
prompt = "?"
respond_within = "05:00"
[[inject.decisions.options]]
id = "yes"
label = "Yes"
effects = { risk = -10 }
evidence = { "crisis.timely-decision" = 1 }
[[inject]]
id = "much-later"
title = "Much later"
at = "04:00"
channel = "report"
sender = "JOC"
to = "all"
body = "b"
"""


def _wait_for(predicate, timeout: float = 20.0) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting")
        time.sleep(0.05)


def _delivered(db: Path, inject_id: str) -> bool:
    try:
        exercise = Exercise.open(db, SystemClock())
    except JournalError:
        return False  # not created yet
    try:
        return inject_id in exercise.state.deliveries
    finally:
        exercise.close()


def test_kill_minus_nine_loses_no_acknowledged_decision_and_the_clock_resumes(
    tmp_path: Path,
) -> None:
    scenario_path = tmp_path / "live.toml"
    scenario_path.write_text(FACILITATOR_SCENARIO)
    db = tmp_path / "live.db"
    cmd = [
        sys.executable,
        "-m",
        "exercise_engine",
        "run",
        str(scenario_path),
        "--exercise",
        str(db),
        "--headless",
    ]
    facilitator = subprocess.Popen(
        cmd, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        _wait_for(lambda: _delivered(db, "first"))
        ack = run_cli(
            "decide",
            str(db),
            "--role",
            "hom",
            "--inject",
            "first",
            "--decision",
            "d",
            "--option",
            "yes",
            "--rationale",
            "acknowledged",
        )
        assert ack.returncode == 0, ack.stdout + ack.stderr
        _wait_for(lambda: Journal.open(db).checkpoint() is not None)
        before_kill = Exercise.open(db, SystemClock())
        stood = before_kill.now()
        before_kill.close()
    finally:
        os.kill(facilitator.pid, signal.SIGKILL)
        facilitator.wait(timeout=10)
    time.sleep(1.0)  # the room is without a facilitator for a second: 60 exercise seconds at x60
    after = Exercise.open(db, SystemClock())
    point = after.state.points[("first", "d")]
    assert point.status == "decided" and point.rationale == "acknowledged"
    recovered = after.recover()
    assert [e.kind for e in recovered] == ["paused"]
    resumed_at = recovered[0].exercise_time
    assert stood - 5 <= resumed_at <= stood + 5  # where it stood, not where the wall clock went
    assert after.journal.verify() == []
