"""What a chosen option or an expired window does to the world: variable and flag events.

Effects are signed changes clamped to each variable's bounds; ``set`` assigns flags or values.
Each change becomes its own ``variable_changed`` / ``flag_changed`` event carrying its cause, so
the journal reads as a story and the after-action timeline can show what moved and why.
"""

from __future__ import annotations

from typing import Any

from exercise_engine.engine.state import ExerciseState
from exercise_engine.loading.loaded import LoadedScenario
from exercise_engine.model.events import Draft
from exercise_engine.model.inject import Outcome


def outcome_drafts(
    scenario: LoadedScenario,
    state: ExerciseState,
    outcome: Outcome,
    cause: dict[str, Any],
    t: int,
    actor: str,
) -> list[Draft]:
    """The events that apply ``outcome`` to ``state`` at exercise time ``t``."""
    drafts: list[Draft] = []
    values = dict(state.variables)
    for name, delta in outcome.effects.items():
        var = scenario.file.variables[name]
        old = values[name]
        new = min(var.max, max(var.min, old + delta))
        values[name] = new
        if new != old:
            drafts.append(
                Draft(
                    "variable_changed",
                    t,
                    actor,
                    None,
                    {"name": name, "value": new, "delta": new - old, "cause": cause},
                )
            )
    for name, value in outcome.set.items():
        if name in scenario.file.flags:
            if state.flags.get(name) != value:
                drafts.append(
                    Draft(
                        "flag_changed",
                        t,
                        actor,
                        None,
                        {"name": name, "value": bool(value), "cause": cause},
                    )
                )
        else:
            var = scenario.file.variables[name]
            new = min(var.max, max(var.min, float(value)))
            old = values[name]
            values[name] = new
            if new != old:
                drafts.append(
                    Draft(
                        "variable_changed",
                        t,
                        actor,
                        None,
                        {"name": name, "value": new, "delta": new - old, "cause": cause},
                    )
                )
    return drafts
