"""``exercise-engine lint SCENARIO``: validate, then play every branch with a bot.

Everything ``validate`` checks (printed the same way), then bot playthroughs on the engine's
virtual clock (see ``exercise_engine.authoring.explore``) and the findings of
``exercise_engine.authoring.lint``: unreachable injects, dead ends, decision points without
evidence, roles left out, injects colliding for one role, endings reached, and the craft checks
(``exercise_engine.authoring.craft``). A one-screen summary comes first, then the details. Exit
0 without errors, 1 on an error (an unreachable inject; a flag or variable read but never set),
2 when the scenario does not load.
"""

from __future__ import annotations

import argparse
import sys
from typing import TextIO


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "scenario", metavar="SCENARIO", help="a bundled scenario id or a scenario file"
    )
    parser.add_argument(
        "--max-runs",
        type=int,
        default=500,
        metavar="N",
        help="play every path when there are at most N, else sample N runs (default 500)",
    )
    parser.add_argument(
        "--seed", type=int, default=0, help="seed for sampling past --max-runs (default 0)"
    )
    parser.add_argument(
        "--think",
        default="00:05",
        metavar="HH:MM",
        help="how long after a point opens the bot answers it, at most half its window (default 00:05)",
    )
    parser.add_argument(
        "--collision-window",
        default="00:01",
        metavar="HH:MM",
        help="injects reaching one role closer together than this collide (default 00:01)",
    )
    parser.add_argument(
        "-q", "--quiet", action="store_true", help="hide validate's warnings and the notes"
    )
    parser.add_argument("--no-progress", action="store_true", help="no progress bar on stderr")


class ProgressBar:
    """A one-line text bar on a terminal: ``bot playthroughs [#####-----] 120/500``.

    The bot discovers paths as it plays, so ``total`` grows while it runs: the bar shows the
    share done but never less than it has already shown (a bar that goes backwards reads as a
    fault), and the count never goes down either.
    """

    def __init__(self, stream: TextIO, width: int = 30) -> None:
        self.stream = stream
        self.width = width
        self.shown = ""
        self.filled = 0
        self.done = 0

    def __call__(self, done: int, total: int) -> None:
        total = max(total, done, 1)
        self.done = done = max(done, self.done)
        self.filled = filled = max(self.filled, min(self.width, self.width * done // total))
        line = f"bot playthroughs [{'#' * filled}{'-' * (self.width - filled)}] {done}/{total}"
        if line != self.shown:
            self.stream.write("\r" + line)
            self.stream.flush()
            self.shown = line

    def clear(self) -> None:
        if self.shown:
            self.stream.write("\r" + " " * len(self.shown) + "\r")
            self.stream.flush()
            self.shown = ""


def _duration(text: str, flag: str) -> int:
    from exercise_engine.commands import UserError
    from exercise_engine.model.times import parse_duration

    try:
        return parse_duration(text)
    except ValueError as exc:
        raise UserError(f"{flag}: {exc}") from None


def run(args: argparse.Namespace) -> int:
    from exercise_engine.authoring.lint import lint_scenario
    from exercise_engine.commands import UserError
    from exercise_engine.commands.scenarios import resolve_scenario_path
    from exercise_engine.loading import Problems, check_scenario

    if args.max_runs < 1:
        raise UserError("--max-runs must be at least 1")
    think = _duration(args.think, "--think")
    window = _duration(args.collision_window, "--collision-window")
    if window <= 0:
        raise UserError("--collision-window must be longer than 00:00")
    path = resolve_scenario_path(args.scenario)
    problems = Problems()
    scenario = check_scenario(path, problems)
    errors, warnings = len(problems.errors), len(problems.warnings)
    if scenario is None or errors:
        for problem in sorted(problems, key=lambda p: (p.file, p.line or 0, p.severity != "error")):
            if problem.severity == "error" or not args.quiet:
                print(problem, file=sys.stderr)
        print(
            f"FAILED: the scenario does not load: {errors} error(s), {warnings} warning(s)",
            file=sys.stderr,
        )
        return 2
    print(f"validate: ok, {warnings} warning(s)")

    from exercise_engine.cli import unfiltered

    stream = unfiltered(sys.stderr)  # our own text, whose "\r" must reach the terminal
    bar = ProgressBar(stream) if not args.no_progress and stream.isatty() else None
    try:
        report = lint_scenario(
            scenario,
            max_runs=args.max_runs,
            seed=args.seed,
            think=think,
            window=window,
            progress=bar,
        )
    finally:
        if bar is not None:
            bar.clear()
    validate = (
        []
        if args.quiet
        else [str(p) for p in sorted(problems, key=lambda p: (p.file, p.line or 0))]
    )
    for line in report.lines(quiet=args.quiet, validate=validate):
        print(line)
    unreachable = len(report.unreachable)
    others = len(report.errors) - unreachable
    flagged = sum(f.severity == "warning" for f in report.findings)
    if report.errors:
        what = [f"{unreachable} unreachable inject(s)"] if unreachable else []
        what += [f"{others} other error(s)"] if others else []
        print(f"lint: FAILED: {', '.join(what)}, {flagged} warning(s)")
        return 1
    print(f"lint: ok: every timed and conditional inject is reached; {flagged} warning(s)")
    return 0
