"""What ``verify`` catches, told as an attacker with the journal file and the SQLite shell.

Each tamper is the one a careless or hostile hand would make: delete an event, move events
around, edit one and recompute its hash, re-chain everything after an edit, cut the end off a
closed exercise, or edit the stored scenario. Each must fail ``verify`` naming the event, and
the first three must fail for the right reason: they slip past the content-hash check, so only
the sequence and previous-hash checks can catch them. The last tests state the limit the docs
state: whoever re-chains everything *and* fixes the recorded head passes ``verify``; only a head
noted elsewhere (``verify --head``) catches that.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from exercise_engine.journal import Journal
from exercise_engine.journal.chain import GENESIS, event_hash
from tests.conftest import run_cli

COLUMNS = "seq, wall_time, exercise_time, actor, role, kind, payload, prev_hash, hash"


@pytest.fixture(scope="module")
def played(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("played") / "robust.db"
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


@pytest.fixture
def db(played: Path, tmp_path: Path) -> Path:
    """A fresh copy of the played journal to tamper with."""
    copy = tmp_path / "copy.db"
    copy.write_bytes(played.read_bytes())
    return copy


def rows(db: Path) -> list[list[object]]:
    with sqlite3.connect(db) as con:
        return [list(r) for r in con.execute(f"SELECT {COLUMNS} FROM events ORDER BY seq")]


def rehash(row: list[object], prev: str | None = None) -> None:
    """Recompute a row's own hash (optionally after giving it another previous hash)."""
    if prev is not None:
        row[7] = prev
    seq, wall, t, actor, role, kind, payload, prev_hash = row[:8]
    row[8] = event_hash(
        str(prev_hash),
        int(str(seq)),
        float(str(wall)),
        int(str(t)),
        str(actor),
        None if role is None else str(role),
        str(kind),
        str(payload),
    )


def write_rows(db: Path, new: list[list[object]], *, head: bool = False) -> None:
    with sqlite3.connect(db) as con:
        con.execute("DELETE FROM events")
        con.executemany(f"INSERT INTO events ({COLUMNS}) VALUES (?,?,?,?,?,?,?,?,?)", new)
        if head:  # the careful attacker also fixes the head the journal recorded
            con.execute("UPDATE head SET seq = ?, hash = ?", (new[-1][0], new[-1][8]))


def verify(db: Path, *extra: str) -> tuple[int, str]:
    result = run_cli("verify", str(db), *extra)
    assert "Traceback" not in result.stderr
    return result.returncode, result.stdout


def test_an_intact_journal_verifies_and_prints_its_head(db: Path) -> None:
    code, out = verify(db)
    last = rows(db)[-1]
    assert code == 0
    assert out.splitlines() == [
        f"ok: {db}: {last[0]} events, hash chain intact",
        f"head: {last[0]}:{last[8]}",
    ]


def test_a_deleted_event_in_the_middle_is_named(db: Path) -> None:
    """The rows after it still hash correctly: only the sequence check says what happened."""
    kept = [r for r in rows(db) if r[0] != 12]
    write_rows(db, kept)
    code, out = verify(db)
    assert code == 1
    assert out.startswith(
        f"TAMPERED: {db}: event 13: event 12 missing: the sequence jumps from 11 to 13"
    )
    assert "event 13: does not follow event 11" in out  # and the previous-hash check agrees


def test_deleted_and_renumbered_events_are_named(db: Path) -> None:
    """Delete event 12, renumber the rest and recompute their own hashes: no gap, no bad hash —
    only the previous-hash check catches it, at the event that took 12's place."""
    original = rows(db)
    kept = [r for r in original if r[0] != 12]
    for row in kept[11:]:
        row[0] = int(str(row[0])) - 1
        rehash(row)
    write_rows(db, kept, head=True)
    code, out = verify(db)
    assert code == 1
    assert out.startswith(f"TAMPERED: {db}: event 12: does not follow event 11")


