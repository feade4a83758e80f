"""The ``exercise-engine`` command: argument parsing and dispatch, nothing else.

Each subcommand lives in ``exercise_engine/commands/`` and is imported only when it runs, so
``exercise-engine --help`` stays fast (Textual and pydantic load only where a command needs them).
Every failure a user can cause ends as one clear line on stderr and a non-zero exit, never a
traceback: commands raise an :class:`~exercise_engine.errors.ExerciseError` (``UserError``,
``LoadError``, ``JournalError``, ``Refused``, ``EngineError`` ...), which ``main`` catches once and
prints. Ctrl-C ends any command with exit status 130.

Text a command prints can come from a file or from another user (a scenario title, a rationale,
an evaluator's name, an error quoting a bad argument). While a command runs, standard output and
standard error pass through :func:`~exercise_engine.safe_text.printable`, so a terminal escape
sequence in such text is shown spelled out, never obeyed. The Textual consoles draw the screen
themselves and are left alone.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence
from typing import Any, TextIO

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
    "export": ("export", "copy an exercise to a PostgreSQL server (or a file), chain intact"),
    "import": ("import_exercise", "copy an exercise from a PostgreSQL server to a file"),
    "report": ("report", "after-action report of an exercise (md, html, json or pdf)"),
    "review": ("review", "evaluator: walk the decisions, rate them, annotate, export"),
    "rate": ("rate", "evaluator: rate a decision or an objective, edit the improvement plan"),
    "seat": ("seat", "facilitator: who sat a seat, or mark it not played"),
    "compare": ("compare", "syndicates side by side"),
    "trends": ("trends", "how cohorts did over time, per objective and consideration (anonymised)"),
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


_CONSOLES = {"join", "review", "author"}
"""Commands that hand the terminal to a Textual console (``run`` too, unless ``--headless``)."""


class PrintableStream:
    """A text stream that spells out control characters before they reach the terminal."""

    def __init__(self, stream: TextIO) -> None:
        self.unfiltered = stream
        """The stream itself, for text of our own that needs a control character (``\\r``)."""

    def write(self, text: str) -> int:
        from exercise_engine.safe_text import printable

        # a file name that is not UTF-8 (found in a folder) holds lone surrogates: escape them
        safe = text.encode("utf-8", "backslashreplace").decode("utf-8")
        self.unfiltered.write(printable(safe))
        return len(text)

    def writelines(self, lines: Sequence[str]) -> None:
        for line in lines:
            self.write(line)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.unfiltered, name)


def unfiltered(stream: TextIO) -> TextIO:
    """The real stream under a :class:`PrintableStream` (a progress bar's ``\\r`` must pass)."""
    inner: TextIO = getattr(stream, "unfiltered", stream)
    return inner


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    saved = sys.stdout, sys.stderr
    sys.stdout = PrintableStream(sys.stdout)
    sys.stderr = PrintableStream(sys.stderr)
    command = ""
    try:
        parser = build_parser()
        args = parser.parse_args(argv)
        if args.command is None:
            parser.print_help()
            return 2
        command = args.command
        bad = _not_utf8(args)
        if bad:
            print(
                f"exercise-engine {command}: {bad}: type it in a UTF-8 terminal, or set"
                " LANG/LC_ALL to a UTF-8 locale",
                file=sys.stderr,
            )
            return 2
        if command in _CONSOLES or (command == "run" and not args.headless):
            sys.stdout, sys.stderr = saved
        return _run(command, args)
    except KeyboardInterrupt:
        name = f"exercise-engine {command}" if command else "exercise-engine"
        print(f"{name}: interrupted", file=sys.stderr)
        return 130
    finally:
        sys.stdout, sys.stderr = saved


def _not_utf8(args: argparse.Namespace) -> str:
    """The first argument that is not UTF-8, named with the offending byte (Python hands
    undecodable argument bytes over as lone surrogates, ``caf\\udce9`` for a Latin-1 ``café``;
    they can be neither stored nor hashed)."""
    for name, value in vars(args).items():
        for item in value if isinstance(value, list) else [value]:
            if not isinstance(item, str):
                continue
            try:
                item.encode("utf-8")
            except UnicodeEncodeError as exc:
                flag = (
                    name.upper()
                    if name in ("db", "scenario", "paths")
                    else f"--{name.replace('_', '-')}"
                )
                bad = item[exc.start : exc.end].encode("utf-8", "surrogateescape")
                return f"{flag} is not valid UTF-8 text (byte {bad.hex(' ')} at character {exc.start + 1})"
    return ""


def _run(command: str, args: argparse.Namespace) -> int:
    """Run one command; every failure a user can cause is caught here, once."""
    from exercise_engine.errors import ExerciseError

    module, _ = _COMMANDS[command]
    try:
        return int(_module(module).run(args))
    except ExerciseError as exc:
        print(f"exercise-engine {command}: {exc}", file=sys.stderr)
        return exc.exit_code
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    raise SystemExit(main())
