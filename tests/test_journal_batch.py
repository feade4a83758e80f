"""Headless play commits in batches (``Journal.batch``): few transactions, one fsync at the end,
and the same guarantees a command has outside a batch."""

from __future__ import annotations

from itertools import pairwise
from pathlib import Path

import pytest

from exercise_engine.clock import VirtualClock
from exercise_engine.exercise import Exercise
from exercise_engine.journal import Journal
from exercise_engine.loading import load_scenario
from exercise_engine.model.events import Draft
from tests.conftest import REPO, run_cli


def _journal(tmp_path: Path) -> Journal:
    return Journal.create(tmp_path / "j.db", {"scenario_id": "x"})


def _note(n: int) -> Draft:
    return Draft("facilitator_note", 0, "facilitator", None, {"text": f"note {n}"})


def _chained(journal: Journal) -> bool:
    events = journal.events()
    return all(b.prev_hash == a.hash for a, b in pairwise(events))


def test_other_readers_see_a_batch_at_each_commit_not_before(tmp_path: Path) -> None:
    journal = _journal(tmp_path)
    reader = Journal.open(tmp_path / "j.db")  # another process, as a console would
    with journal.batch() as commit:
        with journal.transaction():
            journal.append([_note(1), _note(2)], 1.0)
        assert reader.count() == 0  # not committed yet
        commit()
        assert reader.count() == 2
        with journal.transaction():
            journal.append([_note(3)], 2.0)
        assert reader.count() == 2
    assert reader.count() == 3
    assert _chained(journal)
    reader.close()
    journal.close()


def test_a_failing_command_inside_a_batch_leaves_no_trace(tmp_path: Path) -> None:
    journal = _journal(tmp_path)
    with journal.batch():
        with journal.transaction():
            journal.append([_note(1)], 1.0)
        with pytest.raises(RuntimeError), journal.transaction():
            journal.append([_note(2)], 1.0)
            raise RuntimeError("the command failed after appending")
        with journal.transaction():
            journal.append([_note(3)], 1.0)
    texts = [e.payload["text"] for e in journal.events()]
    assert texts == ["note 1", "note 3"]
    assert _chained(journal)
    journal.close()


def test_an_error_leaving_the_batch_keeps_every_completed_command(tmp_path: Path) -> None:
    """As outside a batch: each completed command stays, the failed one leaves no trace."""
    journal = _journal(tmp_path)
    with pytest.raises(RuntimeError), journal.batch() as commit:
        journal.append([_note(1)], 1.0)
        commit()
        with journal.transaction():
            journal.append([_note(2)], 1.0)
        with journal.transaction():
            journal.append([_note(3)], 1.0)
            raise RuntimeError("stopped")
    assert [e.payload["text"] for e in journal.events()] == ["note 1", "note 2"]
    with journal.transaction():  # an ordinary transaction works after the batch
        journal.append([_note(4)], 1.0)
    assert journal.count() == 3
    assert _chained(journal)
    journal.close()


def test_an_exercise_played_in_a_batch_journals_what_it_journals_one_by_one(
    tmp_path: Path,
) -> None:
    """The same scripted run, batched and not: the same events (wall times aside)."""
    scenario = load_scenario(REPO / "scenarios" / "tutorial.toml")
    kinds = []
    for name, batched in (("plain.db", False), ("batched.db", True)):
        clock = VirtualClock(1000.0)
        ex = Exercise.create(tmp_path / name, scenario, clock, speed=60.0)
        if batched:
            with ex.journal.batch() as commit:
                ex.open_briefing()
                ex.start()
                for _ in range(40):
                    clock.advance(60)
                    if any(e.kind == "phase_changed" for e in ex.tick()):
                        commit()
        else:
            ex.open_briefing()
            ex.start()
            for _ in range(40):
                clock.advance(60)
                ex.tick()
        kinds.append([(e.kind, e.exercise_time, e.payload) for e in ex.journal.events()])
        assert ex.journal.verify() == []
        ex.close()
    assert kinds[0] == kinds[1]
    assert len(kinds[0]) > 10


def test_play_journal_verifies_and_reopens(tmp_path: Path) -> None:
    db = tmp_path / "robust.db"
    result = run_cli(
        "play",
        "tutorial",
        "--decisions",
        str(REPO / "scenarios" / "playthroughs" / "tutorial" / "robust.toml"),
        "--exercise",
        str(db),
    )
    assert result.returncode == 0, result.stderr
    verify = run_cli("verify", str(db))
    assert verify.returncode == 0, verify.stdout + verify.stderr