def test_reordered_events_are_named(db: Path) -> None:
    """Swap events 10 and 11, each re-hashed under its new number: only the chain links betray it."""
    original = rows(db)
    swapped = [list(r) for r in original]
    swapped[9], swapped[10] = list(original[10]), list(original[9])
    swapped[9][0], swapped[10][0] = 10, 11
    rehash(swapped[9])
    rehash(swapped[10])
    write_rows(db, swapped, head=True)
    code, out = verify(db)
    assert code == 1
    assert out.startswith(f"TAMPERED: {db}: event 10: does not follow event 9")


def test_one_edited_and_rehashed_event_is_betrayed_by_the_next(db: Path) -> None:
    """Edit a rationale and recompute that event's hash: its own hash checks out; the next
    event's link does not."""
    edited = rows(db)
    target = next(r for r in edited if r[5] == "decision_recorded")
    payload = json.loads(str(target[6]))
    payload["rationale"] = "We always meant to wait."
    target[6] = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    rehash(target)
    write_rows(db, edited)
    code, out = verify(db)
    seq = int(str(target[0]))
    assert code == 1
    assert out.startswith(f"TAMPERED: {db}: event {seq + 1}: does not follow event {seq}")


def test_a_fully_rechained_journal_fails_on_its_recorded_head(db: Path) -> None:
    edited = rows(db)
    edited[6][6] = str(edited[6][6]).replace("t", "T", 1)
    prev = str(edited[5][8])
    for row in edited[6:]:
        rehash(row, prev)
        prev = str(row[8])
    write_rows(db, edited)
    code, out = verify(db)
    assert code == 1
    assert (
        f"event {edited[-1][0]}: the last event differs from the head the journal recorded" in out
    )


def test_rechaining_and_fixing_the_head_passes_verify_but_not_a_noted_head(db: Path) -> None:
    """The limit docs/journal.md states: anyone with the file can re-chain it. A head noted
    earlier (printed by verify, status and every report) is the anchor that catches it."""
    noted = verify(db)[1].splitlines()[1].removeprefix("head: ")
    edited = rows(db)
    edited[6][6] = str(edited[6][6]).replace("t", "T", 1)
    prev = str(edited[5][8])
    for row in edited[6:]:
        rehash(row, prev)
        prev = str(row[8])
    write_rows(db, edited, head=True)
    assert verify(db)[0] == 0
    code, out = verify(db, "--head", noted)
    assert code == 1
    assert f"HEAD NOT FOUND: {db} does not contain the head {noted}" in out


def test_a_truncated_closed_journal_fails(db: Path) -> None:
    original = rows(db)
    assert original[-1][5] == "ended"  # play closes the exercise
    write_rows(db, original[:-3])
    code, out = verify(db)
    last = int(str(original[-1][0]))
    assert code == 1
    assert out.startswith(
        f"TAMPERED: {db}: event {last - 2}: events {last - 2} to {last} missing: "
        f"the journal recorded its head at event {last}"
    )


def test_play_events_after_the_close_fail(db: Path) -> None:
    """After ``ended`` only evaluators' ratings and notes may follow."""
    original = rows(db)
    extra = list(original[-1])
    extra[0] = int(str(extra[0])) + 1
    extra[5] = "facilitator_note"
    extra[6] = '{"text":"added later"}'
    rehash(extra, str(original[-1][8]))
    write_rows(db, [*original, extra], head=True)
    code, out = verify(db)
    assert code == 1
    assert f"event {extra[0]}: facilitator_note after the exercise was closed" in out


