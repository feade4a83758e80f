"""Facts derived from a loaded scenario that several commands show (length, counts)."""

from __future__ import annotations

import ast

from exercise_engine.loading.loaded import LoadedScenario


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


def condition_names(text: str) -> set[str]:
    """The bare names a condition mentions (used by graph and lint to explain guards)."""
    try:
        tree = ast.parse(text, mode="eval")
    except SyntaxError:
        return set()
    return {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)}
