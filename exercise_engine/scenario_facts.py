"""Facts derived from a loaded scenario that several commands show (length, counts)."""

from __future__ import annotations

import ast
from collections.abc import Iterable

from exercise_engine.loading.loaded import LoadedScenario
from exercise_engine.model.events import Draft


def planned_length(scenario: LoadedScenario) -> int:
    """Planned exercise length in seconds: ``duration`` if given, else the latest time the end
    conditions wait for, else the latest scheduled inject (0 when nothing says)."""
    if scenario.file.duration:
        return scenario.file.duration
    end_times = [
        t for key, c in scenario.conditions.items() if key.startswith("end:") for t in c.thresholds
    ]
    if end_times:
        return max(end_times) - (1 if max(end_times) - 1 in end_times else 0)
    advances = sum(p.advance or 0 for p in scenario.file.phases)
    ats = [i.at for i in scenario.injects.values() if i.at is not None]
    return max(ats, default=0) + advances


def jumped(events: Iterable[Draft]) -> int:
    """Exercise time skipped by jumps (a phase's ``advance``, the facilitator's "next inject"):
    time on the exercise clock that nobody spends at the table."""
    return sum(
        max(0, int(e.payload.get("to", 0)) - int(e.payload.get("from", 0)))
        for e in events
        if e.kind == "time_jumped"
    )


def unattended_run(scenario: LoadedScenario) -> tuple[int, int] | None:
    """Play the scenario with nobody deciding (every window expires), on the engine alone:
    (exercise clock at the end, of which time skipped by jumps); None if no ending is reached.

    What ``list`` shows as LENGTH: ``play`` of any decisions file ends at the same moment when
    the scenario's timing is driven by its injects, as the bundled scenarios' is.
    """
    from exercise_engine.engine import advance, fold, next_moment, rules_for
    from exercise_engine.engine.fold import apply

    state = fold(scenario, [])
    created = {"scenario": scenario.id, "speed": 1.0}
    for kind, payload in (("exercise_created", created), ("briefing_opened", {}), ("started", {})):
        apply(scenario, state, Draft(kind, 0, "facilitator", None, payload), 0.0)
    rules = rules_for(scenario)
    drafts: list[Draft] = []
    t = 0
    for _ in range(100_000):
        new, state = advance(scenario, state, t, 0.0)
        drafts += new
        t = max(t, state.last_time)
        if state.status != "running":
            break
        following = next_moment(rules, state, t)
        if following is None:
            return None
        t = following
    if state.ending is None:
        return None
    return state.last_time, jumped(drafts)


def condition_names(text: str) -> set[str]:
    """The bare names a condition mentions (used by graph and lint to explain guards)."""
    try:
        tree = ast.parse(text, mode="eval")
    except SyntaxError:
        return set()
    return {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)}
