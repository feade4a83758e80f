"""``exercise-engine list``: the bundled scenarios, with mission, roles and length.

LENGTH is the time play takes at the table and CLOCK the exercise clock when it ends (LENGTH plus
the hours phases skip, e.g. overnight): both worked out by playing the scenario on the engine with
nobody deciding, so they match what ``play`` reports. A scenario that reaches no ending that way
shows its planned ``duration`` (or what its end conditions wait for) and no CLOCK.
"""

from __future__ import annotations

import argparse
import sys


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--ids", action="store_true", help="print the ids only, one a line")


def run(args: argparse.Namespace) -> int:
    from exercise_engine.commands.scenarios import bundled_scenario_files
    from exercise_engine.loading import LoadError, load_scenario
    from exercise_engine.model import format_duration
    from exercise_engine.scenario_facts import planned_length, unattended_run

    rows: list[tuple[str, str, str, str, str, str]] = []
    for path in bundled_scenario_files():
        try:
            scenario = load_scenario(path)
        except LoadError as exc:
            rows.append(
                (
                    path.stem,
                    "?",
                    f"(does not validate: {len(exc.problems.errors)} errors)",
                    "",
                    "",
                    "",
                )
            )
            continue
        run = unattended_run(scenario)
        length = run[0] - run[1] if run else planned_length(scenario)
        rows.append(
            (
                scenario.id,
                scenario.file.mission,
                scenario.title,
                f"{len(scenario.roles)}: {' '.join(r.abbreviation for r in scenario.roles.values())}",
                format_duration(length) if length else "-",
                format_duration(run[0]) if run else "-",
            )
        )
    if args.ids:
        for row in rows:
            print(row[0])
        return 0
    if not rows:
        print("no bundled scenarios found", file=sys.stderr)
        return 1
    header = ("ID", "MISSION", "TITLE", "ROLES", "LENGTH", "CLOCK")
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    for row in [header, *rows]:
        print("  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row)).rstrip())
    return 0
