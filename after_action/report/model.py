"""The report as one typed model: what every format (Markdown, HTML, PDF, JSON) renders.

Who calls it: :mod:`after_action.report.render` (and the evaluator console through
:func:`report_data`). Why typed and single: the formats are laid out from this one object
(:mod:`after_action.report.layout`), so they cannot disagree about a rating, a finding or a plan
row. The shape follows HSEEP's After-Action Report / Improvement Plan: overview, analysis per
objective (strengths and areas for improvement, each observation → analysis → reference →
recommendation), the improvement plan matrix; then the decision ledger, notes, timeline and the
agreement between evaluators. ``anonymize`` replaces the syndicate's, the participants' and the
evaluators' names, drops the journal's path and the calendar dates.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import Any

from after_action.assessment import Assessment, PlanRow
from after_action.findings import Finding
from after_action.scoring import (
    MLT_RATIONALE_SHARE,
    RATING_BANDS,
    RATING_NAMES,
    RATIONALE_POINTS,
    WEIGHTS,
    rating_for,
)
from exercise_engine.loading import LoadedScenario
from exercise_engine.model import format_duration


@dataclass
class Mlt:
    score: float
    """The headline figure: decision scores with the evaluators' ratings applied (weighted)."""
    rating: str
    """The headline rating (evaluators lead; see ``basis``)."""
    rating_name: str
    basis: str
    indicator: float
    """The derived figure alone (no evaluator rating applied), shown beside the rating."""
    indicator_rating: str


@dataclass
class SeatRow:
    role: str
    title: str
    participant: str
    played: bool


@dataclass
class ObjectiveLine:
    id: str
    text: str
    capability: str
    derived: bool


@dataclass
class Overview:
    exercise_name: str
    scenario_id: str
    scenario_title: str
    mission: str
    summary: str
    syndicate: str
    dates: str
    scenario_dates: str
    duration: str
    status: str
    ending: str
    ending_summary: str
    seats: list[SeatRow]
    evaluators: list[str]
    objectives: list[ObjectiveLine]
    decision_points: str
    journal_head: str
    """The journal's last event and its hash (note it: ``verify --head`` checks it later)."""
    verification: str
    """"" when the journal verifies; otherwise the first problem found."""


@dataclass
class FindingRow:
    id: str
    kind: str
    basis: str
    decision: str
    consideration: str | None
    title: str
    observation: str
    analysis: str
    reference: str
    recommendation: str
    contradicted: str


@dataclass
class ObjectiveSection:
    id: str
    text: str
    capability: str
    derived: bool
    rating: str | None
    rating_name: str
    basis: str
    indicator: float | None
    indicator_rating: str | None
    evaluator_ratings: dict[str, str]
    notes: list[str]
    decisions: list[str]
    strengths: list[FindingRow]
    improvements: list[FindingRow]


@dataclass
class AdviceLine:
    role: str
    at: str
    recommend: str | None
    text: str
    dissent: bool


@dataclass
class DecisionLine:
    key: str
    inject: str
    inject_title: str
    decision: str
    role: str
    role_title: str
    prompt: str
    status: str
    opened_at: str
    closed_at: str | None
    deadline: str | None
    latency_minutes: float | None
    option: str | None
    option_label: str
    rationale: str
    hot_seat: bool
    knew: list[str]
    consult: list[str]
    advice: list[AdviceLine]
    claimed_not_recorded: list[str]
    denied: list[dict[str, str]]
    """Considerations the rationale named only to deny them (not credited), with the words."""
    factors: dict[str, float]
    evidence: list[dict[str, Any]]
    polarities: list[dict[str, str]]
    score: float
    """The derived indicator."""
    derived_rating: str
    evaluator_ratings: dict[str, str]
    rating: str
    rating_basis: str
    best_option: bool
    best_labels: list[str]
    regret: float | None
    breach: str
    cap: str | None
    weight: float
    critical: bool
    score_without_rationale: float
    excluded: bool = False


@dataclass
class NoteLine:
    source: str
    """``evaluator``, ``facilitator`` or ``hot wash``."""
    author: str
    about: str
    at: str
    text: str


