"""The scenario file: setting, roles in play, world state, phases, transitions and endings.

This shape is a contract with facilitators (DESIGN §3): a file written exactly as the design shows
must load. New keys are optional with defaults, so older files keep working.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import Field, field_validator, model_validator

from exercise_engine.model.base import Flag, Number, StrictModel
from exercise_engine.model.consideration import Consideration
from exercise_engine.model.inject import Inject
from exercise_engine.model.roles import CustomRole
from exercise_engine.model.times import Duration


class ClockSettings(StrictModel):
    """How exercise time maps to the scenario's calendar and to the wall clock."""

    start: datetime
    """Scenario date-time at exercise time 00:00, e.g. ``2014-10-07T05:00``."""
    speed: Annotated[float, Field(strict=True, gt=0, le=3600)] = 1.0
    """Exercise seconds per wall second; the facilitator can change it during play."""


class Variable(StrictModel):
    """A numeric world-state variable with bounds (effects are clamped to them)."""

    label: str
    """What the gauge is called on consoles and reports."""
    initial: Number
    """Value at the start."""
    min: Number = 0
    """Lowest value (effects clamp here)."""
    max: Number = 100
    """Highest value (effects clamp here)."""
    good: Literal["high", "low"] = "high"
    """Whether a high value is good (``mission_credibility``) or bad (``civilian_risk``)."""
    description: str = ""
    """What the variable stands for, for facilitators and evaluators."""

    @model_validator(mode="after")
    def _bounds(self) -> Variable:
        if self.min >= self.max:
            raise ValueError(f"min ({self.min:g}) must be below max ({self.max:g})")
        if not self.min <= self.initial <= self.max:
            raise ValueError(
                f"initial ({self.initial:g}) must lie between min ({self.min:g}) and max ({self.max:g})"
            )
        return self


class Phase(StrictModel):
    """A state of the scenario machine (a move of the exercise)."""

    id: str
    """Phase id, used by transitions, injects and conditions."""
    title: str
    """Shown on the facilitator's console and in reports."""
    summary: str = ""
    """What the move is about (facilitator's view)."""
    advance: Duration | None = None
    """On entry, exercise time jumps this far (e.g. ``08:00`` overnight)."""
    gate: Flag = False
    """Hold outgoing transitions until every decision point delivered in this phase is closed."""


class Transition(StrictModel):
    """A guarded move between phases, checked whenever the state changes."""

    from_: str = Field(alias="from")
    """The phase it leaves."""
    to: str
    """The phase it enters."""
    when: str
    """The condition that moves the scenario on."""


class Ending(StrictModel):
    """A condition that ends the scenario, with the ending it represents."""

    when: str
    """The condition that ends the exercise."""
    id: str = ""
    """Ending id for reports and playthrough assertions; ``end-N`` when omitted."""
    title: str = ""
    """How the debrief names this ending."""
    summary: str = ""
    """What the world looks like at this ending (shown at the hot wash)."""


class Objective(StrictModel):
    """An exercise objective: what the MLT is expected to show, and what evidences it.

    Evaluators rate each objective P/S/M/U; the report's analysis is organised by objective.
    """

    id: str = Field(min_length=1)
    """Objective id, unique in the scenario (e.g. ``obj-1`` or ``warning``)."""
    text: str = Field(min_length=10)
    """The objective as a course director states it (one sentence)."""
    considerations: tuple[str, ...] = ()
    """Considerations that evidence the objective (catalogue or scenario ids)."""
    points: tuple[str, ...] = ()
    """Decision points that evidence it, each as ``"inject/point"``."""
    capability: str | None = Field(default=None, min_length=1)
    """The HSEEP core capability it exercises (e.g. ``Operational Coordination``)."""


class ScenarioFile(StrictModel):
    """A scenario file (``scenarios/<id>.toml``) as written; injects are resolved by the loader."""

    id: str
    """Scenario id, as ``exercise-engine list`` shows it."""
    title: str
    """Title shown to participants."""
    mission: str = ""
    """The mission it is modelled on, e.g. ``MINUSCA``."""
    summary: str = ""
    """One-paragraph synopsis."""
    briefing: str = ""
    """Markdown shown to every participant at the start."""
    roles: tuple[str, ...]
    """The role ids in play."""
    injects: tuple[str, ...] = ()
    """Inject library files (glob patterns), relative to the scenario file."""
    start_phase: str
    """The phase the scenario starts in."""
    duration: Duration | None = None
    """Planned length of play (shown by ``list``); the end conditions still decide."""
    reference_playthrough: str = ""
    """The playthrough (``playthroughs/<id>/NAME.toml``) that pre-plays the earlier moves when a
    course starts later with ``--start-at`` and names no ``--from-playthrough``."""
    clock: ClockSettings
    """Scenario start date-time and default speed."""
    variables: dict[str, Variable] = Field(default_factory=dict)
    """Numeric world-state variables."""
    flags: dict[str, Flag] = Field(default_factory=dict)
    """Boolean world-state flags with their initial values."""
    channels: dict[str, str] = Field(default_factory=dict)
    """Extra channels this scenario uses: id to label."""
    custom_roles: dict[str, CustomRole] = Field(default_factory=dict)
    """Seats this scenario adds beyond the catalogue."""
    phases: tuple[Phase, ...]
    """The moves of the exercise."""
    transitions: tuple[Transition, ...] = ()
    """Guarded moves between phases."""
    end: tuple[Ending, ...] = ()
    """Conditions that end the exercise; the first that holds wins."""
    considerations: tuple[Consideration, ...] = ()
    """Scenario-specific considerations, extending the catalogue for this scenario only."""
    objectives: tuple[Objective, ...] = ()
    """The exercise objectives, each evidenced by considerations and decision points."""
    inject: tuple[Inject, ...] = ()
    """Injects written inline (they join those from ``injects``)."""

    @field_validator("phases")
    @classmethod
    def _some_phase(cls, value: tuple[Phase, ...]) -> tuple[Phase, ...]:
        if not value:
            raise ValueError("a scenario needs at least one phase")
        return value

    @field_validator("roles")
    @classmethod
    def _some_role(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        if not value:
            raise ValueError("a scenario needs at least one role in play")
        return value
