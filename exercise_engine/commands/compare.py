"""``exercise-engine compare DB DB... [--format md|html|json]``: syndicates side by side."""

from __future__ import annotations

import argparse
import json
from typing import Any


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "dbs", nargs="+", metavar="DB", help="exercise journals of the same scenario"
    )
    parser.add_argument("--format", choices=["md", "html", "json"], default="md")


def run(args: argparse.Namespace) -> int:
    from after_action.assessment import assess
    from after_action.compare import compare_data, compare_html, compare_markdown
    from exercise_engine.commands import UserError
    from exercise_engine.commands.exercises import open_exercise
    from exercise_engine.journal.opener import locate

    if len(args.dbs) < 2:
        raise UserError("give at least two exercise journals to compare")
    items: list[tuple[str, Any]] = []
    scenario_ids = set()
    for db in args.dbs:
        exercise = open_exercise(db, read_only=True)
        scenario_ids.add(exercise.scenario.id)
        label = exercise.state.syndicate or locate(db).stem
        if any(label == existing for existing, _ in items):
            label = f"{label} ({locate(db).stem})"
        items.append((label, assess(exercise)))
        exercise.close()
    if len(scenario_ids) > 1:
        raise UserError(
            f"these exercises play different scenarios ({', '.join(sorted(scenario_ids))}): compare syndicates of one scenario"
        )
    data = compare_data(items)
    if args.format == "json":
        print(json.dumps(data, indent=2, ensure_ascii=False))
    elif args.format == "html":
        print(compare_html(data), end="")
    else:
        print(compare_markdown(data), end="")
    return 0
