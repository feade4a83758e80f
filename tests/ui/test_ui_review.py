"""The evaluator console: walk the decisions, rate them (overall and per consideration), annotate,
see another evaluator's ratings and the agreement — all journalled."""

from __future__ import annotations

from pathlib import Path

from exercise_engine.clock import VirtualClock
from exercise_engine.exercise import Exercise
from exercise_engine.journal import Journal
from exercise_engine.loading import load_scenario
from exercise_engine.loading.playthrough import load_playthrough
from exercise_engine.runtime import play_script
from exercise_engine.ui.review.app import ReviewApp, review_data
from exercise_engine.ui.views.review import considerations_at, decision_markdown, decision_rows
from tests.conftest import REPO
from tests.ui.conftest import Snapshot
from tests.ui.helpers import screen_text, settle, type_text

START = 1_767_225_600.0


def played(tmp_path: Path) -> Path:
    scenario = load_scenario(REPO / "scenarios" / "tutorial.toml")
    script, _ = load_playthrough(REPO / "scenarios/playthroughs/tutorial/robust.toml", scenario)
    clock = VirtualClock(START)
    db = tmp_path / "played.db"
    exercise = Exercise.create(db, scenario, clock, speed=1.0)
    play_script(exercise, clock, script)
    exercise.close()
    return db


def ratings(db: Path) -> list[dict[str, object]]:
    return [
        e.payload
        for e in Journal.open(db).events()
        if e.kind in ("evaluator_rating", "evaluator_note")
    ]


def test_review_views_are_plain_functions(tmp_path: Path) -> None:
    db = played(tmp_path)
    data = review_data(Exercise.open(db, VirtualClock(START)))
    rows = decision_rows(data, "Ana", {"force_commander": "FC"})
    assert rows[1][:3] == ("00:10", "tut-02/posture", "FC")
    intervene = data["decisions"][5]
    assert intervene["key"] == "tut-04/intervene"
    text = decision_markdown(intervene, [])
    assert "### What the role knew" in text and "tut-04 Stones thrown across the square" in text
    assert '"Minimum force and a proportionate response' in text  # the matching words, quoted
    assert "uof.proportionate" in considerations_at(intervene)


async def test_an_evaluator_rates_annotates_and_sees_agreement(tmp_path: Path) -> None:
    db = played(tmp_path)
    ana = ReviewApp(db, "Ana", clock=VirtualClock(START), poll_interval=None)
    async with ana.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("down", "s")  # tut-02/posture, overall
        await pilot.press("down", "c")  # tut-03/statement: rate one consideration
        await pilot.pause()
        await pilot.press("p")
        await pilot.press("escape", "n")
        await pilot.pause()
        await type_text(pilot, "Quick but did not check the rumour")
        await pilot.press("ctrl+s")
        await pilot.pause()
        got = ratings(db)
        assert {
            "evaluator": "Ana",
            "inject": "tut-02",
            "decision": "posture",
            "consideration": None,
            "rating": "S",
            "note": "",
        } in got
        assert any(
            r.get("decision") == "statement" and r.get("consideration") and r.get("rating") == "P"
            for r in got
        )
        assert any(r.get("text") == "Quick but did not check the rumour" for r in got)
        assert "you rated 1 of 10" in screen_text(ana)

        ben = Exercise.open(db, VirtualClock(START))
        ben.rate(evaluator="Ben", inject="tut-02", decision="posture", rating="M")
        ben.close()
        await settle(pilot)
        await ana.reload()
        await pilot.pause()
        text = screen_text(ana)
        assert "also rating: Ben" in text and "Cohen κ" in text


async def test_review_snapshots(tmp_path: Path, snapshot: Snapshot) -> None:
    db = played(tmp_path)
    for size in ((80, 24), (120, 40)):
        app = ReviewApp(db, "Ana", clock=VirtualClock(START), poll_interval=None)
        async with app.run_test(size=size) as pilot:
            await pilot.pause()
            await pilot.press("down", "down")
            await pilot.pause()
            snapshot(app, "review")


def test_review_needs_an_evaluator_name(tmp_path: Path) -> None:
    from tests.conftest import run_cli

    db = played(tmp_path)
    result = run_cli("review", str(db))  # no --evaluator, and no terminal to ask on
    assert result.returncode == 2 and "an evaluator needs a name" in result.stderr
    missing = run_cli("review", str(tmp_path / "none.db"), "--evaluator", "Ana")
    assert missing.returncode == 2 and "no such exercise journal" in missing.stderr
