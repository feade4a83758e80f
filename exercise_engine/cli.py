"""The ``exercise-engine`` command: argument parsing and dispatch, nothing else.

Each subcommand lives in ``exercise_engine/commands/`` and is imported only when it runs, so
``exercise-engine --help`` stays fast (Textual and pydantic load only where a command needs them).
Every failure a user can cause ends as one clear line on stderr and a non-zero exit, never a
traceback: commands raise :class:`~exercise_engine.commands.UserError`, which ``main`` prints.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from exercise_engine import __version__

_COMMANDS: dict[str, tuple[str, str]] = {
    # name: (module in exercise_engine.commands, one-line help)
    "list": ("listing", "list the bundled scenarios"),
    "validate": ("validate", "load and check scenario, inject and catalogue files"),
    "play": ("play", "play a scenario headless on a virtual clock from a decisions file"),
    "run": ("run", "facilitator: run an exercise (headless with --headless)"),
    "join": ("join", "participant: one MLT seat's console on a running exercise"),
    "serve": ("serve", "the consoles in a browser on the course LAN (textual-serve)"),
    "decide": ("decide", "record a decision from the command line"),
    "advise": ("advise", "record a consulted role's advice from the command line"),
    "status": ("status", "show where an exercise stands"),
    "verify": ("verify", "check an exercise journal's hash chain"),
    "fork": ("fork", "start a new exercise from any event of an old one"),
    "report": ("report", "after-action report of an exercise (md, html, json or pdf)"),
    "review": ("review", "evaluator: walk the decisions, rate them, annotate, export"),
    "rate": ("rate", "evaluator: rate a decision or an objective, edit the improvement plan"),
    "seat": ("seat", "facilitator: who sat a seat, or mark it not played"),
    "compare": ("compare", "syndicates side by side"),
    "considerations": ("considerations", "browse the considerations catalogue"),
    "roles": ("roles", "list the MLT roles and their responsibilities"),
    "lint": ("lint", "validate, then play every branch with a bot: unreachable injects, dead ends"),
    "graph": ("graph", "the scenario's phases and inject flow (mermaid or dot)"),
    "msel": ("msel", "the MSEL as a spreadsheet: export to CSV, import from CSV"),
    "author": ("author", "facilitator: edit a scenario's injects (Textual)"),
}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="exercise-engine",
        description="Tabletop crisis-management exercises for UN peace-operation leadership teams.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, (module, help_text) in _COMMANDS.items():
        command = sub.add_parser(name, help=help_text, description=help_text)
        _module(module).add_arguments(command)
    return parser


def _module(name: str):  # type: ignore[no-untyped-def]
    return importlib.import_module(f"exercise_engine.commands.{name}")


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    from exercise_engine.commands import UserError
    from exercise_engine.errors import ExerciseError

    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 2
    module, _ = _COMMANDS[args.command]
    try:
        return int(_module(module).run(args))
    except UserError as exc:
        print(f"exercise-engine {args.command}: {exc}", file=sys.stderr)
        return exc.exit_code
    except ExerciseError as exc:
        print(f"exercise-engine {args.command}: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"exercise-engine {args.command}: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    raise SystemExit(main())
