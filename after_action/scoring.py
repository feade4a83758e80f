"""The derived indicator for each decision — transparent, deterministic, and hard to game.

Called by :mod:`after_action.assessment` for every closed decision point of an exercise record
(and directly by tests, which rescore records in memory). The figure is an *indicator* prepared
for the evaluator, not the rating: it must move for the right reasons (a better option, a
breach, a late decision) and not for the wrong ones (keywords, denials, speed inside the window,
claims of consultation). docs/scoring.md gives the method and a worked example.

Five factors, each a small function below, registered with its weight in :data:`FACTORS`:

- **Option evidence** (50) — regret against the best option the point offered.
- **Timeliness** (25) — full marks up to ``decide_by``; only late decisions and expiries lose.
- **Consultation** (20) — advice from the consulted roles received before the decision.
- **Rationale** (3) and **polarity** (2) — what the written rationale credibly names. Together
  they can move a decision by at most :data:`RATIONALE_POINTS` points, and the MLT figure by at
  most ``RATIONALE_POINTS * MLT_RATIONALE_SHARE`` (2).

Two guards follow the factors: a decision never scores above what the best option would have
scored with the same timing, advice and words; and a breach caps the score (so the rating) at
the top of the ``breach_caps`` band.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from after_action.rationale import RationaleMatch, RationaleReading, read_rationale
from exercise_engine.loading import LoadedScenario
from exercise_engine.model import Cap, Consideration, DecisionPoint, Inject, OnExpire, Option

RATING_BANDS: list[tuple[float, str]] = [(80, "P"), (60, "S"), (40, "M"), (0, "U")]
"""Score thresholds of the HSEEP ratings: Performed without challenges (P), with Some
challenges (S), with Major challenges (M), Unable to be performed (U)."""

RATING_NAMES = {
    "P": "Performed without challenges",
    "S": "Performed with some challenges",
    "M": "Performed with major challenges",
    "U": "Unable to be performed",
}

CAP_CEILING: dict[Cap, float] = {"M": 59.9, "U": 39.9}
"""The highest score a breach leaves a decision, by ``breach_caps``: the top of that band."""

RATIONALE_POINTS = 5.0
"""The most a rationale can add to a decision's score (rationale and polarity together)."""

MLT_RATIONALE_SHARE = 0.4
"""The share of the decisions' rationale points that reaches the MLT figure (at most 2)."""

NO_WINDOW_TIMELINESS = 100.0
"""Timeliness of a decided point that has no response window: nothing to be late for."""

SAME_SECOND_ADVICE_COUNTS = True
"""Advice recorded in the same second as the decision counts as heard before it: the engine
refuses advice once a point is closed, so advice journalled in that second came first."""


def rating_for(score: float) -> str:
    """The HSEEP rating a score falls in."""
    return next(r for threshold, r in RATING_BANDS if score >= threshold)


@dataclass(frozen=True)
class EvidenceItem:
    """One signed piece of evidence about a consideration, and where it came from."""

    consideration: str
    weight: int
    source: str
    """``option`` (the chosen option), ``expiry`` (the window closed) or ``rationale`` (named in
    the rationale: shown with its quote, but never counted in the evidence totals)."""
    quote: str = ""


# --- the inputs a factor sees -------------------------------------------------------------------


@dataclass(frozen=True)
class Benchmark:
    """What the point offered: the best option without a breach, and the worst outcome."""

    best: tuple[str, ...]
    """Ids of the options with the highest evidence among those without a breach."""
    best_value: int
    worst_value: int
    """The lowest evidence of any option or of ``on_expire``."""

    def regret(self, value: int) -> float:
        """0 for the best, 1 for the worst: the gap to the best over the range."""
        span = self.best_value - self.worst_value
        if span <= 0:
            return 0.0
        return min(1.0, max(0.0, (self.best_value - value) / span))


def evidence_value(outcome: Option | OnExpire | None) -> int:
    """The net of an option's (or expiry's) signed evidence weights."""
    return sum(outcome.evidence.values()) if outcome is not None else 0


def benchmark(point: DecisionPoint) -> Benchmark | None:
    """The point's best and worst outcomes; None when it has no options."""
    if not point.options:
        return None
    sound = [o for o in point.options if o.breach is None] or list(point.options)
    best_value = max(evidence_value(o) for o in sound)
    values = [evidence_value(o) for o in point.options]
    if point.on_expire is not None:
        values.append(evidence_value(point.on_expire))
    best = tuple(o.id for o in sound if evidence_value(o) == best_value)
    return Benchmark(best, best_value, min(values))


