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

    def move(name: str, new: float) -> None:
        var = scenario.file.variables[name]
        new = min(var.max, max(var.min, new))
        old = values[name]
        values[name] = new
        if new != old:
            payload = {"name": name, "value": new, "delta": new - old, "cause": cause}
            drafts.append(Draft("variable_changed", t, actor, None, payload))

    for name, delta in outcome.effects.items():
        move(name, values[name] + delta)
    for name, value in outcome.set.items():
        if name in scenario.file.flags:
            if state.flags.get(name) != value:
                payload = {"name": name, "value": bool(value), "cause": cause}
                drafts.append(Draft("flag_changed", t, actor, None, payload))
        else:
            move(name, float(value))
    return drafts
