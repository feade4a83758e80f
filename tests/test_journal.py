"""The journal: durable, tamper-evident, shared by several processes, resumable after kill -9."""

from __future__ import annotations

import os
import queue
import signal
import sqlite3
import subprocess
import sys
import textwrap
import threading
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


def _wait_while_progressing(procs: list[subprocess.Popen[str]], db: Path) -> None:
    """Wait for the workers as long as the journal keeps growing.

    No fixed time budget (a loaded machine is slow, not wrong): the hang guard is derived from
    what is measured — fail only when no event was appended for 50 times the longest gap seen
    between two observed appends so far (and at least two minutes).
    """
    last_count, last_change, longest_gap = -1, time.monotonic(), 0.0
    while any(p.poll() is None for p in procs):
        journal = Journal.open(db, read_only=True)
        count = journal.count()
        journal.close()
        now = time.monotonic()
        if count != last_count:
            if last_count >= 0:
                longest_gap = max(longest_gap, now - last_change)
            last_count, last_change = count, now
        elif now - last_change > max(120.0, 50 * longest_gap):
            for p in procs:
                p.kill()
            raise AssertionError(f"no event appended for {now - last_change:.0f} s (at {count})")
        time.sleep(0.5)  # a polling interval, not a timing assumption


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
    _wait_while_progressing(procs, db)
    results = [p.communicate() for p in procs]
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
respond_within = "99:00"
[[inject.decisions.options]]
id = "yes"
label = "Yes"
effects = { risk = -10 }
evidence = { "crisis.timely-decision" = 1 }
[[inject]]
id = "much-later"
title = "Much later"
at = "99:00"
channel = "report"
sender = "JOC"
to = "all"
body = "b"
"""
# The decision window and the later inject are far beyond anything a loaded machine can reach
# at x60 (99 hours = 99 minutes of wall time): nothing in this test races the clock.


class Lines:
    """A process's stdout read on a thread, so the test can wait for a line without blocking."""

    def __init__(self, process: subprocess.Popen[str]) -> None:
        self.process = process
        self.queue: queue.Queue[str] = queue.Queue()
        self.seen: list[str] = []
        threading.Thread(target=self._pump, daemon=True).start()

    def _pump(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.queue.put(line)
        self.queue.put("")  # end of output

    def wait_for(self, text: str) -> None:
        """Until a line containing ``text`` arrives; fails if the process ends first.

        The timeout is only a guard against a hung process, not a timing assumption."""
        while True:
            try:
                line = self.queue.get(timeout=300)
            except queue.Empty:
                raise AssertionError(f"no {text!r} in 300 s; saw {self.seen}") from None
            if not line:
                raise AssertionError(f"the process ended before {text!r}; saw {self.seen}")
            self.seen.append(line)
            if text in line:
                return


def _checkpoint(db: Path) -> int | None:
    journal = Journal.open(db, read_only=True)
    try:
        return journal.checkpoint()
    finally:
        journal.close()


def test_kill_minus_nine_loses_no_acknowledged_decision_and_the_clock_resumes(
    tmp_path: Path,
) -> None:
    """kill -9 the facilitator: the acknowledged decision survives, and the clock comes back
    paused exactly where the journal recorded it stood — not where the wall clock went since.

    Deterministic on a loaded machine: every assertion is against what the journal recorded
    (its checkpoint, its last event), and "later" is a virtual clock an hour ahead, not a sleep.
    """
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
        cmd, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
    )
    try:
        Lines(facilitator).wait_for("delivered  first")
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
        decided_at = Journal.open(db, read_only=True).events()[-1].exercise_time
        # The clock ran on after the decision: a checkpoint past it exists (polled, no window).
        while (_checkpoint(db) or -1) <= decided_at:
            assert facilitator.poll() is None, "the facilitator stopped by itself"
            time.sleep(0.05)
    finally:
        os.kill(facilitator.pid, signal.SIGKILL)
        facilitator.wait()
    stood = _checkpoint(db)
    assert stood is not None and stood > decided_at
    an_hour_later = VirtualClock(time.time() + 3600)
    after = Exercise.open(db, an_hour_later)
    point = after.state.points[("first", "d")]
    assert point.status == "decided" and point.rationale == "acknowledged"
    wall_clock_would_say = after.state.now(an_hour_later.now())
    # a console that does not own the clock sees it stopped where it stood
    assert after.now() == stood
    last_event_at = after.state.last_time
    recovered = after.recover()
    assert [e.kind for e in recovered] == ["recovered", "paused"]
    # where it stood: the recorded checkpoint (every event, the decision too, lies before it)
    assert last_event_at <= stood
    assert {e.exercise_time for e in recovered} == {stood}
    assert recovered[1].payload == {"reason": "recovered after an interruption"}
    assert recovered[0].payload["stood_at"] == stood
    assert wall_clock_would_say > stood + 3000  # an hour at x60: recovery did not follow it
    assert after.journal.verify() == []
