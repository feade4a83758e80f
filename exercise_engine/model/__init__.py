"""Pydantic models of everything a facilitator writes and everything the journal records.

No Textual, no after-action imports: this is the bottom layer.
"""

from exercise_engine.model.base import Source, StrictModel
from exercise_engine.model.consideration import Consideration, ConsiderationFile
from exercise_engine.model.inject import (
    ALL,
    DEFAULT_CHANNELS,
    After,
    Cap,
    DecisionPoint,
    Inject,
    InjectFile,
    OnExpire,
    Option,
    Variant,
)
from exercise_engine.model.roles import CustomRole, Role, RoleCatalogueFile, RoleTension
from exercise_engine.model.scenario import (
    ClockSettings,
    Ending,
    Objective,
    Phase,
    ScenarioFile,
    Transition,
    Variable,
)
from exercise_engine.model.times import Duration, format_duration, parse_duration

__all__ = [
    "ALL",
    "DEFAULT_CHANNELS",
    "After",
    "Cap",
    "ClockSettings",
    "Consideration",
    "ConsiderationFile",
    "CustomRole",
    "DecisionPoint",
    "Duration",
    "Ending",
    "Inject",
    "InjectFile",
    "Objective",
    "OnExpire",
    "Option",
    "Phase",
    "Role",
    "RoleCatalogueFile",
    "RoleTension",
    "ScenarioFile",
    "Source",
    "StrictModel",
    "Transition",
    "Variable",
    "Variant",
    "format_duration",
    "parse_duration",
]
