"""The assessment of one exercise: every decision scored, evaluator ratings applied, roll-ups,
strengths, areas for improvement, the improvement plan and agreement between evaluators.

Built from the journal alone and deterministic: the same journal always gives the same
assessment. Reports (Markdown, HTML, JSON) and the evaluator console render this object.
"""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from itertools import combinations
from typing import Any

from after_action.agreement import cohen_kappa, describe_kappa, fleiss_kappa
from after_action.scoring import (
    RATING_NAMES,
    DecisionScore,
    mlt_indicator,
    rating_for,
    score_decision,
)
from exercise_engine.exercise import Exercise
from exercise_engine.model import Consideration
from exercise_engine.record import exercise_record

RATING_ORDER = "PSMU"
OVERALL = "overall"


@dataclass(frozen=True)
class Rating:
    """One evaluator's rating of a decision (``consideration`` = "overall") or of one
    consideration at that decision."""

    evaluator: str
    inject: str
    decision: str
    consideration: str
    rating: str
    note: str
    seq: int


@dataclass
class ConsiderationRollup:
    consideration: Consideration
    net: int = 0
    positive: int = 0
    negative: int = 0
    decisions: list[str] = field(default_factory=list)
    roles: set[str] = field(default_factory=set)
    evaluator_ratings: list[str] = field(default_factory=list)


@dataclass
class Assessment:
    """Everything an after-action report shows."""

    record: dict[str, Any]
    decisions: list[DecisionScore]
    considerations: dict[str, ConsiderationRollup]
    areas: dict[str, float | None]
    roles: dict[str, dict[str, Any]]
    mlt_score: float
    mlt_rating: str
    strengths: list[ConsiderationRollup]
    improvements: list[ConsiderationRollup]
    plan: list[dict[str, str]]
    ratings: list[Rating]
    notes: list[dict[str, Any]]
    agreement: list[dict[str, Any]]
    timeline: list[dict[str, Any]]
    role_titles: dict[str, str]
    still_open: int = 0
    """Decision points still open (mid-exercise): not scored yet."""


def _ratings(exercise: Exercise) -> tuple[list[Rating], list[dict[str, Any]]]:
    latest: dict[tuple[str, str, str, str], Rating] = {}
    notes = []
    for event in exercise.journal.events():
        p = event.payload
        if event.kind == "evaluator_rating":
            rating = Rating(
                p["evaluator"],
                p["inject"],
                p["decision"],
                p.get("consideration") or OVERALL,
                p["rating"],
                p.get("note", ""),
                event.seq,
            )
            latest[(rating.evaluator, rating.inject, rating.decision, rating.consideration)] = (
                rating
            )
        elif event.kind == "evaluator_note":
            notes.append({**p, "seq": event.seq})
    return sorted(
        latest.values(), key=lambda r: (r.inject, r.decision, r.consideration, r.evaluator)
    ), notes


def consensus(ratings: list[str]) -> str:
    """The most common rating; a tie goes to the more critical rating."""
    counts = Counter(ratings)
    best = max(counts.values())
    return max((r for r, c in counts.items() if c == best), key=RATING_ORDER.index)


