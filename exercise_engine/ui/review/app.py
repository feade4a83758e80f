"""The evaluator console app: walk the decisions, see the evidence, rate, annotate, export.

Who calls it: ``exercise-engine review DB [--evaluator NAME]``. It follows the journal like the
other consoles (several evaluators may review one exercise at once, and each sees the others'
ratings and the agreement between them), and it re-scores after every change through the same
``after_action`` code that writes the report.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from exercise_engine.clock import WallClock
from exercise_engine.exercise import Exercise
from exercise_engine.model.events import Event
from exercise_engine.ui.base import ConsoleApp
from exercise_engine.ui.review.dialogs import (
    ObjectiveRated,
    ObjectiveRatingScreen,
    PlanEditRequested,
    PlanEditScreen,
)


def review_data(exercise: Exercise) -> dict[str, Any]:
    """The report data of an exercise (runs on the journal thread)."""
    from after_action.assessment import assess
    from after_action.report.data import report_data

    return report_data(assess(exercise), exercise.scenario)


class ReviewApp(ConsoleApp):
    """One evaluator's console on one exercise journal."""

    def __init__(
        self,
        db: Path | str,
        evaluator: str,
        *,
        clock: WallClock | None = None,
        poll_interval: float | None = 0.5,
    ) -> None:
        super().__init__(db, clock=clock, poll_interval=poll_interval)
        self.evaluator = evaluator.strip()
        self.data: dict[str, Any] = {}
        """The latest report data (decisions, scores, ratings, agreement)."""
        self.title = f"Review: {self.scenario.title}"
        self.sub_title = f"Evaluator: {self.evaluator}"

    async def on_mount(self) -> None:
        await super().on_mount()
        await self.reload()
        from exercise_engine.ui.review.screen import ReviewScreen

        self.push_screen(ReviewScreen())

    async def reload(self) -> None:
        """Re-score from the journal (after our own rating, or events from elsewhere)."""
        self.data = await self.link.call(review_data)
        for screen in self.screen_stack:
            if isinstance(screen, ObjectiveRatingScreen):
                screen.show(self.data["objectives"])
            elif isinstance(screen, PlanEditScreen):
                screen.show(self.data["improvement_plan"])
            refresh = getattr(screen, "show_data", None)
            if callable(refresh):
                refresh()

    def on_events(self, events: list[Event]) -> None:
        self.run_worker(self.reload(), exclusive=True, group="reload")

    async def rate(
        self, inject: str, decision: str, rating: str, consideration: str | None = None
    ) -> None:
        what = f"{inject}/{decision}" + (f" · {consideration}" if consideration else "")
        await self.command(
            lambda ex: ex.rate(
                evaluator=self.evaluator,
                inject=inject,
                decision=decision,
                rating=rating,
                consideration=consideration,
            ),
            f"{what}: rated {rating}",
        )
        await self.reload()

    def open_objectives(self) -> None:
        self.push_screen(ObjectiveRatingScreen(self.data.get("objectives", []), self.evaluator))

    def open_plan(self) -> None:
        roles = {r: self.scenario.role_title(r) for r in self.scenario.roles}
        self.push_screen(PlanEditScreen(self.data.get("improvement_plan", []), roles))

    async def on_objective_rated(self, message: ObjectiveRated) -> None:
        await self.command(
            lambda ex: ex.rate_objective(
                evaluator=self.evaluator, objective=message.objective, rating=message.rating
            ),
            f"objective {message.objective}: rated {message.rating}",
        )
        await self.reload()

    async def on_plan_edit_requested(self, message: PlanEditRequested) -> None:
        await self.command(
            lambda ex: ex.edit_plan(editor=self.evaluator, row=message.row, fields=message.fields),
            f"plan row {message.row}: saved",
        )
        await self.reload()

    async def add_note(self, inject: str, decision: str, text: str) -> bool:
        done = await self.command(
            lambda ex: ex.evaluator_note(
                evaluator=self.evaluator, inject=inject, decision=decision, text=text
            ),
            "Note saved",
        )
        await self.reload()
        return done is not None

    async def export(self) -> None:
        """The report as HTML: a download in a browser, a file beside the journal here."""
        from after_action.assessment import assess
        from after_action.report import render_report

        html = await self.link.call(lambda ex: render_report(assess(ex), ex.scenario, "html"))
        name = f"{self.db.stem}-report.html"
        self.deliver_text(
            io.StringIO(html),
            save_directory=self.db.resolve().parent,
            save_filename=name,
            mime_type="text/html",
        )
        self.notify(f"Report: {name} (a download in a browser, beside the journal here)")