@dataclass(frozen=True)
class Inputs:
    """One decision point as the record shows it, with what the scorer derived from it."""

    point: DecisionPoint
    status: str
    opened_at: int
    closed_at: int | None
    advice: Sequence[Mapping[str, Any]]
    outcome: Option | OnExpire | None
    """The chosen option, or ``on_expire`` for an expired point, or None."""
    chosen: Option | None
    reading: RationaleReading
    at_stake: Sequence[str]
    """Considerations a rationale may be credited for here (in order of preference)."""
    catalogue: Mapping[str, Consideration]
    bench: Benchmark | None

    @property
    def decided(self) -> bool:
        return self.status == "decided" and self.closed_at is not None


# --- the factors ----------------------------------------------------------------------------------


def factor_evidence(i: Inputs) -> float | None:
    """100 × (1 − regret) of what was chosen (or of the expiry); not applicable without options."""
    if i.bench is None:
        return None
    value = evidence_value(i.outcome) if i.outcome is not None else i.bench.worst_value
    return 100.0 * (1.0 - i.bench.regret(value))


def factor_timeliness(i: Inputs) -> float:
    """100 up to ``decide_by`` (default: the window); then falling to 50 at the window's end;
    0 when the point expired or was never decided."""
    if not i.decided or i.closed_at is None:
        return 0.0
    window, full = i.point.respond_within, i.point.full_marks_until
    if window is None or full is None:
        return NO_WINDOW_TIMELINESS
    used = i.closed_at - i.opened_at
    if used <= full or window <= full:
        return 100.0
    late = min(1.0, (used - full) / (window - full))
    return 100.0 - 50.0 * late


def heard_before(i: Inputs) -> set[str]:
    """Consulted roles whose advice was recorded before the decision (same second included)."""
    if not i.decided or i.closed_at is None:
        return set()
    cutoff = i.closed_at
    heard = {
        str(a["role"])
        for a in i.advice
        if int(a["at"]) < cutoff or (SAME_SECOND_ADVICE_COUNTS and int(a["at"]) == cutoff)
    }
    return heard & set(i.point.consult)


def factor_consultation(i: Inputs) -> float | None:
    """The share of the point's ``consult`` roles heard before the decision; none for a point
    left undecided (advice informs a decision); not applicable when nobody is to be consulted."""
    if not i.point.consult:
        return None
    return 100.0 * len(heard_before(i)) / len(i.point.consult)


def factor_rationale(i: Inputs) -> float | None:
    """The considerations at stake that the rationale credibly names: 100 at three (or at all
    of them when fewer are at stake); not applicable when the point takes no written answer."""
    if not i.point.free_text:
        return None
    wanted = min(3, len(set(i.at_stake)))
    if wanted == 0:
        return None
    return 100.0 * min(1.0, len(i.reading.credited) / wanted)


def trade_offs(
    chosen: Option | None, catalogue: Mapping[str, Consideration]
) -> list[tuple[str, str]]:
    """Tension pairs the chosen option trades: (served, cost) where the option's evidence is
    positive for one side and negative for the other."""
    if chosen is None:
        return []
    pairs = []
    for a, wa in sorted(chosen.evidence.items()):
        item = catalogue.get(a)
        if item is None or wa <= 0:
            continue
        for b in item.tension_with:
            wb = chosen.evidence.get(b)
            if wb is not None and wb < 0:
                pairs.append((a, b))
    return pairs


def factor_polarity(i: Inputs) -> float | None:
    """Of the tensions the chosen option trades, the share whose cost the rationale names
    (the decision visibly weighed both sides); not applicable when the option trades none."""
    pairs = trade_offs(i.chosen, i.catalogue)
    if not pairs or not i.point.free_text:
        return None
    if not i.decided:
        return 0.0
    named = i.reading.credited
    return 100.0 * sum(1 for _, cost in pairs if cost in named) / len(pairs)


@dataclass(frozen=True)
class Factor:
    """A scoring factor: its weight (points out of 100) and the function that measures it."""

    name: str
    weight: float
    measure: Callable[[Inputs], float | None]
    words: bool = False
    """Whether the factor reads the rationale (its weight then comes from the rationale budget)."""


