"""The exercise record: everything an after-action report needs, as plain data.

Built from the journal alone (the scenario comes from the journal's snapshot), so a report can be
made on any machine, long after the course. For each decision point it keeps what the deciding
role knew when it decided — the injects it had received by then — because evaluators judge a
decision on the information available, not on hindsight.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from exercise_engine.exercise import Exercise
from exercise_engine.model import format_duration


def exercise_record(exercise: Exercise) -> dict[str, Any]:
    """The record of ``exercise``, with its journal's head and whether the journal verifies."""
    scenario, state = exercise.scenario, exercise.state
    events = exercise.journal.events()
    meta = exercise.journal.meta()
    verification, _chain = exercise.journal.check()
    problem = (
        f"event {verification.problems[0][0]}: {verification.problems[0][1]}"
        if verification.problems
        else None
    )
    received: dict[str, list[tuple[int, str]]] = {r: [] for r in scenario.roles}
    for d in state.deliveries.values():
        for role in d.roles:
            received.setdefault(role, []).append((d.at, d.inject))
    for mid, m in state.manual_injects.items():
        for role in m.get("to", []):
            received.setdefault(role, []).append((int(m["at"]), mid))
    points = []
    for (inject_id, point_id), p in state.points.items():
        spec = scenario.decision_point(inject_id, point_id)
        cutoff = p.closed_at if p.closed_at is not None else state.last_time
        points.append(
            {
                "inject": inject_id,
                "decision": point_id,
                "role": p.role,
                "prompt": spec.prompt if spec else "",
                "status": p.status,
                "opened_at": p.opened_at,
                "deadline": p.deadline,
                "closed_at": p.closed_at,
                "latency": (p.closed_at - p.opened_at)
                if p.status == "decided" and p.closed_at is not None
                else None,
                "option": p.option,
                "rationale": p.rationale,
                "actor": p.actor,
                "on_behalf": p.on_behalf,
                "pre_played": p.pre_played,
                "consult": list(spec.consult) if spec else [],
                "advice": [
                    asdict(a)
                    for a in state.advice
                    if a.inject == inject_id and a.decision == point_id
                ],
                "knew": [iid for at, iid in sorted(received.get(p.role, [])) if at <= cutoff],
            }
        )
    return {
        "exercise": {
            "journal": str(exercise.journal.path),
            "scenario": scenario.id,
            "title": scenario.title,
            "mission": scenario.file.mission,
            "scenario_hash": meta.get("scenario_hash", ""),
            "syndicate": state.syndicate,
            "forked_from": meta.get("forked_from"),
            "head_seq": verification.head_seq,
            "head_hash": verification.head_hash,
            "verified": verification.ok,
            "verify_problem": problem,
        },
        "state": {
            "status": state.status,
            "phase": state.phase,
            "ending": state.ending,
            "ending_title": state.ending_title,
            "exercise_time": state.last_time,
            "exercise_time_text": format_duration(state.last_time),
            "variables": state.variables,
            "flags": state.flags,
            "phases": [{"at": t, "phase": ph} for t, ph in state.phase_history],
        },
        "decision_points": points,
        "refusals": [asdict(r) for r in state.refusals],
        "hot_wash": state.hot_wash,
        "notes": state.notes,
        "events": [
            {
                "seq": e.seq,
                "exercise_time": e.exercise_time,
                "wall_time": e.wall_time,
                "actor": e.actor,
                "role": e.role,
                "kind": e.kind,
                "payload": e.payload,
            }
            for e in events
        ],
    }
