"""A scenario after loading: the file, its resolved injects, roles, considerations and conditions.

This is what the engine, the consoles and the scorer hold. It is read-only and carries the source
texts it was built from, so an exercise journal can keep a snapshot and replay without the files.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field

from exercise_engine.conditions import Condition
from exercise_engine.model import (
    ALL,
    DEFAULT_CHANNELS,
    Consideration,
    DecisionPoint,
    Ending,
    Inject,
    Option,
    Phase,
    ScenarioFile,
)


@dataclass(frozen=True)
class RoleInfo:
    """A role in play, as consoles show it."""

    id: str
    title: str
    abbreviation: str
    responsibilities: str


@dataclass(frozen=True)
class InjectCopy:
    """What one role receives of an inject (its variant, or the main text)."""

    title: str
    sender: str
    channel: str
    body: str
    variant: int | None
    """Index of the variant this role receives; None for the main text."""


@dataclass(frozen=True)
class SourceText:
    """One file that went into the scenario, kept for the journal's snapshot."""

    name: str
    text: str


@dataclass(frozen=True)
class LoadedScenario:
    """A validated scenario, ready to play."""

    file: ScenarioFile
    injects: Mapping[str, Inject]
    """Every inject by id, in file order (inline first, then the library files)."""
    roles: Mapping[str, RoleInfo]
    """The roles in play, in the scenario's order."""
    considerations: Mapping[str, Consideration]
    """The catalogue plus the scenario's own considerations."""
    conditions: Mapping[str, Condition]
    """Compiled conditions by key: ``transition:N``, ``end:N``, ``inject:ID``."""
    sources: tuple[SourceText, ...] = ()
    """The scenario file first, then each inject library file."""
    inject_files: Mapping[str, str] = field(default_factory=dict)
    """Inject id to the name of the file it was written in."""

    @property
    def id(self) -> str:
        return self.file.id

    @property
    def title(self) -> str:
        return self.file.title

    @property
    def phases(self) -> Mapping[str, Phase]:
        return {p.id: p for p in self.file.phases}

    @property
    def channels(self) -> dict[str, str]:
        return {**DEFAULT_CHANNELS, **self.file.channels}

    @property
    def endings(self) -> list[Ending]:
        return list(self.file.end)

    def ending_id(self, index: int) -> str:
        ending = self.file.end[index]
        return ending.id or f"end-{index + 1}"

    def content_hash(self) -> str:
        """SHA-256 of the source texts: a journal refuses to replay against a changed scenario."""
        digest = hashlib.sha256()
        for source in self.sources:
            digest.update(source.name.encode() + b"\0" + source.text.encode() + b"\0")
        return digest.hexdigest()

    def snapshot(self) -> str:
        """The source texts as JSON, stored in the journal so it can be replayed without files."""
        return json.dumps([{"name": s.name, "text": s.text} for s in self.sources])

    # --- audiences and decision points --------------------------------------------------------

    def audience(self, inject: Inject) -> list[str]:
        """Every role in play that receives some version of ``inject``, in the scenario's order."""
        wanted: set[str] = set()
        for group in (inject.to, *(v.to for v in inject.variants)):
            wanted.update(self.roles if ALL in group else group)
        return [r for r in self.roles if r in wanted]

    def copy_for(self, inject: Inject, role: str) -> InjectCopy | None:
        """What ``role`` receives of ``inject``: its variant if it has one, else the main text."""
        for index, variant in enumerate(inject.variants):
            if role in variant.to or (ALL in variant.to and role in self.roles):
                return InjectCopy(
                    title=variant.title or inject.title,
                    sender=variant.sender or inject.sender,
                    channel=variant.channel or inject.channel,
                    body=variant.body if variant.body is not None else inject.body,
                    variant=index,
                )
        if role in inject.to or (ALL in inject.to and role in self.roles):
            return InjectCopy(inject.title, inject.sender, inject.channel, inject.body, None)
        return None

    def decision_point(self, inject_id: str, point_id: str) -> DecisionPoint | None:
        inject = self.injects.get(inject_id)
        if inject is None:
            return None
        return next((d for d in inject.decisions if d.id == point_id), None)

    def option(self, inject_id: str, point_id: str, option_id: str) -> Option | None:
        point = self.decision_point(inject_id, point_id)
        if point is None:
            return None
        return next((o for o in point.options if o.id == option_id), None)

    def decision_points(self) -> list[tuple[Inject, DecisionPoint]]:
        """Every decision point with its inject, in file order."""
        return [(inject, point) for inject in self.injects.values() for point in inject.decisions]

    def role_title(self, role: str) -> str:
        info = self.roles.get(role)
        return info.title if info else role