FACTORS: tuple[Factor, ...] = (
    Factor("evidence", 0.50, factor_evidence),
    Factor("timeliness", 0.25, factor_timeliness),
    Factor("consultation", 0.20, factor_consultation),
    Factor("rationale", 0.03, factor_rationale, words=True),
    Factor("polarity", 0.02, factor_polarity, words=True),
)
"""Every factor with its weight; the weights add up to 1."""

WEIGHTS: dict[str, float] = {f.name: f.weight for f in FACTORS}
"""How much each factor counts in a decision's score (the report prints them)."""


def measure(i: Inputs) -> dict[str, float]:
    """Every factor that applies to the point."""
    values = {f.name: f.measure(i) for f in FACTORS}
    return {k: v for k, v in values.items() if v is not None}


def combine(factors: Mapping[str, float]) -> tuple[float, float]:
    """(score without the rationale's words, points the words add) from the factor values.

    The factors that apply are re-weighted within their group: the rationale group gets
    :data:`RATIONALE_POINTS` of 100 when it applies, the other factors the rest.
    """
    by_name = {f.name: f for f in FACTORS}
    core = {k: v for k, v in factors.items() if not by_name[k].words}
    words = {k: v for k, v in factors.items() if by_name[k].words}
    core_weight = sum(by_name[k].weight for k in core)
    words_weight = sum(by_name[k].weight for k in words)
    words_share = RATIONALE_POINTS / 100.0 if words else 0.0
    core_mean = sum(by_name[k].weight * v for k, v in core.items()) / core_weight if core else 0.0
    words_mean = (
        sum(by_name[k].weight * v for k, v in words.items()) / words_weight if words else 0.0
    )
    return (1.0 - words_share) * core_mean, words_share * words_mean


# --- one decision -------------------------------------------------------------------------------


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
    """Considerations the rationale was credited for, with the words quoted."""
    denied: list[RationaleMatch] = field(default_factory=list)
    """Considerations the rationale named only to deny ("no warning was given"): not credited."""
    polarities: list[tuple[str, str, str]] = field(default_factory=list)
    """(served, cost, "both" | "one-sided") for each tension the chosen option trades: "both"
    when the rationale names the cost too."""
    best_option: str | None = None
    """The best option the point offered (highest evidence without a breach)."""
    regret: float | None = None
    """0 (the best option) to 1 (the worst outcome on offer); None without options."""
    breach: str | None = None
    """The rule the chosen option breaks, as the scenario words it."""
    cap: Cap | None = None
    """The rating the breach caps the decision at: "M", "U", or None."""
    weight: float = 1.0
    """How much the point counts in the MLT figure (``weight``, or 2 when critical)."""
    critical: bool = False
    claimed_consultation: list[str] = field(default_factory=list)
    """Roles the rationale says were consulted."""
    claimed_not_recorded: list[str] = field(default_factory=list)
    """Roles the rationale says were consulted but whose advice is not on record before the
    decision ("claimed, not recorded")."""
    score_without_rationale: float = 0.0
    """The score the decision would have with an empty rationale."""
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

    @property
    def rationale_points(self) -> float:
        """What the rationale added to the score (0 to :data:`RATIONALE_POINTS`)."""
        return round(self.score - self.score_without_rationale, 1)


def at_stake(point: DecisionPoint, chosen: Option | None) -> list[str]:
    """Considerations a rationale can be credited for at this point, in order of preference:
    the chosen option's (strongest first), the point's own list, then the other options'."""
    ids: list[str] = []
    if chosen is not None:
        ids += [c for c, _ in sorted(chosen.evidence.items(), key=lambda kv: (-abs(kv[1]), kv[0]))]
    ids += list(point.considerations)
    ids += sorted({c for o in point.options for c in o.evidence})
    return list(dict.fromkeys(ids))


def role_names(scenario: LoadedScenario) -> dict[str, list[str]]:
    """The names a rationale may use for each role in play: title and abbreviation."""
    return {r: [info.title, info.abbreviation] for r, info in scenario.roles.items()}