def assess(exercise: Exercise) -> Assessment:
    """Score every decision point of an exercise and roll the scores up."""
    scenario = exercise.scenario
    record = exercise_record(exercise)
    ratings, evaluator_notes = _ratings(exercise)
    by_point: dict[tuple[str, str], list[Rating]] = defaultdict(list)
    for r in ratings:
        by_point[(r.inject, r.decision)].append(r)

    decisions: list[DecisionScore] = []
    still_open = 0
    for entry in sorted(
        record["decision_points"], key=lambda d: (d["opened_at"], d["inject"], d["decision"])
    ):
        if entry["status"] == "open":
            still_open += 1  # mid-exercise: not scored until decided, expired or closed
            continue
        inject = scenario.injects[entry["inject"]]
        point = scenario.decision_point(inject.id, entry["decision"])
        assert point is not None
        scored = score_decision(entry, scenario, inject, point)
        overall = [r for r in by_point[(inject.id, point.id)] if r.consideration == OVERALL]
        scored.evaluator_ratings = {r.evaluator: r.rating for r in overall}
        if overall:
            scored.rating = consensus([r.rating for r in overall])
        decisions.append(scored)

    rollups: dict[str, ConsiderationRollup] = {}
    for d in decisions:
        for item in d.evidence:
            if item.source == "rationale":
                continue  # words are shown with their quotes, never counted as evidence
            roll = rollups.setdefault(
                item.consideration, ConsiderationRollup(scenario.considerations[item.consideration])
            )
            roll.net += item.weight
            roll.positive += max(0, item.weight)
            roll.negative += max(0, -item.weight)
            if d.key not in roll.decisions:
                roll.decisions.append(d.key)
            roll.roles.add(d.role)
    for r in ratings:
        if r.consideration != OVERALL and r.consideration in scenario.considerations:
            roll = rollups.setdefault(
                r.consideration, ConsiderationRollup(scenario.considerations[r.consideration])
            )
            roll.evaluator_ratings.append(r.rating)

    area_totals: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for roll in rollups.values():
        area_totals[roll.consideration.area][0] += roll.positive
        area_totals[roll.consideration.area][1] += roll.negative
    areas = {
        area: (round(100 * pos / (pos + neg), 1) if pos + neg else None)
        for area, (pos, neg) in sorted(area_totals.items())
    }

    roles: dict[str, dict[str, Any]] = {}
    for role in scenario.roles:
        mine = [d for d in decisions if d.role == role]
        if not mine:
            continue
        latencies = [d.latency for d in mine if d.latency is not None]
        roles[role] = {
            "decisions": len(mine),
            "decided": sum(d.status == "decided" for d in mine),
            "expired": sum(d.status == "expired" for d in mine),
            "score": round(statistics.fmean(d.score for d in mine), 1),
            "median_latency": statistics.median(latencies) if latencies else None,
        }
    mlt_score = mlt_indicator(decisions)

    ordered = sorted(rollups.values(), key=lambda r: (-r.net, r.consideration.id))
    strengths = [r for r in ordered if r.net >= 2][:6]
    improvements = [
        r
        for r in sorted(rollups.values(), key=lambda r: (r.net, r.consideration.id))
        if r.net <= -1
    ][:6]
    titles = {r: scenario.role_title(r) for r in scenario.roles}
    plan = []
    for roll in improvements:
        worst = [d for d in decisions if d.key in roll.decisions]
        owner = ", ".join(sorted({titles.get(d.role, d.role) for d in worst}))
        prompts = "; ".join(sorted({f"{d.key} ({d.option or d.status})" for d in worst}))
        plan.append(
            {
                "consideration": roll.consideration.id,
                "issue": roll.consideration.statement,
                "recommendation": f"Replay {prompts} in the debrief and agree what would have served this consideration; rehearse it in the next exercise.",
                "source": roll.consideration.source.section,
                "owner": owner,
            }
        )

    agreement = _agreement(ratings)
    timeline = _timeline(exercise, record)
    return Assessment(
        record=record,
        decisions=decisions,
        considerations=dict(sorted(rollups.items())),
        areas=areas,
        roles=roles,
        mlt_score=mlt_score,
        mlt_rating=rating_for(mlt_score),
        strengths=strengths,
        improvements=improvements,
        plan=plan,
        ratings=ratings,
        notes=evaluator_notes,
        agreement=agreement,
        timeline=timeline,
        role_titles=titles,
        still_open=still_open,
    )


def _agreement(ratings: list[Rating]) -> list[dict[str, Any]]:
    evaluators = sorted({r.evaluator for r in ratings})
    table: dict[tuple[str, str, str], dict[str, str]] = defaultdict(dict)
    for r in ratings:
        table[(r.inject, r.decision, r.consideration)][r.evaluator] = r.rating
    out: list[dict[str, Any]] = []
    for a, b in combinations(evaluators, 2):
        common = sorted(k for k, v in table.items() if a in v and b in v)
        if common:
            kappa = cohen_kappa([table[k][a] for k in common], [table[k][b] for k in common])
            out.append(
                {
                    "method": "Cohen",
                    "evaluators": [a, b],
                    "items": len(common),
                    "kappa": kappa,
                    "words": describe_kappa(kappa),
                }
            )
    if len(evaluators) >= 3:
        rated_by_all = sorted(k for k, v in table.items() if len(v) == len(evaluators))
        if rated_by_all:
            rows = [Counter(table[k].values()) for k in rated_by_all]
            kappa = fleiss_kappa(rows)
            out.append(
                {
                    "method": "Fleiss",
                    "evaluators": evaluators,
                    "items": len(rated_by_all),
                    "kappa": kappa,
                    "words": describe_kappa(kappa),
                }
            )
    return out


def _timeline(exercise: Exercise, record: dict[str, Any]) -> list[dict[str, Any]]:
    """Injects, decisions, expiries, phases and the ending, in journal order."""
    scenario = exercise.scenario
    rows: list[dict[str, Any]] = []
    for event in record["events"]:
        p, kind = event["payload"], event["kind"]

        def row(what: str, roles: list[str], text: str) -> None:
            rows.append({"at": event["exercise_time"], "kind": what, "roles": roles, "text": text})  # noqa: B023

        if kind == "inject_delivered":
            inject = scenario.injects[p["inject"]]
            row(
                "inject",
                p["roles"],
                f"{inject.id} {inject.title} ({scenario.channels.get(inject.channel, inject.channel)})",
            )
        elif kind == "inject_injected_manually":
            row("inject", p["to"], f"{p['inject']} {p['title']} (by the facilitator)")
        elif kind == "decision_recorded":
            row(
                "decision",
                [event["role"]],
                f"{p['inject']}/{p['decision']}: {p.get('option') or 'written answer'}",
            )
        elif kind == "decision_expired":
            row("expired", [event["role"]], f"{p['inject']}/{p['decision']} expired")
        elif kind == "phase_changed":
            row("phase", [], f"phase {p['to']}: {scenario.phases[p['to']].title}")
        elif kind == "scenario_ended":
            row("end", [], f"ending: {p.get('title') or p.get('ending')}")
    return rows


__all__ = ["RATING_NAMES", "Assessment", "Rating", "assess", "consensus"]
