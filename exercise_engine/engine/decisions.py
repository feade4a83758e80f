"""Whether a decision or a piece of advice may be recorded now, and what recording it emits.

The rules (DESIGN §4): only the point's deciding role decides — or the facilitator on its behalf
(hot seat), marked as such; the point must be open and its window not yet closed; an option must
belong to the point. A refusal is not an exception: it is journalled with its reason, because an
evaluator will want to see the late or misdirected attempt too.
"""

from __future__ import annotations

from exercise_engine.engine.outcomes import outcome_drafts
from exercise_engine.engine.state import ExerciseState
from exercise_engine.loading.loaded import LoadedScenario
from exercise_engine.model.events import Draft
from exercise_engine.model.times import format_duration

ACTIVE = ("running", "paused")


def _status_problem(state: ExerciseState) -> str | None:
    if state.status in ACTIVE:
        return None
    if state.status in ("draft", "briefing"):
        return "the exercise has not started yet"
    return "the exercise has ended"


def decision_refusal(
    scenario: LoadedScenario,
    state: ExerciseState,
    now: int,
    *,
    role: str,
    inject: str,
    decision: str,
    option: str | None,
    rationale: str,
) -> str | None:
    """Why this decision cannot be recorded now, or None when it can."""
    problem = _status_problem(state)
    if problem:
        return problem
    if role not in scenario.roles:
        return f"role {role!r} is not in play in this exercise"
    spec = scenario.injects.get(inject)
    if spec is None:
        return f"unknown inject {inject!r}"
    point = scenario.decision_point(inject, decision)
    if point is None:
        ids = ", ".join(d.id for d in spec.decisions) or "none"
        return f"inject {inject!r} has no decision point {decision!r} (its points: {ids})"
    if point.role != role:
        return (
            f"only the {scenario.role_title(point.role)} ({point.role}) decides {inject}/{decision}"
        )
    live = state.points.get((inject, decision))
    if live is None:
        return f"inject {inject!r} has not been delivered yet"
    if live.status == "decided":
        return f"{inject}/{decision} was already decided at {format_duration(live.closed_at or 0)}"
    if live.status == "expired":
        return f"late: the window for {inject}/{decision} closed at {format_duration(live.deadline or 0)}"
    if live.status == "closed":
        return f"{inject}/{decision} is closed"
    if live.deadline is not None and now > live.deadline:
        return (
            f"late: the window for {inject}/{decision} closed at {format_duration(live.deadline)}"
        )
    if option is not None and scenario.option(inject, decision, option) is None:
        ids = ", ".join(o.id for o in point.options) or "none: write a rationale"
        return f"{inject}/{decision} has no option {option!r} (options: {ids})"
    if option is None and point.options:
        return f"{inject}/{decision} needs one of its options: {', '.join(o.id for o in point.options)}"
    if not point.options and not rationale.strip():
        return f"{inject}/{decision} is answered in writing: the rationale is empty"
    return None


def decision_drafts(
    scenario: LoadedScenario,
    state: ExerciseState,
    now: int,
    *,
    role: str,
    inject: str,
    decision: str,
    option: str | None,
    rationale: str,
    actor: str,
) -> list[Draft]:
    """The decision event and the world changes its option causes."""
    on_behalf = actor == "facilitator"
    drafts = [
        Draft(
            "decision_recorded",
            now,
            actor,
            role,
            {
                "inject": inject,
                "decision": decision,
                "option": option,
                "rationale": rationale,
                "on_behalf": on_behalf,
            },
        )
    ]
    if option is not None:
        chosen = scenario.option(inject, decision, option)
        assert chosen is not None
        cause = {"kind": "decision", "inject": inject, "decision": decision, "option": option}
        drafts += outcome_drafts(scenario, state, chosen, cause, now, actor)
    return drafts


def advice_refusal(
    scenario: LoadedScenario,
    state: ExerciseState,
    now: int,
    *,
    role: str,
    inject: str,
    decision: str,
    recommend: str | None,
    text: str,
) -> str | None:
    """Why this advice cannot be recorded now, or None when it can."""
    problem = _status_problem(state)
    if problem:
        return problem
    point = scenario.decision_point(inject, decision)
    if point is None:
        return f"unknown decision point {inject}/{decision}"
    if role not in point.consult:
        expected = ", ".join(point.consult) or "nobody"
        return f"{role} is not consulted on {inject}/{decision} (consulted: {expected})"
    live = state.points.get((inject, decision))
    if live is None:
        return f"inject {inject!r} has not been delivered yet"
    if not live.is_open or (live.deadline is not None and now > live.deadline):
        return f"{inject}/{decision} is no longer open: advice comes before the decision"
    if recommend is not None and scenario.option(inject, decision, recommend) is None:
        return f"{inject}/{decision} has no option {recommend!r}"
    if not text.strip() and recommend is None:
        return "advice needs a text or a recommended option"
    return None