def _inputs(
    point: DecisionPoint,
    record: Mapping[str, Any],
    scenario: LoadedScenario,
    chosen: Option | None,
) -> Inputs:
    status = str(record["status"])
    outcome: Option | OnExpire | None = chosen
    if chosen is None and status == "expired":
        outcome = point.on_expire
    closed = record.get("closed_at")
    stake = at_stake(point, chosen)
    decided = status == "decided"
    reading = (
        read_rationale(
            str(record.get("rationale") or ""), stake, scenario.considerations, role_names(scenario)
        )
        if decided
        else RationaleReading()
    )
    return Inputs(
        point=point,
        status=status,
        opened_at=int(record["opened_at"]),
        closed_at=int(closed) if closed is not None else None,
        advice=list(record.get("advice") or []),
        outcome=outcome,
        chosen=chosen,
        reading=reading,
        at_stake=stake,
        catalogue=scenario.considerations,
        bench=benchmark(point),
    )


def score_decision(
    record: Mapping[str, Any],
    scenario: LoadedScenario,
    inject: Inject,
    point: DecisionPoint,
) -> DecisionScore:
    """Score one decision point of an exercise record (``exercise_engine.record``)."""
    status = str(record["status"])
    option_id = record.get("option")
    chosen = scenario.option(inject.id, point.id, str(option_id)) if option_id else None
    i = _inputs(point, record, scenario, chosen)
    result = DecisionScore(
        inject=inject.id,
        decision=point.id,
        role=point.role,
        prompt=point.prompt,
        status=status,
        opened_at=i.opened_at,
        closed_at=i.closed_at,
        deadline=record.get("deadline"),
        option=str(option_id) if option_id else None,
        option_label=chosen.label if chosen else "",
        rationale=str(record.get("rationale") or ""),
        on_behalf=bool(record.get("on_behalf")),
        knew=list(record.get("knew") or []),
        consult=list(point.consult),
        advice=[dict(a) for a in i.advice],
        weight=point.mlt_weight,
        critical=point.critical,
    )
    if i.outcome is not None:
        source = "option" if chosen is not None else "expiry"
        result.evidence += [
            EvidenceItem(cid, w, source) for cid, w in sorted(i.outcome.evidence.items())
        ]
    result.matches = list(i.reading.matches)
    result.denied = list(i.reading.denied)
    result.evidence += [
        EvidenceItem(m.consideration, 1, "rationale", m.quote) for m in result.matches
    ]
    claimed = [r for r in i.reading.claimed_consultation if r != point.role]
    heard = {str(a["role"]) for a in i.advice if i.closed_at is None or int(a["at"]) <= i.closed_at}
    result.claimed_consultation = claimed
    result.claimed_not_recorded = [r for r in claimed if r not in heard]
    named = i.reading.credited
    result.polarities = [
        (a, b, "both" if b in named else "one-sided") for a, b in trade_offs(chosen, i.catalogue)
    ]
    if i.bench is not None:
        result.best_option = i.bench.best[0]
        value = evidence_value(i.outcome) if i.outcome is not None else i.bench.worst_value
        result.regret = round(i.bench.regret(value), 3)
    result.factors = measure(i)

    base, words = combine(result.factors)
    # a worse option never scores above the best one with the same timing, advice and words
    if chosen is not None and i.bench is not None and result.regret:
        for best_id in i.bench.best:
            best = next(o for o in point.options if o.id == best_id)
            best_base, best_words = combine(measure(_inputs(point, record, scenario, best)))
            words = min(base + words, best_base + best_words) - min(base, best_base)
            base = min(base, best_base)
    if chosen is not None and chosen.breach is not None:
        result.breach = chosen.breach
        result.cap = chosen.breach_caps
        ceiling = CAP_CEILING[chosen.breach_caps]
        words = max(0.0, min(base + words, ceiling) - min(base, ceiling))
        base = min(base, ceiling)
    result.score_without_rationale = round(base, 1)
    result.score = round(result.score_without_rationale + round(words, 1), 1)
    result.derived_rating = rating_for(result.score)
    result.rating = result.derived_rating
    return result


def mlt_indicator(decisions: Sequence[DecisionScore]) -> float:
    """The MLT's derived figure: the weighted mean of the decisions' scores without their
    rationale points, plus :data:`MLT_RATIONALE_SHARE` of the weighted mean rationale points.

    Weights are each point's ``weight`` (2 for a critical point unless given). With no
    decisions, 0.
    """
    total = sum(d.weight for d in decisions)
    if not total:
        return 0.0
    base = sum(d.weight * d.score_without_rationale for d in decisions) / total
    words = sum(d.weight * (d.score - d.score_without_rationale) for d in decisions) / total
    return round(base + MLT_RATIONALE_SHARE * words, 1)
