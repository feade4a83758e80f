"""``exercise-engine author SCENARIO``: the inject editor (Textual).

Opens the scenario (it must load: run ``validate`` first), then lists its injects for editing.
Saving writes only the files that hold changed injects, with ``tomli-w``, and checks the
scenario again from disk. See ``docs/authoring.md``.
"""

from __future__ import annotations

import argparse


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "scenario", metavar="SCENARIO", help="a bundled scenario id or a scenario file"
    )


def run(args: argparse.Namespace) -> int:
    from exercise_engine.authoring.workspace import Workspace
    from exercise_engine.commands import UserError
    from exercise_engine.commands.scenarios import resolve_scenario_path
    from exercise_engine.loading import LoadError

    path = resolve_scenario_path(args.scenario)
    try:
        workspace = Workspace.open(path)
    except LoadError as exc:
        lines = [str(p) for p in exc.problems.errors]
        raise UserError(
            f"{args.scenario} does not validate ({len(lines)} error(s)); fix these first:\n"
            + "\n".join(lines)
        ) from None
    except OSError as exc:
        raise UserError(f"cannot read {path}: {exc.strerror or exc}") from None

    from exercise_engine.ui.author.app import AuthorApp

    AuthorApp(workspace).run()
    return 0
