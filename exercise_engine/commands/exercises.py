"""Shared by commands that open an exercise journal (DB): clear one-line errors, never a traceback."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from exercise_engine.commands import UserError

if TYPE_CHECKING:
    from exercise_engine.exercise import Exercise


def open_exercise(db: str, *, read_only: bool = False) -> Exercise:
    """Open the journal at ``db`` on the system clock (``read_only``: for commands that only look)."""
    from exercise_engine.clock import SystemClock
    from exercise_engine.exercise import Exercise
    from exercise_engine.journal import JournalError

    try:
        return Exercise.open(db, SystemClock(), read_only=read_only)
    except JournalError as exc:
        raise UserError(str(exc)) from None


def inject_count(exercise: Exercise) -> str:
    """How many injects were delivered, out of how many: the same words in ``play`` and
    ``status`` (manual injects count only once a facilitator delivers them)."""
    scenario, state = exercise.scenario, exercise.state
    manual = sum(i.manual for i in scenario.injects.values())
    delivered = len(state.deliveries) + len(state.manual_injects)
    total = len(scenario.injects) + len(state.manual_injects)
    hand = f" ({manual} of them manual: delivered only by the facilitator)" if manual else ""
    return f"{delivered} of {total}{hand}"


def describe_event(exercise: Exercise, kind: str, payload: dict[str, Any], role: str | None) -> str:
    """One line of plain English for a journal event (play summaries, status, logs)."""
    from exercise_engine.model import format_duration

    scenario = exercise.scenario
    inject_id = str(payload.get("inject", ""))
    inject = scenario.injects.get(inject_id)
    title = inject.title if inject else str(payload.get("title", ""))
    if kind == "inject_delivered":
        roles = list(payload.get("roles") or [])
        to = "all" if len(roles) == len(scenario.roles) else ", ".join(map(str, roles))
        how = " (by hand)" if payload.get("manual") else ""
        if payload.get("late"):
            how += " (late: fell due while the facilitator was offline)"
        return f"delivered  {inject_id} {title!r} -> {to}{how}"
    if kind == "inject_injected_manually":
        return f"injected   {inject_id} {title!r} (written by the facilitator)"
    if kind == "decision_recorded":
        choice = payload.get("option") or "written answer"
        behalf = " [hot seat]" if payload.get("on_behalf") else ""
        return f"decided    {inject_id}/{payload.get('decision')} by {role}: {choice}{behalf}"
    if kind == "decision_expired":
        return f"expired    {inject_id}/{payload.get('decision')} ({role} did not decide)"
    if kind == "decision_closed":
        return f"closed     {inject_id}/{payload.get('decision')} (undecided at the end)"
    if kind == "decision_refused":
        return (
            f"refused    {inject_id}/{payload.get('decision')} from {role}: {payload.get('reason')}"
        )
    if kind == "advice_recorded":
        rec = f" recommends {payload.get('recommend')}" if payload.get("recommend") else ""
        return f"advice     {inject_id}/{payload.get('decision')} from {role}{rec}"
    if kind == "speed_changed":
        return f"speed      changed to x{float(str(payload.get('speed', 1))):g}"
    if kind == "phase_changed":
        return f"phase      {payload.get('from')} -> {payload.get('to')}"
    if kind == "pre_played":
        return (
            f"pre-played to {payload.get('phase')!r} from playthrough {payload.get('playthrough')!r}"
            f" ({payload.get('decisions')} decisions, not the seats'): the class starts here"
        )
    if kind == "time_jumped":
        return f"time jump  to {format_duration(int(str(payload.get('to', 0))))}: {payload.get('reason', '')}"
    if kind == "variable_changed":
        delta = float(payload.get("delta", 0))
        return f"world      {payload.get('name')} {delta:+g} -> {float(payload.get('value', 0)):g}"
    if kind == "flag_changed":
        return f"world      {payload.get('name')} = {str(payload.get('value')).lower()}"
    if kind in ("seat_joined", "seat_left"):
        seat = str(payload.get("seat", ""))
        who = "Facilitator" if seat == "facilitator" else scenario.role_title(seat)
        verb = "joined" if kind == "seat_joined" else "left"
        return f"{verb:<10} {who} (console {payload.get('console', '')})"
    if kind == "inject_opened":
        return f"opened     {inject_id} by {payload.get('seat')}"
    if kind == "recovered":
        at = format_duration(int(str(payload.get("stood_at", 0))))
        return f"RECOVERED  after an interruption: the clock is paused where it stood ({at})"
    if kind == "scenario_ended":
        return f"END        {payload.get('title') or payload.get('ending')}"
    return kind.replace("_", " ")
