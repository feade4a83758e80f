"""Per-scenario lookups the engine needs at every moment, computed once per loaded scenario.

Who calls it: ``engine.advance`` (what falls due), ``engine.schedule`` (its indexes) and
``engine.fold`` (which keeps a state's schedule in step as it applies events). Kept apart from
``advance`` so that ``fold`` can use it without importing the engine's heart.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from exercise_engine.engine.memo import ConditionCache
from exercise_engine.loading.loaded import LoadedScenario
from exercise_engine.machines import PhaseMachine
from exercise_engine.model import Inject


@dataclass
class Rules:
    """Per-scenario lookups the engine needs at every tick, computed once."""

    scenario: LoadedScenario
    order: dict[str, int] = field(init=False)
    """Inject id to its place in file order (the tie-break of everything due at one time)."""

    def __post_init__(self) -> None:
        self.order = {iid: n for n, iid in enumerate(self.scenario.injects)}

    @cached_property
    def phases(self) -> PhaseMachine:
        file = self.scenario.file
        return PhaseMachine(
            [p.id for p in file.phases],
            [(t.from_, t.to) for t in file.transitions],
            file.start_phase,
        )

    @cached_property
    def answers(self) -> ConditionCache:
        """The conditions' answers, re-evaluated only when what they read changed."""
        return ConditionCache(self.scenario)

    @cached_property
    def thresholds(self) -> list[int]:
        return sorted({t for c in self.scenario.conditions.values() for t in c.thresholds})

    @cached_property
    def timed(self) -> list[Inject]:
        return [i for i in self.scenario.injects.values() if not i.manual]

    @cached_property
    def waiting_on(self) -> dict[str, list[Inject]]:
        """Inject id to the timed injects whose ``after`` waits for its delivery (file order)."""
        out: dict[str, list[Inject]] = {}
        for inject in self.timed:
            if inject.after is not None:
                out.setdefault(inject.after.inject, []).append(inject)
        return out

    @cached_property
    def point_rank(self) -> dict[tuple[str, str], int]:
        """(inject, decision) to the point's place among its inject's points."""
        return {
            (inject.id, point.id): k
            for inject in self.scenario.injects.values()
            for k, point in enumerate(inject.decisions)
        }


_RULES: dict[int, Rules] = {}


def rules_for(scenario: LoadedScenario) -> Rules:
    key = id(scenario)
    rules = _RULES.get(key)
    if rules is None or rules.scenario is not scenario:
        rules = _RULES[key] = Rules(scenario)
    return rules