def test_an_edited_scenario_snapshot_fails_and_the_report_warns(db: Path, tmp_path: Path) -> None:
    """Negating evidence weights in the stored scenario moved a score from S to U undetected;
    now the first event's commitment names the row, and the report says so."""
    with sqlite3.connect(db) as con:
        (snapshot,) = con.execute(
            "SELECT value FROM meta WHERE key = 'scenario_snapshot'"
        ).fetchone()
        files = json.loads(snapshot)
        files[0]["text"] = files[0]["text"].replace("= 2", "= -2")
        edited = json.dumps(files)
        con.execute("UPDATE meta SET value = ? WHERE key = 'scenario_snapshot'", (edited,))
        # the careful attacker also fixes the stored content hash, so the journal still opens
        from exercise_engine.loading import load_snapshot

        digest = load_snapshot(edited).content_hash()
        con.execute("UPDATE meta SET value = ? WHERE key = 'scenario_hash'", (digest,))
    code, out = verify(db)
    assert code == 1
    assert out.startswith(f"TAMPERED: {db}: event 1: metadata row 'scenario_hash' changed")
    assert "metadata row 'scenario_snapshot' changed after event 1 committed to it" in out

    refused = run_cli("report", str(db))
    assert refused.returncode == 1
    assert "fails verification" in refused.stderr and "--allow-unverified" in refused.stderr
    assert "**Warning: the journal fails verification** (event 1: metadata row" in refused.stdout
    allowed = run_cli("report", str(db), "--allow-unverified", "--format", "json")
    assert allowed.returncode == 0
    data = json.loads(allowed.stdout)
    assert data["exercise"]["verified"] is False
    assert data["exercise"]["verify_problem"].startswith("event 1: metadata row")


def test_the_head_is_in_status_and_every_report(db: Path, tmp_path: Path) -> None:
    last = rows(db)[-1]
    head = f"{last[0]}:{last[8]}"
    status = run_cli("status", str(db))
    assert f"journal head: {head}" in status.stdout
    data = json.loads(run_cli("report", str(db), "--format", "json").stdout)
    assert (data["exercise"]["head_seq"], data["exercise"]["head_hash"]) == (last[0], last[8])
    assert data["exercise"]["verified"] is True
    html = run_cli("report", str(db), "--format", "html").stdout
    assert f"Journal head: event {last[0]}, {last[8]}" in html


def test_a_journal_that_grew_extends_its_noted_head(db: Path) -> None:
    noted = verify(db)[1].splitlines()[1].removeprefix("head: ")
    rated = run_cli(
        "rate", str(db), "--evaluator", "Ana", "--inject", "tut-02", "--decision", "posture",
        "--rating", "S",
    )  # fmt: skip
    assert rated.returncode == 0, rated.stderr
    code, out = verify(db, "--head", noted)
    assert code == 0
    assert (
        f"ok: the journal extends the noted head (event {noted.split(':')[0]}) by 1 event(s)" in out
    )
    # the hash alone, or its first 12 digits, will do
    assert verify(db, "--head", noted.split(":")[1][:12])[0] == 0


def test_an_older_journal_is_read_and_verify_says_what_it_cannot_prove(db: Path) -> None:
    """Schema 1 (before the chain covered the metadata): readable, with a plain note."""
    old = rows(db)
    payload = json.loads(str(old[0][6]))
    del payload["meta"]
    old[0][6] = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    prev = GENESIS
    for row in old:
        rehash(row, prev)
        prev = str(row[8])
    write_rows(db, old)
    with sqlite3.connect(db) as con:
        con.execute("UPDATE meta SET value = '1' WHERE key = 'schema_version'")
        con.execute("DROP TABLE head")
        con.execute("DROP TABLE local")
    code, out = verify(db)
    assert code == 0
    assert out.startswith("note: made by an older version (journal schema 1)")
    assert run_cli("status", str(db)).returncode == 0
    with sqlite3.connect(db) as con:
        con.execute("UPDATE meta SET value = '9' WHERE key = 'schema_version'")
    newer = run_cli("status", str(db))
    assert newer.returncode == 2
    assert "made by a newer version of exercise-engine (journal schema 9" in newer.stderr


def test_verify_in_python_names_the_same_problems(db: Path) -> None:
    kept = [r for r in rows(db) if r[0] != 5]
    write_rows(db, kept)
    journal = Journal.open(db, read_only=True)
    problems = journal.verify()
    journal.close()
    assert problems[0] == (6, "event 5 missing: the sequence jumps from 4 to 6")