@dataclass
class Report:
    """Everything the after-action report says, once."""

    title: str
    exercise: dict[str, Any]
    scenario: dict[str, Any]
    overview: Overview
    outcome: dict[str, Any]
    still_open: int
    mlt: Mlt
    method: dict[str, Any]
    objectives: list[ObjectiveSection]
    improvement_plan: list[PlanRow]
    """The assessment's rows, with the editors' names as the report shows them."""
    decisions: list[DecisionLine]
    not_played: list[DecisionLine]
    areas: dict[str, float | None]
    roles: dict[str, dict[str, Any]]
    considerations: dict[str, dict[str, Any]]
    timeline: list[dict[str, Any]]
    notes: list[NoteLine]
    evaluators: list[str]
    evaluator_notes: list[dict[str, Any]]
    agreement: list[dict[str, Any]]
    refusals: list[dict[str, Any]]
    sections: list[str] = field(default_factory=list)
    """Every heading of the report, in order (filled by the layout): the formats' shared outline."""
    pre_play: str = ""
    """When the early moves were pre-played (``--start-at``): which playthrough, up to which phase."""
    pre_played: list[DecisionLine] = field(default_factory=list)
    """Their decision points: shown, not scored (the playthrough's choices, not the seats')."""


def _date(wall: float) -> str:
    return datetime.fromtimestamp(wall, tz=UTC).strftime("%Y-%m-%d")


def _finding(f: Finding) -> FindingRow:
    return FindingRow(
        f.id,
        f.kind,
        f.basis,
        f.decision,
        f.consideration,
        f.title,
        f.observation,
        f.analysis,
        f.reference,
        f.recommendation,
        f.contradicted,
    )


