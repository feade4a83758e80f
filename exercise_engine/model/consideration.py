"""Considerations: checkable items of good practice from the study, in the project's own words.

The after-action scorer weighs every decision against these; a scenario's options cite them as
evidence. The same shape serves the shipped catalogue (``[[consideration]]``) and a scenario's own
criteria (``[[considerations]]``).
"""

from __future__ import annotations

import re

from pydantic import Field, field_validator

from exercise_engine.model.base import Source, StrictModel

CONSIDERATION_ID = re.compile(r"^[a-z][a-z0-9]*\.[a-z0-9]+(?:-[a-z0-9]+)*$")


class Consideration(StrictModel):
    """One consideration: what a good decision weighs, where the study says it, whom it concerns."""

    id: str
    """Stable id ``area.slug`` (e.g. ``uof.proportionate``); never reused once published."""
    area: str
    """The area it belongs to, e.g. ``Use of force``."""
    statement: str = Field(min_length=10)
    """One or two sentences an evaluator can hold a decision against."""
    source: Source
    """Where the study says it (document and section)."""
    roles: tuple[str, ...] = ()
    """The roles it concerns most."""
    indicators: tuple[str, ...] = ()
    """Phrases a rationale that weighs this consideration would use (matched case-insensitively)."""
    tension_with: tuple[str, ...] = ()
    """Considerations it pulls against (the study's polarities)."""

    @field_validator("id")
    @classmethod
    def _id_shape(cls, value: str) -> str:
        if not CONSIDERATION_ID.match(value):
            raise ValueError(
                f"id {value!r} must look like 'area.slug' (lowercase, words joined by '-')"
            )
        return value


class ConsiderationFile(StrictModel):
    """The shape of one catalogue file in ``after_action/considerations/``."""

    consideration: tuple[Consideration, ...]
    """The considerations of one area."""
