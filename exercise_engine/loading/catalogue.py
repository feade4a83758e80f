"""Load the roles catalogue and the considerations catalogue, checking their integrity.

Both are shipped data, but facilitators and course directors edit them too, so they get the same
file:line reporting as scenarios: ids unique, tension links resolving and symmetric, roles known.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from pydantic import ValidationError

from exercise_engine.loading.indicators import check_indicators
from exercise_engine.loading.keylines import KeyPath
from exercise_engine.loading.problems import (
    LoadError,
    Problems,
    SourceFile,
    pydantic_problems,
    suggest,
)
from exercise_engine.loading.tomlfile import load_toml
from exercise_engine.model import Consideration, Role, RoleCatalogueFile
from exercise_engine.resources import catalogue_dir, roles_file


@dataclass(frozen=True)
class Catalogue:
    """Every consideration the scorer knows, with the file and position each came from."""

    considerations: Mapping[str, Consideration]
    origins: Mapping[str, tuple[SourceFile, KeyPath]]
    """Consideration id to its file and the key path of its table there."""

    def areas(self) -> list[str]:
        return sorted({c.area for c in self.considerations.values()})


def load_roles(path: Path | None = None) -> dict[str, Role]:
    """The roles catalogue as id -> Role; raise LoadError if the file is broken."""
    return dict(_load_roles_cached(str(path or roles_file())))


@lru_cache(maxsize=4)
def _load_roles_cached(path: str) -> tuple[tuple[str, Role], ...]:
    problems = Problems()
    roles = read_roles(Path(path), problems)
    if problems.errors:
        raise LoadError(problems)
    return tuple(roles.items())


def read_roles(path: Path, problems: Problems) -> dict[str, Role]:
    loaded = load_toml(path, problems)
    if loaded is None:
        return {}
    data, source = loaded
    try:
        model = RoleCatalogueFile.model_validate(data)
    except ValidationError as exc:
        pydantic_problems(problems, source, exc, RoleCatalogueFile)
        return {}
    roles: dict[str, Role] = {}
    for i, role in enumerate(model.role):
        if role.id in roles:
            problems.add(source, ("role", i, "id"), f"duplicate role id {role.id!r}")
        roles[role.id] = role
    for i, role in enumerate(model.role):
        for j, tension in enumerate(role.tensions):
            if tension.with_ not in roles:
                problems.add(
                    source,
                    ("role", i, "tensions", j, "with"),
                    f"unknown role {tension.with_!r}{suggest(tension.with_, roles)}",
                )
    return roles


def load_catalogue(folder: Path | None = None) -> Catalogue:
    """The considerations catalogue; raise LoadError with every problem if it is broken."""
    return _load_catalogue_cached(str(folder or catalogue_dir()))


@lru_cache(maxsize=4)
def _load_catalogue_cached(folder: str) -> Catalogue:
    problems = Problems()
    catalogue = read_catalogue(sorted(Path(folder).glob("*.toml")), problems)
    if problems.errors:
        raise LoadError(problems)
    return catalogue


def read_catalogue(
    files: Iterable[Path],
    problems: Problems,
    known_roles: Iterable[str] | None = None,
) -> Catalogue:
    """Read catalogue files, recording problems; tension links must resolve and be symmetric."""
    roles = set(known_roles) if known_roles is not None else set(load_roles())
    considerations: dict[str, Consideration] = {}
    origins: dict[str, tuple[SourceFile, KeyPath]] = {}
    for path in files:
        loaded = load_toml(path, problems)
        if loaded is None:
            continue
        data, source = loaded
        entries = data.get("consideration")
        extra = sorted(set(data) - {"consideration"})
        for key in extra:
            problems.add(source, (key,), f"unknown key {key!r}{suggest(key, ['consideration'])}")
        if not isinstance(entries, list):
            problems.add(source, (), "expected [[consideration]] tables")
            continue
        for i, entry in enumerate(entries):
            try:
                item = Consideration.model_validate(entry)
            except ValidationError as exc:
                pydantic_problems(problems, source, exc, Consideration, ("consideration", i))
                continue
            if item.id in considerations:
                first, _ = origins[item.id]
                problems.add(
                    source,
                    ("consideration", i, "id"),
                    f"duplicate consideration id {item.id!r} (also in {first.name})",
                )
                continue
            considerations[item.id] = item
            origins[item.id] = (source, ("consideration", i))
            for r, role in enumerate(item.roles):
                if role not in roles:
                    problems.add(
                        source,
                        ("consideration", i, "roles", r),
                        f"unknown role {role!r}{suggest(role, roles)}",
                    )
    check_tensions(considerations, origins, problems, symmetric=True)
    check_indicators(((c, *origins[cid]) for cid, c in considerations.items()), problems)
    return Catalogue(considerations, origins)


def check_tensions(
    considerations: Mapping[str, Consideration],
    origins: Mapping[str, tuple[SourceFile, KeyPath]],
    problems: Problems,
    *,
    symmetric: bool,
    only: Iterable[str] | None = None,
) -> None:
    """Every ``tension_with`` link resolves (and, for the catalogue, is written on both sides)."""
    for cid in only if only is not None else considerations:
        item = considerations[cid]
        source, prefix = origins[cid]
        for t, other in enumerate(item.tension_with):
            path = (*prefix, "tension_with", t)
            if other not in considerations:
                problems.add(
                    source, path, f"unknown consideration {other!r}{suggest(other, considerations)}"
                )
            elif other == cid:
                problems.add(source, path, "a consideration cannot be in tension with itself")
            elif symmetric and cid not in considerations[other].tension_with:
                problems.add(
                    source,
                    path,
                    f"tension link is one-sided: {other!r} does not list {cid!r} in its tension_with",
                )
