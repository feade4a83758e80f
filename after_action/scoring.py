"""Scoring each decision against the considerations — transparent, deterministic, documented.

Five factors per decision point (docs/scoring.md gives the method and a worked example):

1. **Option evidence** — the signed weights the scenario gives the chosen option (or the
   ``on_expire`` outcome), placed between the worst and the best outcome the point offered: 0 is
   the worst available, 100 the best.
2. **Timeliness** — against the response window: 100 when decided at once, falling linearly to
   50 at the deadline; 0 when the window expired or the point was left undecided.
3. **Consultation** — the share of the roles the point expects to be consulted whose advice was
   recorded before the decision.
4. **Rationale** — considerations in play that the written rationale names (indicator phrases,
   quoted as evidence): 100 at three or more, in steps of a third.
5. **Polarities** — of the tensions in play at the point (pairs of considerations the catalogue
   says pull against each other), the share the decision engaged on both sides (through the
   option's positive evidence or the rationale); a decision that serves one side only scores
   below one that visibly weighs both.

The decision's score is the weighted mean of the factors that apply (weights in ``WEIGHTS``;
a factor that does not apply — no options, no window, nobody to consult, no tension in play —
is left out and the others re-weighted). The HSEEP rating follows from the score (``RATING_BANDS``);
an evaluator's rating overrides it, and is shown beside it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from after_action.rationale import RationaleMatch, match_rationale
from exercise_engine.loading import LoadedScenario
from exercise_engine.model import Consideration, DecisionPoint, Inject

WEIGHTS: dict[str, float] = {
    "evidence": 0.40,
    "timeliness": 0.20,
    "consultation": 0.15,
    "rationale": 0.15,
    "polarity": 0.10,
}
"""How much each factor counts in a decision's score."""

RATING_BANDS: list[tuple[float, str]] = [(80, "P"), (60, "S"), (40, "M"), (0, "U")]
"""Score thresholds of the HSEEP ratings: Performed without challenges (P), with Some
challenges (S), with Major challenges (M), Unable to be performed (U)."""

RATING_NAMES = {
    "P": "Performed without challenges",
    "S": "Performed with some challenges",
    "M": "Performed with major challenges",
    "U": "Unable to be performed",
}


def rating_for(score: float) -> str:
    """The HSEEP rating a score falls in."""
    return next(r for threshold, r in RATING_BANDS if score >= threshold)


@dataclass(frozen=True)
class EvidenceItem:
    """One signed piece of evidence about a consideration, and where it came from."""

    consideration: str
    weight: int
    source: str
    """``option`` (the chosen option), ``expiry`` (the window closed) or ``rationale`` (named)."""
    quote: str = ""


@dataclass
class DecisionScore:
    """Everything the report and the evaluator console show about one decision point."""

    inject: str
    decision: str
    role: str
    prompt: str
    status: str
    opened_at: int
    closed_at: int | None
    deadline: int | None
    option: str | None
    option_label: str
    rationale: str
    on_behalf: bool
    knew: list[str]
    consult: list[str]
    advice: list[dict[str, Any]]
    factors: dict[str, float] = field(default_factory=dict)
    evidence: list[EvidenceItem] = field(default_factory=list)
    matches: list[RationaleMatch] = field(default_factory=list)
    polarities: list[tuple[str, str, str]] = field(default_factory=list)
    """(a, b, "both" | "one-sided" | "neither") for each tension in play at the point."""
    score: float = 0.0
    derived_rating: str = "U"
    evaluator_ratings: dict[str, str] = field(default_factory=dict)
    rating: str = "U"

    @property
    def key(self) -> str:
        return f"{self.inject}/{self.decision}"

    @property
    def latency(self) -> int | None:
        if self.status == "decided" and self.closed_at is not None:
            return self.closed_at - self.opened_at
        return None


def designed_considerations(point: DecisionPoint, scenario: LoadedScenario) -> set[str]:
    """What the scenario's author put at stake at this point: every option's and the expiry's
    evidence."""
    ids: set[str] = set()
    for option in point.options:
        ids |= set(option.evidence)
    if point.on_expire is not None:
        ids |= set(point.on_expire.evidence)
    return ids


def considerations_in_play(point: DecisionPoint, scenario: LoadedScenario) -> set[str]:
    """What a rationale can be credited for at this point: the designed considerations, their
    tension partners (naming the other side of a polarity counts) and the scenario's own
    considerations."""
    ids = designed_considerations(point, scenario)
    local = {c.id for c in scenario.file.considerations}
    partners = {
        t
        for cid in ids
        for t in scenario.considerations[cid].tension_with
        if t in scenario.considerations
    }
    return ids | partners | local


