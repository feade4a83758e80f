"""The report as plain data: what every format renders (and what ``--format json`` prints).

One function builds it, so the Markdown, HTML and JSON reports can never disagree.
``anonymize`` replaces the syndicate's and the evaluators' names and drops the journal's path.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from after_action.assessment import Assessment
from after_action.scoring import (
    MLT_RATIONALE_SHARE,
    RATING_BANDS,
    RATING_NAMES,
    RATIONALE_POINTS,
    WEIGHTS,
)
from exercise_engine.loading import LoadedScenario
from exercise_engine.model import format_duration


def report_data(
    assessment: Assessment, scenario: LoadedScenario, *, anonymize: bool = False
) -> dict[str, Any]:
    record = assessment.record
    evaluators = sorted({r.evaluator for r in assessment.ratings})
    alias = {
        name: (f"Evaluator {i + 1}" if anonymize else name) for i, name in enumerate(evaluators)
    }
    exercise = dict(record["exercise"])
    if anonymize:
        exercise["syndicate"] = "Syndicate" if exercise.get("syndicate") else ""
        exercise["journal"] = ""
        exercise["forked_from"] = None
    state = record["state"]
    titles = assessment.role_titles
    decisions = []
    for d in assessment.decisions:
        inject = scenario.injects[d.inject]
        decisions.append(
            {
                "key": d.key,
                "inject": d.inject,
                "inject_title": inject.title,
                "decision": d.decision,
                "role": d.role,
                "role_title": titles.get(d.role, d.role),
                "prompt": d.prompt,
                "status": d.status,
                "opened_at": format_duration(d.opened_at),
                "closed_at": format_duration(d.closed_at) if d.closed_at is not None else None,
                "deadline": format_duration(d.deadline) if d.deadline is not None else None,
                "latency_minutes": round(d.latency / 60, 1) if d.latency is not None else None,
                "option": d.option,
                "option_label": d.option_label,
                "rationale": d.rationale,
                "hot_seat": d.on_behalf,
                "knew": [
                    f"{i} {scenario.injects[i].title}" if i in scenario.injects else i
                    for i in d.knew
                ],
                "consult": [titles.get(r, r) for r in d.consult],
                "advice": [
                    {
                        "role": titles.get(str(a["role"]), str(a["role"])),
                        "at": format_duration(int(a["at"])),
                        "recommend": a.get("recommend"),
                        "text": a.get("text", ""),
                    }
                    for a in d.advice
                ],
                "factors": {k: round(v, 1) for k, v in d.factors.items()},
                "evidence": [asdict(e) for e in d.evidence],
                "polarities": [{"a": a, "b": b, "engaged": how} for a, b, how in d.polarities],
                "denied": [asdict(m) for m in d.denied],
                "claimed_consultation": [titles.get(r, r) for r in d.claimed_consultation],
                "claimed_not_recorded": [titles.get(r, r) for r in d.claimed_not_recorded],
                "best_option": d.best_option,
                "regret": d.regret,
                "breach": d.breach,
                "cap": d.cap,
                "weight": d.weight,
                "critical": d.critical,
                "score_without_rationale": d.score_without_rationale,
                "score": d.score,
                "derived_rating": d.derived_rating,
                "evaluator_ratings": {alias[k]: v for k, v in sorted(d.evaluator_ratings.items())},
                "rating": d.rating,
            }
        )
    considerations = {
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
    }

    def finding(r: Any) -> dict[str, Any]:
        return {
            "consideration": r.consideration.id,
            "statement": r.consideration.statement,
            "source": r.consideration.source.section,
            "net": r.net,
            "decisions": r.decisions,
        }

    return {
        "exercise": exercise,
        "scenario": {
            "id": scenario.id,
            "title": scenario.title,
            "mission": scenario.file.mission,
            "summary": scenario.file.summary,
        },
        "outcome": {
            "status": state["status"],
            "ending": state["ending"],
            "ending_title": state["ending_title"],
            "ending_summary": next(
                (
                    e.summary
                    for i, e in enumerate(scenario.file.end)
                    if scenario.ending_id(i) == state["ending"]
                ),
                "",
            ),
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
        "still_open": assessment.still_open,
        "mlt": {
            "score": assessment.mlt_score,
            "rating": assessment.mlt_rating,
            "rating_name": RATING_NAMES[assessment.mlt_rating],
        },
        "method": {
            "weights": WEIGHTS,
            "rating_bands": RATING_BANDS,
            "rationale_points": RATIONALE_POINTS,
            "mlt_rationale_share": MLT_RATIONALE_SHARE,
        },
        "areas": assessment.areas,
        "roles": {titles.get(r, r): v for r, v in assessment.roles.items()},
        "decisions": decisions,
        "considerations": considerations,
        "strengths": [finding(r) for r in assessment.strengths],
        "improvements": [finding(r) for r in assessment.improvements],
        "improvement_plan": assessment.plan,
        "timeline": [
            {
                **row,
                "at": format_duration(row["at"]),
                "roles": [titles.get(r, r) for r in row["roles"]],
            }
            for row in assessment.timeline
        ],
        "hot_wash": record["hot_wash"],
        "facilitator_notes": record["notes"],
        "evaluators": [alias[e] for e in evaluators],
        "evaluator_notes": [
            {**n, "evaluator": alias.get(n.get("evaluator", ""), "")} for n in assessment.notes
        ],
        "agreement": [
            {**a, "evaluators": [alias[e] for e in a["evaluators"]]} for a in assessment.agreement
        ],
        "refusals": record["refusals"],
    }
