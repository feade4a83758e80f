"""The state machines: lifecycle moves, and both machines exported as mermaid diagrams."""

from __future__ import annotations

import pytest

from exercise_engine.loading import load_scenario
from exercise_engine.machines import Lifecycle, LifecycleError, lifecycle_mermaid, phases_mermaid
from tests.conftest import REPO


@pytest.mark.parametrize(
    ("start", "trigger", "allowed"),
    [
        ("draft", "open_briefing", True),
        ("briefing", "start", True),
        ("running", "pause", True),
        ("paused", "resume", True),
        ("paused", "wrap_up", True),  # the facilitator may end a paused exercise
        ("running", "close", False),  # the hot wash comes first
        ("ended", "resume", False),  # an ended exercise stays ended
        ("draft", "pause", False),
    ],
)
def test_lifecycle_moves(start: str, trigger: str, allowed: bool) -> None:
    machine = Lifecycle(start)
    assert machine.may(trigger) is allowed
    if allowed:
        machine.fire(trigger)
    else:
        with pytest.raises(LifecycleError):
            machine.fire(trigger)


def test_mermaid_exports() -> None:
    assert "running --> paused: pause" in lifecycle_mermaid()
    scenario = load_scenario(REPO / "scenarios" / "tutorial.toml")
    text = phases_mermaid(
        [(p.id, p.title) for p in scenario.file.phases],
        [(t.from_, t.to, t.when) for t in scenario.file.transitions],
        scenario.file.start_phase,
    )
    assert text.startswith("stateDiagram-v2\n    [*] --> rumour")
    assert "rumour --> standoff: tension >= 60 or elapsed >= '00#58;30'" in text