def _evidence_range(point: DecisionPoint) -> tuple[int, int]:
    sums = [sum(o.evidence.values()) for o in point.options]
    if point.on_expire is not None:
        sums.append(sum(point.on_expire.evidence.values()))
    return (min(sums), max(sums)) if sums else (0, 0)


def score_decision(
    record: dict[str, Any],
    scenario: LoadedScenario,
    inject: Inject,
    point: DecisionPoint,
) -> DecisionScore:
    """Score one decision point of an exercise record (``exercise_engine.record``)."""
    catalogue: Mapping[str, Consideration] = scenario.considerations
    status = str(record["status"])
    option_id = record.get("option")
    chosen = scenario.option(inject.id, point.id, str(option_id)) if option_id else None
    rationale = str(record.get("rationale") or "")
    advice = list(record.get("advice") or [])
    result = DecisionScore(
        inject=inject.id,
        decision=point.id,
        role=point.role,
        prompt=point.prompt,
        status=status,
        opened_at=int(record["opened_at"]),
        closed_at=record.get("closed_at"),
        deadline=record.get("deadline"),
        option=str(option_id) if option_id else None,
        option_label=chosen.label if chosen else "",
        rationale=rationale,
        on_behalf=bool(record.get("on_behalf")),
        knew=list(record.get("knew") or []),
        consult=list(point.consult),
        advice=advice,
    )
    # 1. option evidence
    outcome = chosen if chosen is not None else (point.on_expire if status == "expired" else None)
    if outcome is not None:
        source = "option" if chosen is not None else "expiry"
        result.evidence += [
            EvidenceItem(cid, w, source) for cid, w in sorted(outcome.evidence.items())
        ]
    low, high = _evidence_range(point)
    if point.options:
        achieved = sum(outcome.evidence.values()) if outcome is not None else low
        result.factors["evidence"] = (
            100.0 * (achieved - low) / (high - low) if high > low else 100.0
        )
    # 2. timeliness
    if status == "decided" and point.respond_within and result.closed_at is not None:
        used = (result.closed_at - result.opened_at) / point.respond_within
        result.factors["timeliness"] = max(50.0, 100.0 - 50.0 * min(1.0, used))
    elif status == "decided":
        result.factors["timeliness"] = 100.0
    else:
        result.factors["timeliness"] = 0.0
    # 3. consultation
    if point.consult:
        cutoff = result.closed_at if status == "decided" and result.closed_at is not None else 10**9
        heard = {str(a["role"]) for a in advice if int(a["at"]) <= cutoff}
        result.factors["consultation"] = (
            100.0 * len(heard & set(point.consult)) / len(point.consult)
        )
    # 4. rationale
    designed = designed_considerations(point, scenario)
    in_play = considerations_in_play(point, scenario)
    if status == "decided":
        result.matches = match_rationale(rationale, in_play, catalogue)
        result.evidence += [
            EvidenceItem(m.consideration, 1, "rationale", m.quote) for m in result.matches
        ]
        result.factors["rationale"] = min(100.0, 100.0 * len(result.matches) / 3)
    # 5. polarities: tensions the point puts in play (both sides in its evidence), or that the
    #    rationale brings in (one side in the evidence, the other named in the rationale)
    named = {m.consideration for m in result.matches}
    engaged = {e.consideration for e in result.evidence if e.weight > 0}
    pairs = sorted(
        {
            (min(a, b), max(a, b))
            for a in designed
            for b in catalogue[a].tension_with
            if b in designed or b in named
        }
    )
    for a, b in pairs:
        if a in engaged or b in engaged:
            result.polarities.append(
                (a, b, "both" if a in engaged and b in engaged else "one-sided")
            )
        else:
            result.polarities.append((a, b, "neither"))
    if pairs:
        both = sum(1 for p in result.polarities if p[2] == "both")
        result.factors["polarity"] = 100.0 * both / len(pairs) if status == "decided" else 0.0
    # the score
    total_weight = sum(WEIGHTS[f] for f in result.factors)
    result.score = (
        round(sum(WEIGHTS[f] * v for f, v in result.factors.items()) / total_weight, 1)
        if total_weight
        else 0.0
    )
    result.derived_rating = rating_for(result.score)
    result.rating = result.derived_rating
    return result
