"""``exercise-engine considerations [--area A] [--role R] [--search TEXT] [--scenario S] [--format table|md]``.

Browse the considerations catalogue the after-action scorer uses. ``--format md`` with no filter
prints the whole handbook (``docs/considerations.md`` is exactly that output). ``--scenario``
adds the considerations a scenario declares for itself, marked as its own.
"""

from __future__ import annotations

import argparse
import shutil
import textwrap


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--area", help="an area name (e.g. 'Use of force') or id prefix (e.g. uof)")
    parser.add_argument("--role", help="only those concerning this role id (e.g. force_commander)")
    parser.add_argument("--search", help="text to find in ids, statements, indicators, sections")
    parser.add_argument(
        "--scenario",
        metavar="SCENARIO",
        help="also the considerations a scenario declares for itself (a bundled id or a file)",
    )
    parser.add_argument("--format", choices=["table", "md"], default="table")


def run(args: argparse.Namespace) -> int:
    from after_action.handbook import filter_considerations, handbook_markdown, source_name
    from exercise_engine.commands import UserError
    from exercise_engine.loading import LoadError, load_catalogue, load_roles

    try:
        catalogue = load_catalogue()
        roles = load_roles()
    except LoadError as exc:
        raise UserError(
            "the catalogue does not load:\n" + "\n".join(map(str, exc.problems.errors))
        ) from None
    if args.role and args.role not in roles:
        raise UserError(f"unknown role {args.role!r} (roles: {', '.join(roles)})")
    pool = dict(catalogue.considerations)
    local: set[str] = set()
    if args.scenario:
        from exercise_engine.commands.scenarios import load_scenario_arg

        scenario = load_scenario_arg(args.scenario)
        local = set(scenario.considerations) - set(pool)
        pool = dict(scenario.considerations)
    items = filter_considerations(pool.values(), area=args.area, role=args.role, search=args.search)
    if args.area and not items and not args.search and not args.role:
        raise UserError(f"no area {args.area!r} (areas: {', '.join(catalogue.areas())})")
    if args.format == "md":
        chosen = {c.id: c for c in items}
        print(handbook_markdown(chosen, roles), end="")
        return 0
    width = shutil.get_terminal_size((100, 24)).columns
    for c in items:
        mark = "  (this scenario's own)" if c.id in local else ""
        print(f"{c.id}  [{c.area}]  ({', '.join(c.roles)}){mark}")
        for line in textwrap.wrap(c.statement, width=max(40, width - 4)):
            print(f"    {line}")
        print(f"    source: {source_name(c.source.doc)}, {c.source.section}")
        if c.tension_with:
            print(f"    in tension with: {', '.join(c.tension_with)}")
    print(f"{len(items)} consideration(s)")
    return 0
