"""Scripted decisions files (DESIGN §5): what ``play`` feeds the engine on a virtual clock.

Used for headless demos, tests, and the bundled playthroughs that prove every inject is reachable.
An optional ``[expect]`` table states what the run must reach, so a playthrough is also a test.
"""

from __future__ import annotations

from pydantic import Field

from exercise_engine.model.base import Flag, StrictModel
from exercise_engine.model.times import Duration


class ScriptedDecision(StrictModel):
    """One decision to record at an exercise time."""

    at: Duration
    """Exercise time at which it is recorded."""
    role: str
    """The deciding role."""
    inject: str
    """The inject that carries the decision point."""
    decision: str
    """The decision point's id."""
    option: str | None = None
    """The chosen option; omit for a free-text-only decision."""
    rationale: str = ""
    """Why: scored against the considerations' indicator phrases."""
    hot_seat: Flag = False
    """Recorded by the facilitator on the role's behalf."""


class ScriptedAdvice(StrictModel):
    """A consulted role's advice on an open point."""

    at: Duration
    role: str
    inject: str
    decision: str
    recommend: str | None = None
    text: str = ""


class ScriptedNote(StrictModel):
    """A facilitator note at a time (for demos and reports)."""

    at: Duration
    text: str


class Expectation(StrictModel):
    """What the run must reach; ``play`` exits 1 when it does not."""

    ending: str | None = None
    """The ending id the scenario must end with."""
    delivered: tuple[str, ...] = ()
    """Injects that must have been delivered."""
    not_delivered: tuple[str, ...] = ()
    """Injects that must not have been delivered."""


class Playthrough(StrictModel):
    """A decisions file."""

    title: str = ""
    """What this playthrough represents (e.g. "robust", "cautious")."""
    decision: tuple[ScriptedDecision, ...] = ()
    advice: tuple[ScriptedAdvice, ...] = ()
    note: tuple[ScriptedNote, ...] = ()
    expect: Expectation = Field(default_factory=Expectation)
