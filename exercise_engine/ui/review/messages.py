"""What the evaluator console's screens ask of the app: messages up, data down.

Who posts them: :mod:`exercise_engine.ui.review.screen` and :mod:`.dialogs`; who handles them:
:class:`exercise_engine.ui.review.app.ReviewApp`, which journals the judgement and re-scores.
The screens get their data through constructors and ``show`` calls and never import the app.
"""

from __future__ import annotations

from textual.message import Message


class RateDecision(Message):
    """Rate a decision (or one consideration at it)."""

    def __init__(
        self, inject: str, decision: str, rating: str, consideration: str | None = None
    ) -> None:
        super().__init__()
        self.inject = inject
        self.decision = decision
        self.rating = rating
        self.consideration = consideration


class NoteRequested(Message):
    """Add an evaluator's note to a decision."""

    def __init__(self, inject: str, decision: str, text: str) -> None:
        super().__init__()
        self.inject = inject
        self.decision = decision
        self.text = text


class ObjectiveRated(Message):
    """Rate one objective."""

    def __init__(self, objective: str, rating: str) -> None:
        super().__init__()
        self.objective = objective
        self.rating = rating


class PlanEditRequested(Message):
    """Set fields of one improvement-plan row."""

    def __init__(self, row: str, fields: dict[str, str]) -> None:
        super().__init__()
        self.row = row
        self.fields = fields


class ExportRequested(Message):
    """Export the report as HTML."""
