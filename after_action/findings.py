"""Findings: which decisions were strengths and which are areas for improvement, and why —
from the evaluators' ratings, breaches and regret against the best option, never from net
evidence totals.

Who calls it: :mod:`after_action.assessment`. Why it exists apart: a finding is what an evaluator
signs (HSEEP: observation → analysis and root cause → reference → recommendation), so its rules
must be few, stated and testable without a journal. The rules (docs/scoring.md, "Findings"):

- an evaluator's rating decides: M or U makes an area for improvement, P or S a strength (a
  rating of one consideration at a decision makes a finding about that consideration);
- without one: a breach, an expiry, or a choice that gave up at least :data:`REGRET_AFI` of what
  the point offered (regret) is an area for improvement; the best option the point offered is a
  strength. So a best-option decision never reaches the improvement plan unless an evaluator
  rated it M or U;
- a strength whose considerations the scenario ties to a gauge that ended worse than it started
  is flagged as contradicted by the ending.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from exercise_engine.loading import LoadedScenario
from exercise_engine.model import format_duration

REGRET_AFI = 0.4
"""Regret (0 = the best option, 1 = the worst outcome the point offered; see
``after_action.scoring.Benchmark``) from which a choice no evaluator has rated becomes an area
for improvement."""

FindingKind = Literal["strength", "improvement"]
Basis = Literal["evaluator", "breach", "expired", "regret", "best option"]


@dataclass(frozen=True)
class Judged:
    """How one decision is judged, beside its derived indicator score."""

    key: str
    weight: float
    """How much the point counts in the MLT and objective figures (``weight``, doubled when
    ``critical``)."""
    best: bool
    """The chosen option is (one of) the best the point offered."""
    best_labels: tuple[str, ...]
    regret: float | None
    """0 for the best option, 1 for the worst outcome the point offered (expiry included)."""
    breach: str
    cap: str | None
    derived_rating: str
    """The indicator's rating, after a breach's cap."""
    evaluator_rating: str | None
    """The evaluators' consensus on the decision, if any rated it."""
    rating: str
    """The rating the report gives: the evaluators', else the capped derived one."""
    basis: str
    """Why that rating: ``evaluators`` / ``breach cap`` / ``indicator``."""
    assessed: float
    """The score carried into the MLT figure: the indicator, moved to the middle of the rating's
    band when an evaluator's rating (or a cap) puts it in another band."""


@dataclass
class Finding:
    """One strength or area for improvement, in HSEEP's order."""

    id: str
    kind: FindingKind
    basis: Basis
    decision: str
    role: str
    consideration: str | None
    objective: str
    title: str
    observation: str
    analysis: str
    reference: str
    recommendation: str
    element: str = "training"
    """The capability element a corrective action would most likely change (default)."""
    contradicted: str = ""
    """For a strength: what in the ending contradicts it ("" when nothing does)."""
    evaluator_notes: list[str] = field(default_factory=list)


BAND_MIDDLE = {"P": 90.0, "S": 70.0, "M": 50.0, "U": 20.0}
BAND_LOW = {"P": 80.0, "S": 60.0, "M": 40.0, "U": 0.0}
BAND_HIGH = {"P": 100.0, "S": 79.9, "M": 59.9, "U": 39.9}
ORDER = "PSMU"


def assessed_value(score: float, rating: str) -> float:
    """The indicator when it lies in the rating's band, else the middle of that band."""
    if BAND_LOW[rating] <= score <= BAND_HIGH[rating] + 0.05:
        return score
    return BAND_MIDDLE[rating]


def worse(a: str, b: str) -> str:
    """The more critical of two ratings."""
    return a if ORDER.index(a) >= ORDER.index(b) else b


def linked_variables(scenario: LoadedScenario, consideration: str) -> list[str]:
    """Gauges the scenario's author ties to a consideration: across every option, serving the
    consideration mostly moves the gauge the good way (the author's own design, no guessing)."""
    votes: dict[str, int] = {}
    for _inject, point in scenario.decision_points():
        for option in point.options:
            weight = option.evidence.get(consideration)
            if not weight:
                continue
            for name, delta in option.effects.items():
                variable = scenario.file.variables.get(name)
                if variable is None or not isinstance(delta, int | float) or not delta:
                    continue
                good = delta > 0 if variable.good == "high" else delta < 0
                votes[name] = votes.get(name, 0) + (1 if good == (weight > 0) else -1)
    return sorted(name for name, v in votes.items() if v > 0)


def ending_contradiction(
    scenario: LoadedScenario, considerations: list[str], final: dict[str, float]
) -> str:
    """What in the final world state contradicts a strength about ``considerations`` ("")."""
    worse_gauges = []
    for name in sorted({v for c in considerations for v in linked_variables(scenario, c)}):
        variable = scenario.file.variables[name]
        end = final.get(name, variable.initial)
        declined = end < variable.initial if variable.good == "high" else end > variable.initial
        if declined:
            worse_gauges.append(f"{variable.label} ended at {end:g} (started {variable.initial:g})")
    if not worse_gauges:
        return ""
    return "the ending contradicts it: " + "; ".join(worse_gauges)


def when(seconds: int | None) -> str:
    return format_duration(seconds) if seconds is not None else "—"
