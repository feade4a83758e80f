"""Every outcome a decision point offers (each option and the expiry), for the craft checks.

Several checks ask the same questions of options and expiries — what they change, what they set,
what they show — so they walk the scenario's outcomes through one helper.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from exercise_engine.loading.loaded import LoadedScenario
from exercise_engine.model import DecisionPoint, Inject
from exercise_engine.model.inject import Outcome


@dataclass(frozen=True)
class Offered:
    """One outcome of one decision point: an option, or the expiry (``option`` is None)."""

    inject: Inject
    point: DecisionPoint
    option: str | None
    outcome: Outcome

    @property
    def name(self) -> str:
        """``inject/point/option`` or ``inject/point (expiry)``."""
        base = f"{self.inject.id}/{self.point.id}"
        return f"{base}/{self.option}" if self.option is not None else f"{base} (expiry)"


def offered(scenario: LoadedScenario) -> Iterator[Offered]:
    """Each option of each point, then its expiry when it has one, in file order."""
    for inject, point in scenario.decision_points():
        for option in point.options:
            yield Offered(inject, point, option.id, option)
        if point.on_expire is not None:
            yield Offered(inject, point, None, point.on_expire)