def build_report(
    assessment: Assessment, scenario: LoadedScenario, *, anonymize: bool = False
) -> Report:
    """The report model of an assessment."""
    record = assessment.record
    alias = {
        name: (f"Evaluator {i + 1}" if anonymize else name)
        for i, name in enumerate(assessment.evaluators)
    }

    def who(name: str) -> str:
        return alias.get(name, "Evaluator" if anonymize else name)

    exercise = dict(record["exercise"])
    if anonymize:
        exercise["syndicate"] = "Syndicate" if exercise.get("syndicate") else ""
        exercise["journal"] = ""
        exercise["forked_from"] = None
        exercise["head_hash"] = ""
    state = record["state"]
    titles = assessment.role_titles
    events = record["events"]
    walls = [e["wall_time"] for e in events]
    if anonymize or not walls:
        dates = "withheld (anonymized report)" if anonymize else "—"
    else:
        first, last = _date(min(walls)), _date(max(walls))
        dates = first if first == last else f"{first} to {last}"
    start = scenario.file.clock.start
    end = start + timedelta(seconds=int(state["exercise_time"]))
    scenario_dates = f"{start:%Y-%m-%d %H:%M} to {end:%Y-%m-%d %H:%M} (scenario calendar)"
    ending_summary = next(
        (
            e.summary
            for i, e in enumerate(scenario.file.end)
            if scenario.ending_id(i) == state["ending"]
        ),
        "",
    )
    decisions = [_decision(d, assessment, scenario, who) for d in assessment.decisions]
    not_played = [
        _decision(d, assessment, scenario, who, excluded=True) for d in assessment.excluded
    ]
    pre_played = [
        _decision(d, assessment, scenario, who, excluded=True, basis="pre-played: not scored")
        for d in assessment.pre_played
    ]
    pre = assessment.pre_play
    pre_play = (
        f"The moves before phase {pre['phase']!r} were pre-played from playthrough"
        f" {pre['playthrough']!r} ({pre.get('file', '')}); the syndicate started there, at"
        f" {format_duration(int(pre['at']))} of exercise time."
        if pre
        else ""
    )
    decided = sum(d.status == "decided" for d in decisions)
    expired = sum(d.status == "expired" for d in decisions)
    counts = (
        f"{len(decisions)} scored ({decided} decided, {expired} expired)"
        + (f"; {len(not_played)} at seats not played, excluded" if not_played else "")
        + (f"; {len(pre_played)} pre-played from a playthrough, not scored" if pre_played else "")
        + (f"; {assessment.still_open} still open, not scored yet" if assessment.still_open else "")
    )
    overview = Overview(
        exercise_name=f"{scenario.title} — {exercise.get('syndicate') or 'unnamed syndicate'}",
        scenario_id=scenario.id,
        scenario_title=scenario.title,
        mission=scenario.file.mission,
        summary=" ".join(scenario.file.summary.split()),
        syndicate=exercise.get("syndicate") or "",
        dates=dates,
        scenario_dates=scenario_dates,
        duration=f"{state['exercise_time_text']} of exercise time",
        status=str(state["status"]).replace("_", " "),
        ending=state["ending_title"] or state["ending"] or "none reached",
        ending_summary=" ".join(ending_summary.split()),
        seats=[
            SeatRow(
                s.role,
                s.title,
                ("Participant" if anonymize and s.participant else s.participant),
                s.played,
            )
            for s in assessment.seats
        ],
        evaluators=[who(e) for e in assessment.evaluators],
        objectives=[
            ObjectiveLine(o.ref.id, o.ref.text, o.ref.capability, o.ref.derived)
            for o in assessment.objectives
        ],
        decision_points=counts,
        journal_head=(
            "withheld (anonymized report)"
            if anonymize
            else f"event {exercise.get('head_seq', 0)}, {exercise.get('head_hash', '')}"
        ),
        verification=(
            "" if exercise.get("verified", True) else str(exercise.get("verify_problem") or "")
        ),
    )
    objectives = [
        ObjectiveSection(
            id=o.ref.id,
            text=o.ref.text,
            capability=o.ref.capability,
            derived=o.ref.derived,
            rating=o.rating,
            rating_name=RATING_NAMES[o.rating] if o.rating else "not rated",
            basis=o.basis,
            indicator=o.indicator,
            indicator_rating=rating_for(o.indicator) if o.indicator is not None else None,
            evaluator_ratings={who(k): v for k, v in sorted(o.evaluator_ratings.items())},
            notes=list(o.notes),
            decisions=o.decisions,
            strengths=[_finding(f) for f in o.strengths],
            improvements=[_finding(f) for f in o.improvements],
        )
        for o in assessment.objectives
    ]
    plan = [replace(r, edited_by=[who(e) for e in r.edited_by]) for r in assessment.plan]
    notes: list[NoteLine] = []
    for n in assessment.notes:
        notes.append(
            NoteLine(
                "evaluator",
                who(str(n.get("evaluator", ""))),
                f"{n.get('inject', '')}/{n.get('decision', '')}",
                format_duration(int(n.get("at", 0))),
                str(n.get("text", "")),
            )
        )
    for r in assessment.ratings:
        if r.note:
            notes.append(
                NoteLine(
                    "evaluator",
                    who(r.evaluator),
                    f"{r.inject}/{r.decision}"
                    + ("" if r.consideration == "overall" else f" · {r.consideration}")
                    + f" (rated {r.rating})",
                    "",
                    r.note,
                )
            )
    for o in assessment.objective_ratings:
        if o.note:
            notes.append(
                NoteLine(
                    "evaluator",
                    who(o.evaluator),
                    f"objective {o.objective} (rated {o.rating})",
                    "",
                    o.note,
                )
            )
    for n in record["notes"]:
        notes.append(
            NoteLine(
                "facilitator", "facilitator", "", format_duration(int(n["at"])), str(n["text"])
            )
        )
    for n in record["hot_wash"]:
        notes.append(
            NoteLine(
                "hot wash",
                str(n.get("kind", "observation")),
                "",
                format_duration(int(n["at"])),
                str(n["text"]),
            )
        )
    indicator = assessment.mlt_indicator
    return Report(
        title=f"After-action report and improvement plan: {scenario.title}",
        exercise=exercise,
        scenario={
            "id": scenario.id,
            "title": scenario.title,
            "mission": scenario.file.mission,
            "summary": scenario.file.summary,
        },
        overview=overview,
        outcome={
            "status": state["status"],
            "ending": state["ending"],
            "ending_title": state["ending_title"],
            "ending_summary": ending_summary,
            "exercise_time": state["exercise_time_text"],
            "variables": {
                name: {
                    "label": var.label,
                    "initial": var.initial,
                    "final": state["variables"][name],
                    "good": var.good,
                }
                for name, var in scenario.file.variables.items()
            },
            "phases": [
                {
                    "at": format_duration(p["at"]),
                    "phase": p["phase"],
                    "title": scenario.phases[p["phase"]].title,
                }
                for p in state["phases"]
            ],
        },
        still_open=assessment.still_open,
        mlt=Mlt(
            score=assessment.mlt_score,
            rating=assessment.mlt_rating,
            rating_name=RATING_NAMES[assessment.mlt_rating],
            basis=assessment.mlt_basis,
            indicator=indicator,
            indicator_rating=rating_for(indicator),
        ),
        method={
            "weights": WEIGHTS,
            "rating_bands": RATING_BANDS,
            "rationale_points": RATIONALE_POINTS,
            "mlt_rationale_share": MLT_RATIONALE_SHARE,
        },
        objectives=objectives,
        improvement_plan=plan,
        decisions=decisions,
        not_played=not_played,
        pre_play=pre_play,
        pre_played=pre_played,
        areas=assessment.areas,
        roles={titles.get(r, r): v for r, v in assessment.roles.items()},
        considerations={
            cid: {
                "area": r.consideration.area,
                "statement": r.consideration.statement,
                "source": f"{r.consideration.source.section} ({r.consideration.source.doc})",
                "net": r.net,
                "positive": r.positive,
                "negative": r.negative,
                "decisions": r.decisions,
                "evaluator_ratings": r.evaluator_ratings,
            }
            for cid, r in assessment.considerations.items()
        },
        timeline=[
            {
                **row,
                "at": format_duration(row["at"]),
                "roles": [titles.get(r, r) for r in row["roles"]],
            }
            for row in assessment.timeline
        ],
        notes=notes,
        evaluators=[who(e) for e in assessment.evaluators],
        evaluator_notes=[
            {**n, "evaluator": who(str(n.get("evaluator", "")))} for n in assessment.notes
        ],
        agreement=[
            {**a, "evaluators": [who(e) for e in a["evaluators"]]} for a in assessment.agreement
        ],
        refusals=record["refusals"],
    )


