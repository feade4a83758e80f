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
from exercise_engine.journal.url import PgLocation
from exercise_engine.model.events import Event
from exercise_engine.safe_text import printable
from exercise_engine.ui.base import ConsoleApp
from exercise_engine.ui.review.dialogs import ObjectiveRatingScreen, PlanEditScreen
from exercise_engine.ui.review.messages import (
    ExportRequested,
    NoteRequested,
    ObjectiveRated,
    PlanEditRequested,
    RateDecision,
)
from exercise_engine.ui.review.screen import ReviewScreen


def review_data(exercise: Exercise) -> dict[str, Any]:
    """The report data of an exercise (runs on the journal thread)."""
    from after_action.assessment import assess
    from after_action.report.data import report_data

    return report_data(assess(exercise), exercise.scenario)


class ReviewApp(ConsoleApp):
    """One evaluator's console on one exercise journal: it journals what its screens ask for
    (messages up) and hands them fresh report data after every re-score (data down)."""

    def __init__(
        self,
        db: Path | str | PgLocation,
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
        self.sub_title = printable(f"Evaluator: {self.evaluator}")

    async def on_mount(self) -> None:
        await super().on_mount()
        await self.reload()
        scenario = self.scenario
        self.push_screen(
            ReviewScreen(
                self.evaluator,
                short_roles={r.id: r.abbreviation for r in scenario.roles.values()},
                roles={r: scenario.role_title(r) for r in scenario.roles},
                statements={cid: c.statement for cid, c in scenario.considerations.items()},
            )
        )
        self._show()

    async def reload(self) -> None:
        """Re-score from the journal (after our own rating, or events from elsewhere)."""
        self.data = await self.link.call(review_data)
        self._show()

    def _show(self) -> None:
        for screen in self.screen_stack:
            if isinstance(screen, ReviewScreen):
                screen.show_data(self.data)
            elif isinstance(screen, ObjectiveRatingScreen):
                screen.show(self.data["objectives"])
            elif isinstance(screen, PlanEditScreen):
                screen.show(self.data["improvement_plan"])

    def on_events(self, events: list[Event]) -> None:
        self.run_worker(self.reload(), exclusive=True, group="reload")

    async def on_rate_decision(self, message: RateDecision) -> None:
        await self.rate(message.inject, message.decision, message.rating, message.consideration)

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

    async def on_note_requested(self, message: NoteRequested) -> None:
        await self.command(
            lambda ex: ex.evaluator_note(
                evaluator=self.evaluator,
                inject=message.inject,
                decision=message.decision,
                text=message.text,
            ),
            "Note saved",
        )
        await self.reload()

    async def on_export_requested(self, _message: ExportRequested) -> None:
        await self.export()

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
