"""``exercise-engine roles [ROLE]``: the MLT seats, their responsibilities and typical tensions."""

from __future__ import annotations

import argparse
import textwrap
from collections.abc import Mapping
from typing import Protocol


class _Named(Protocol):
    @property
    def abbreviation(self) -> str: ...


def role_id(arg: str, roles: Mapping[str, _Named]) -> str | None:
    """The role id ``arg`` names: an id, or an abbreviation as ``list`` and ``roles`` show it
    (``FC``, ``fc``, ``DSRSG-P``), or None. Shared by every command that takes a role."""
    if arg in roles:
        return arg
    wanted = arg.strip().casefold()
    for rid, role in roles.items():
        if rid.casefold() == wanted or (
            role.abbreviation and role.abbreviation.casefold() == wanted
        ):
            return rid
    return None


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "role", nargs="?", help="show one role in full: its id or abbreviation (e.g. FC)"
    )


def run(args: argparse.Namespace) -> int:
    from exercise_engine.commands import UserError
    from exercise_engine.loading import load_roles
    from exercise_engine.loading.problems import suggest

    roles = load_roles()
    if args.role is None:
        for role in roles.values():
            kind = "core" if role.core else "optional"
            print(f"{role.id:22} {role.abbreviation:8} {role.title}  ({kind})")
        return 0
    rid = role_id(args.role, roles)
    if rid is None:
        raise UserError(f"unknown role {args.role!r}{suggest(args.role, roles)}")
    role = roles[rid]
    print(f"{role.title} ({role.abbreviation}, {role.id})")
    for line in textwrap.wrap(role.responsibilities, 96):
        print(f"  {line}")
    if role.source:
        from after_action.handbook import source_name

        print(f"  source: {source_name(role.source.doc)}, {role.source.section}")
    for tension in role.tensions:
        other = roles[tension.with_].title if tension.with_ in roles else tension.with_
        print(f"  tension with {other}: {tension.about}")
    return 0
