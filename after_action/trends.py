"""Trends across cohorts: how the syndicates of many courses did on each objective and each
consideration of a scenario, in the order the exercises were played.

Who calls it: ``exercise-engine trends`` (:mod:`exercise_engine.commands.trends`), which opens the
journals, assesses each with :func:`after_action.assessment.assess` and hands the results here;
:mod:`after_action.trends_render` lays the result out as Markdown or HTML. Why it exists: a
training centre keeps every exercise, and the findings of one course should shape the next; the
single-exercise report and ``compare`` (syndicates of one course side by side) cannot show that.

Nothing is scored anew. Every figure is the assessment's own (docs/scoring.md), and the
evaluators lead exactly as in the report:

- **Objective:** the objective's rating in the report (the evaluators' consensus on it, else the
  rating of the weighted mean *assessed* value of its decisions) and that assessed value.
- **Consideration:** the decisions whose option or expiry evidence bears on it (the rule an
  objective uses for its considerations, :func:`~after_action.assessment.touches`), their weighted
  mean assessed value, and its rating; when evaluators rated that consideration at any decision,
  their consensus is the rating. The net evidence (the report's appendix) is shown beside it.
- **The figure charted** is that assessed value, moved into the band of the rating when the
  evaluators' rating puts it elsewhere (the middle of the band, as the headline does for a rated
  decision: :func:`~after_action.findings.assessed_value`).

Anonymised by construction: a cohort is known only by the day its exercise started and a short
hash of the journal's first event (the same exercise gets the same label wherever its journal is
kept). No syndicate, participant or evaluator name, no note, rationale or file path is read into
:class:`Cohort`, so no output format can show one.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import UTC, datetime

from after_action.assessment import OTHER, Assessment, consensus, touches, weighted_mean
from after_action.findings import BAND_MIDDLE, assessed_value
from after_action.scoring import rating_for

LABEL_HASH_DIGITS = 8
"""Hex digits of the cohort label's hash: enough to tell a centre's exercises apart."""


@dataclass(frozen=True)
class Mark:
    """How one cohort did on one objective or consideration."""

    value: float | None
    """The figure charted: the assessed value, inside the band of ``rating`` (None: no figure)."""
    rating: str | None
    """P, S, M or U as the report gives it (evaluators lead); None when nothing was reached."""
    evaluators: bool
    """The rating is the evaluators' own (not derived from the decisions)."""
    indicator: float | None
    """The derived indicator alone (no evaluator rating applied), shown beside the rating."""
    net: int | None = None
    """Considerations only: the net option and expiry evidence (the report's appendix)."""
    decisions: int = 0
    """How many scored decisions the figure rests on."""


@dataclass(frozen=True)
class Heading:
    """An objective or a consideration as the scenario states it (the row of a trend table)."""

    id: str
    text: str
    area: str = ""


@dataclass(frozen=True)
class Cohort:
    """One exercise, anonymised: what the trend tables need and nothing else."""

    label: str
    """``YYYY-MM-DD · 1a2b3c4d``: the day it started and a hash of its first journal event."""
    identity: str
    """The hash of the exercise's own first event, in full: the same exercise read twice (a
    copy, a backup, an export) is counted once; a fork is an exercise of its own."""
    started: float
    """Wall time of the first event (orders the cohorts; only its day is shown)."""
    events: int
    scenario_id: str
    scenario_title: str
    scenario_hash: str
    verified: bool
    ending: str
    mlt_score: float
    mlt_rating: str
    mlt_indicator: float
    mlt_evaluators: bool
    """The headline rating rests on evaluators' ratings (of decisions or objectives)."""
    objectives: dict[str, Mark]
    considerations: dict[str, Mark]
    objective_headings: tuple[Heading, ...]
    consideration_headings: tuple[Heading, ...]


@dataclass(frozen=True)
class Row:
    """One objective or consideration across the cohorts, in time order."""

    heading: Heading
    marks: tuple[Mark | None, ...]
    """One per cohort of the trend (None: this cohort's scenario version has no such row)."""

    @property
    def change(self) -> float | None:
        """The last figure minus the first (None with fewer than two figures)."""
        values = [m.value for m in self.marks if m is not None and m.value is not None]
        return round(values[-1] - values[0], 1) if len(values) >= 2 else None


@dataclass(frozen=True)
class ScenarioTrend:
    """Every cohort of one scenario, oldest first, with a row per objective and consideration."""

    scenario_id: str
    title: str
    cohorts: tuple[Cohort, ...]
    objectives: tuple[Row, ...]
    considerations: tuple[Row, ...]
    excluded: tuple[Cohort, ...] = ()
    """Cohorts left out because their journal fails verification."""
    versions: int = 1
    """How many different versions (content hashes) of the scenario the cohorts played."""


@dataclass(frozen=True)
class Trends:
    """The whole analysis: one trend per scenario, in scenario id order."""

    scenarios: tuple[ScenarioTrend, ...]
    unverified_included: bool = False
    """``--allow-unverified``: cohorts whose journal fails verification are counted (marked)."""
    duplicates: tuple[str, ...] = field(default=())
    """Labels of exercises found more than once (counted once)."""


def cohort_label(started: float, first_hash: str) -> str:
    """``YYYY-MM-DD · 1a2b3c4d``: the day (UTC) and a short hash of the first event's hash.

    Hashing the hash again keeps the label from being a prefix anyone could look up in a journal
    with ``verify --head``; it stays stable when the journal moves (``export``/``import``).
    """
    day = datetime.fromtimestamp(started, tz=UTC).strftime("%Y-%m-%d")
    digest = hashlib.sha256(f"exercise-engine trends:{first_hash}".encode()).hexdigest()
    return f"{day} · {digest[:LABEL_HASH_DIGITS]}"


