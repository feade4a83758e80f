"""The MLT's shared log on a participant console: what the whole team may know happened.

Decisions (who decided what, and the outcome the room is told), expiries, advice given (who
advised whom, never its text), phase changes, the clock's moves and the ending. Deliberately
absent: deliveries, inject titles and bodies (a role's injects are private to its audience),
world-state numbers and refusals.
"""

from __future__ import annotations

from exercise_engine.loading import LoadedScenario
from exercise_engine.model.events import Event
from exercise_engine.ui.views.board import option_label
from exercise_engine.ui.views.timefmt import scenario_clock_text


def shared_line(scenario: LoadedScenario, event: Event) -> str | None:
    """One line for the shared log, or None when the event is not the whole team's business."""
    text = _text(scenario, event)
    if text is None:
        return None
    return f"{scenario_clock_text(scenario, event.exercise_time)}  {text}"


def _text(scenario: LoadedScenario, event: Event) -> str | None:
    p = event.payload
    who = scenario.role_title(event.role) if event.role else ""
    key = (str(p.get("inject", "")), str(p.get("decision", "")))
    kind = event.kind
    if kind == "decision_recorded":
        option = p.get("option")
        choice = option_label(scenario, key, option) if option else "a decision in writing"
        line = f"{who} decided: {choice}"
        found = scenario.option(*key, option) if option else None
        if found is not None and found.outcome:
            line += f" — {found.outcome}"
        if p.get("on_behalf"):
            line += " (recorded by the facilitator)"
        return line
    if kind == "decision_expired":
        spec = scenario.decision_point(*key)
        line = f"{who} did not decide in time"
        if spec is not None and spec.on_expire is not None and spec.on_expire.outcome:
            line += f" — {spec.on_expire.outcome}"
        return line
    if kind == "advice_recorded":
        spec = scenario.decision_point(*key)
        decider = scenario.role_title(spec.role) if spec else "the decider"
        return f"{who} gave advice to the {decider}"
    if kind == "phase_changed":
        phase = scenario.phases.get(str(p.get("to", "")))
        return f"New phase: {phase.title if phase else p.get('to')}"
    return _clock_text(scenario, kind, p)


def _clock_text(scenario: LoadedScenario, kind: str, p: dict[str, object]) -> str | None:
    if kind == "briefing_opened":
        return "The briefing is open"
    if kind == "started":
        return "The exercise has started"
    if kind == "paused":
        return "The facilitator paused the clock"
    if kind == "resumed":
        return "The clock is running again"
    if kind == "time_jumped":
        return f"The clock moved on to {scenario_clock_text(scenario, int(str(p.get('to', 0))))}"
    if kind == "speed_changed":
        return f"The clock now runs at x{float(str(p.get('speed', 1))):g}"
    if kind == "scenario_ended":
        return f"The scenario has ended: {p.get('title') or p.get('ending') or 'ended by the facilitator'}"
    if kind == "ended":
        return "The exercise is closed"
    if kind == "recovered":
        return (
            "Exercise control recovered after an interruption: the clock is paused where it stood"
        )
    return None
