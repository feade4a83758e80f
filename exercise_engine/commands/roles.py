"""``exercise-engine roles [ROLE]``: the MLT seats, their responsibilities and typical tensions."""

from __future__ import annotations

import argparse
import textwrap


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("role", nargs="?", help="show one role in full")


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
    if args.role not in roles:
        raise UserError(f"unknown role {args.role!r}{suggest(args.role, roles)}")
    role = roles[args.role]
    print(f"{role.title} ({role.abbreviation}, {role.id})")
    for line in textwrap.wrap(role.responsibilities, 96):
        print(f"  {line}")
    if role.source:
        print(f"  source: {role.source.section} ({role.source.doc})")
    for tension in role.tensions:
        other = roles[tension.with_].title if tension.with_ in roles else tension.with_
        print(f"  tension with {other}: {tension.about}")
    return 0