def _decision(
    d: Any,
    assessment: Assessment,
    scenario: LoadedScenario,
    who: Any,
    *,
    excluded: bool = False,
    basis: str = "seat not played: excluded",
) -> DecisionLine:
    titles = assessment.role_titles
    inject = scenario.injects[d.inject]
    j = assessment.judged.get(d.key)
    return DecisionLine(
        key=d.key,
        inject=d.inject,
        inject_title=inject.title,
        decision=d.decision,
        role=d.role,
        role_title=titles.get(d.role, d.role),
        prompt=d.prompt,
        status=d.status,
        opened_at=format_duration(d.opened_at),
        closed_at=format_duration(d.closed_at) if d.closed_at is not None else None,
        deadline=format_duration(d.deadline) if d.deadline is not None else None,
        latency_minutes=round(d.latency / 60, 1) if d.latency is not None else None,
        option=d.option,
        option_label=d.option_label,
        rationale=d.rationale,
        hot_seat=d.on_behalf,
        knew=[f"{i} {scenario.injects[i].title}" if i in scenario.injects else i for i in d.knew],
        consult=[titles.get(r, r) for r in d.consult],
        advice=[
            AdviceLine(
                role=titles.get(str(a["role"]), str(a["role"])),
                at=format_duration(int(a["at"])),
                recommend=a.get("recommend"),
                text=str(a.get("text", "")),
                dissent=bool(a.get("recommend") and d.option and a.get("recommend") != d.option),
            )
            for a in d.advice
        ],
        claimed_not_recorded=[titles.get(c, c) for c in d.claimed_not_recorded],
        denied=[asdict(m) for m in d.denied],
        factors={k: round(v, 1) for k, v in d.factors.items()},
        evidence=[asdict(e) for e in d.evidence],
        polarities=[{"a": a, "b": b, "engaged": how} for a, b, how in d.polarities],
        score=d.score,
        derived_rating=j.derived_rating if j else d.derived_rating,
        evaluator_ratings={who(k): v for k, v in sorted(d.evaluator_ratings.items())},
        rating=j.rating if j else d.derived_rating,
        rating_basis=j.basis if j else basis,
        best_option=j.best if j else False,
        best_labels=list(j.best_labels) if j else [],
        regret=j.regret if j else None,
        breach=j.breach if j else "",
        cap=j.cap if j else None,
        weight=j.weight if j else 0.0,
        critical=d.critical,
        score_without_rationale=d.score_without_rationale,
        excluded=excluded,
    )


def report_data(
    assessment: Assessment, scenario: LoadedScenario, *, anonymize: bool = False
) -> dict[str, Any]:
    """The report model as plain data (the JSON report; the evaluator console reads it too)."""
    from after_action.report.layout import layout

    report = build_report(assessment, scenario, anonymize=anonymize)
    layout(report)  # fills report.sections: the outline every format shares
    return report_dict(report)


def report_dict(report: Report) -> dict[str, Any]:
    """The report as plain data, in the JSON report's published shape (a plan row without its
    ``finding``: a generated row's id names its finding already)."""
    data = asdict(report)
    for row in data["improvement_plan"]:
        del row["finding"]
    return data