def _objective_marks(a: Assessment) -> tuple[dict[str, Mark], tuple[Heading, ...]]:
    marks: dict[str, Mark] = {}
    headings = []
    for o in a.objectives:
        if o.ref.id == OTHER:
            continue  # "decisions no objective names" differs per exercise: no trend to follow
        headings.append(Heading(o.ref.id, o.ref.text))
        marks[o.ref.id] = _mark(
            o.assessed, o.rating, o.basis == "evaluators", o.indicator, None, len(o.decisions)
        )
    return marks, tuple(headings)


def _consideration_marks(a: Assessment) -> tuple[dict[str, Mark], tuple[Heading, ...]]:
    marks: dict[str, Mark] = {}
    headings = []
    for cid, roll in a.considerations.items():
        c = roll.consideration
        headings.append(Heading(cid, c.statement, c.area))
        mine = [d for d in a.decisions if touches(d, (cid,))]
        indicator = weighted_mean([(d.score, a.judged[d.key].weight) for d in mine])
        assessed = weighted_mean([(a.judged[d.key].assessed, a.judged[d.key].weight) for d in mine])
        rated = roll.evaluator_ratings
        if rated:
            rating: str | None = consensus(list(rated))
        else:
            rating = rating_for(assessed) if assessed is not None else None
        marks[cid] = _mark(assessed, rating, bool(rated), indicator, roll.net, len(mine))
    return marks, tuple(headings)


def _mark(
    assessed: float | None,
    rating: str | None,
    evaluators: bool,
    indicator: float | None,
    net: int | None,
    decisions: int,
) -> Mark:
    if rating is None:
        value = None
    elif assessed is None:
        value = BAND_MIDDLE[rating]  # rated by evaluators, no decision reached to carry a figure
    else:
        value = assessed_value(assessed, rating)
    return Mark(value, rating, evaluators, indicator, net, decisions)


def cohort_of(a: Assessment, first_hash: str, started: float, events: int) -> Cohort:
    """The anonymised cohort of one assessed exercise (``first_hash``, ``started``: the hash and
    wall time of the exercise's own first event — ``exercise_created``, or for a fork its
    ``exercise_forked``, since a fork begins with a copy of its source's events)."""
    record = a.record
    state = record["state"]
    objectives, objective_headings = _objective_marks(a)
    considerations, consideration_headings = _consideration_marks(a)
    return Cohort(
        label=cohort_label(started, first_hash),
        identity=first_hash,
        started=started,
        events=events,
        scenario_id=record["exercise"]["scenario"],
        scenario_title=record["exercise"]["title"],
        scenario_hash=a.record["exercise"].get("scenario_hash", ""),
        verified=bool(record["exercise"]["verified"]),
        ending=state.get("ending_title") or state.get("ending") or "",
        mlt_score=a.mlt_score,
        mlt_rating=a.mlt_rating,
        mlt_indicator=a.mlt_indicator,
        mlt_evaluators="evaluators" in a.mlt_basis,
        objectives=objectives,
        considerations=considerations,
        objective_headings=objective_headings,
        consideration_headings=consideration_headings,
    )


def _rows(cohorts: list[Cohort], pick: str, order: list[Heading]) -> tuple[Row, ...]:
    """One row per heading: each cohort's mark (``pick``: ``objectives``/``considerations``)."""
    return tuple(Row(h, tuple(getattr(c, pick).get(h.id) for c in cohorts)) for h in order)


def _headings(cohorts: list[Cohort], pick: str) -> list[Heading]:
    """Every row any cohort has, in the newest cohort's words (newest first wins)."""
    seen: dict[str, Heading] = {}
    for c in reversed(cohorts):
        for h in getattr(c, pick):
            seen.setdefault(h.id, h)
    return list(seen.values())


def build_trends(
    cohorts: list[Cohort], *, allow_unverified: bool = False, scenario: str | None = None
) -> Trends:
    """Group ``cohorts`` by scenario (only ``scenario`` when given), oldest first.

    A cohort whose journal fails verification is listed as excluded unless ``allow_unverified``.
    The same exercise found twice (same first event) is counted once: a copy that verifies
    before one that does not, then the copy with the most events (a backup taken before the
    evaluators' ratings has fewer).
    """
    unique: dict[str, Cohort] = {}
    duplicates: list[str] = []
    for c in cohorts:
        kept = unique.get(c.identity)
        if kept is not None:
            duplicates.append(c.label)
            if (c.verified, c.events) <= (kept.verified, kept.events):
                continue
        unique[c.identity] = c
    groups: dict[str, list[Cohort]] = {}
    for c in sorted(unique.values(), key=lambda c: (c.started, c.label)):
        if scenario is None or c.scenario_id == scenario:
            groups.setdefault(c.scenario_id, []).append(c)
    out = []
    for sid, members in sorted(groups.items()):
        counted = [c for c in members if c.verified or allow_unverified]
        excluded = tuple(c for c in members if not (c.verified or allow_unverified))
        objectives = _headings(counted, "objective_headings")
        considerations = sorted(
            _headings(counted, "consideration_headings"), key=lambda h: (h.area, h.id)
        )
        out.append(
            ScenarioTrend(
                scenario_id=sid,
                title=(counted or members)[-1].scenario_title,
                cohorts=tuple(counted),
                objectives=_rows(counted, "objectives", objectives),
                considerations=_rows(counted, "considerations", considerations),
                excluded=excluded,
                versions=len({c.scenario_hash for c in counted}) or 1,
            )
        )
    return Trends(tuple(out), allow_unverified, tuple(sorted(set(duplicates))))
