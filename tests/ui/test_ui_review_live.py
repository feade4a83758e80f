"""An evaluator follows a running exercise: ``review`` on a live journal shows each decision as
the room records it, without reopening (the evaluator's guide says so)."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import DataTable

from exercise_engine.exercise import Exercise
from exercise_engine.ui.facilitator.app import FacilitatorApp
from exercise_engine.ui.review.app import ReviewApp
from tests.ui.helpers import new_exercise, run_in, screen_text, settle

MIN = 60


def rows(app: ReviewApp) -> list[str]:
    table = app.screen.query_one("#decisions", DataTable)
    return [str(key.value) for key in table.rows]


async def test_review_follows_a_running_exercise(tmp_path: Path) -> None:
    db, clock = new_exercise(tmp_path)
    fac = FacilitatorApp(db, clock=clock, poll_interval=None)
    review = ReviewApp(db, "Col. Silva", clock=clock, poll_interval=None)
    async with fac.run_test(size=(120, 40)) as f, review.run_test(size=(120, 40)) as r:
        await f.press("s")
        await f.pause()
        clock.advance(3 * MIN)  # the FC and the HoM are asked
        await settle(f, r)
        await r.pause()
        assert "Deploy between the crowds" not in screen_text(review)

        # the Force Commander decides from another console while the review is open
        seat = Exercise.open(db, clock)
        seat.decide(
            role="force_commander",
            inject="crowd",
            decision="posture",
            option="deploy",
            rationale="Stand between the crowds.",
        )
        seat.close()
        await settle(f, r)
        for _ in range(3):  # the re-score runs in a worker: let it finish
            await r.pause()
        assert "crowd/posture" in rows(review)
        table = review.screen.query_one("#decisions", DataTable)
        await run_in(r, lambda: table.move_cursor(row=rows(review).index("crowd/posture")))
        assert "Stand between the crowds." in screen_text(review)
