"""``exercise-engine list``: the bundled scenarios, with mission, roles and planned length."""

from __future__ import annotations

import argparse


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--ids", action="store_true", help="print the ids only, one a line")


def run(args: argparse.Namespace) -> int:
    from exercise_engine.commands.scenarios import bundled_scenario_files
    from exercise_engine.loading import LoadError, load_scenario
    from exercise_engine.model import format_duration
    from exercise_engine.scenario_facts import planned_length

    rows: list[tuple[str, str, str, str, str]] = []
    for path in bundled_scenario_files():
        try:
            scenario = load_scenario(path)
        except LoadError as exc:
            rows.append(
                (path.stem, "?", f"(does not validate: {len(exc.problems.errors)} errors)", "", "")
            )
            continue
        length = planned_length(scenario)
        rows.append(
            (
                scenario.id,
                scenario.file.mission,
                scenario.title,
                f"{len(scenario.roles)}: {' '.join(r.abbreviation for r in scenario.roles.values())}",
                format_duration(length) if length else "-",
            )
        )
    if args.ids:
        for row in rows:
            print(row[0])
        return 0
    if not rows:
        print("no bundled scenarios found")
        return 1
    header = ("ID", "MISSION", "TITLE", "ROLES", "LENGTH")
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(4)]
    for row in [header, *rows]:
        print(
            "  ".join(
                cell.ljust(widths[i]) if i < 4 else cell for i, cell in enumerate(row)
            ).rstrip()
        )
    return 0
