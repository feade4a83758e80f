"""``exercise-engine play SCENARIO --decisions FILE --exercise DB``: a headless scripted run.

Plays the decisions file on a virtual clock (no waiting), runs the scenario to its end, prints a
one-screen summary and checks the file's ``[expect]`` table (``expect: ok`` when it holds; each
failure on stderr). Exit 0 when everything was accepted and expected; 1 when a row was refused or
an expectation failed; 2 on bad input.
"""

from __future__ import annotations

import argparse
import shlex
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from exercise_engine.journal.opener import Target
    from exercise_engine.loading.loaded import LoadedScenario
    from exercise_engine.loading.problems import SourceFile
    from exercise_engine.model.playthrough import Playthrough


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "scenario", metavar="SCENARIO", help="a bundled scenario id or a scenario file"
    )
    parser.add_argument(
        "--decisions", required=True, metavar="FILE", help="the scripted decisions file (TOML)"
    )
    parser.add_argument(
        "--exercise", required=True, metavar="DB", help="the exercise journal to write (new file)"
    )
    parser.add_argument(
        "--overwrite",
        action="store_true",
        help="replace DB if it is an exercise journal (never any other file, nor one in use)",
    )
    parser.add_argument(
        "--syndicate", default="", help="a name for the syndicate playing (for reports)"
    )
    parser.add_argument(
        "--timeline", action="store_true", help="print every event, not only the summary"
    )


def run(args: argparse.Namespace) -> int:
    from exercise_engine.commands import UserError
    from exercise_engine.commands.scenarios import load_scenario_arg
    from exercise_engine.journal.opener import locate, lock_exercise
    from exercise_engine.loading import LoadError
    from exercise_engine.loading.playthrough import load_playthrough

    scenario = load_scenario_arg(args.scenario)
    decisions = Path(args.decisions)
    try:
        script, source = load_playthrough(decisions, scenario)
    except LoadError as exc:
        lines = [str(p) for p in exc.problems.errors]
        raise UserError(
            f"{args.decisions} cannot be played ({len(lines)} problem(s)):\n" + "\n".join(lines)
        ) from None
    db = locate(args.exercise)
    lock = lock_exercise(db, "play")  # refused while a live `run` holds this journal
    try:
        return _play(args, scenario, script, source, db)
    finally:
        lock.release()


def _play(
    args: argparse.Namespace,
    scenario: LoadedScenario,
    script: Playthrough,
    source: SourceFile,
    db: Target,
) -> int:
    """Create the journal (replacing only an exercise journal) and play the script into it."""
    from exercise_engine.clock import VirtualClock
    from exercise_engine.commands import UserError
    from exercise_engine.commands.scenarios import resolve_scenario_path
    from exercise_engine.exercise import Exercise
    from exercise_engine.journal import JournalError
    from exercise_engine.journal.opener import is_exercise, remove_exercise
    from exercise_engine.runtime import play_script

    if args.overwrite:
        remove_exercise(
            db,
            protected={
                "the decisions file": Path(args.decisions),
                "the scenario file": resolve_scenario_path(args.scenario),
            },
        )
    clock = VirtualClock(time.time())
    try:
        exercise = Exercise.create(
            db, scenario, clock, speed=1.0, syndicate=args.syndicate or script.title
        )
    except JournalError as exc:
        journal = is_exercise(db)
        hint = " (add --overwrite to replace it)" if journal else ""
        raise UserError(f"{exc}{hint}") from None
    result = play_script(exercise, clock, script)
    if result.stuck:
        # Nothing more can happen: end play as a facilitator would, and say why below.
        result.events += exercise.end_scenario()
    _print_summary(exercise, result, args.timeline)

    failures: list[str] = []
    for refusal in result.refusals:
        line = source.lines.line_of((refusal.table, refusal.index))
        failures.append(
            f"{source.name}:{line}: {refusal.table}[{refusal.index}]: refused: {refusal.reason}"
        )
    if result.stuck:
        print(
            f"Note: {result.stuck}; play was ended there, as a facilitator would.",
            file=sys.stderr,
        )
    expect = script.expect
    state = exercise.state
    if expect.ending is not None and state.ending != expect.ending:
        failures.append(f"expected ending {expect.ending!r}, reached {state.ending!r}")
    for iid in expect.delivered:
        if iid not in state.deliveries:
            failures.append(f"expected {iid!r} to be delivered; it was not")
    for iid in expect.not_delivered:
        if iid in state.deliveries:
            failures.append(f"expected {iid!r} not to be delivered; it was")
    if state.status == "hot_wash":
        exercise.close_hot_wash()
    exercise.close()
    for failure in failures:
        print(failure, file=sys.stderr)
    if not failures and (expect.ending is not None or expect.delivered or expect.not_delivered):
        checked = [f"ending {expect.ending}"] if expect.ending is not None else []
        if expect.delivered:
            checked.append(f"{len(expect.delivered)} delivered")
        if expect.not_delivered:
            checked.append(f"{len(expect.not_delivered)} not delivered")
        print(f"expect: ok ({', '.join(checked)})")
    return 1 if failures else 0


def _print_summary(exercise: object, result: object, timeline: bool) -> None:
    from exercise_engine.commands.exercises import describe_event, inject_count
    from exercise_engine.exercise import Exercise
    from exercise_engine.model import format_duration
    from exercise_engine.runtime import PlayResult
    from exercise_engine.scenario_facts import jumped

    assert isinstance(exercise, Exercise) and isinstance(result, PlayResult)
    scenario, state = exercise.scenario, exercise.state
    print(f"Played {scenario.id}: {scenario.title}  ->  {exercise.journal.path}")
    shown = {
        "inject_delivered",
        "decision_recorded",
        "decision_expired",
        "phase_changed",
        "time_jumped",
        "scenario_ended",
        "decision_refused",
    }
    for event in result.events:
        if timeline or event.kind in shown:
            text = describe_event(exercise, event.kind, event.payload, event.role)
            print(f"  {format_duration(event.exercise_time):>6}  {text}")
    points = list(state.points.values())
    counts = {
        s: sum(p.status == s for p in points) for s in ("decided", "expired", "closed", "open")
    }
    print(
        f"Injects delivered: {inject_count(exercise)}"
        f" | decision points: {counts['decided']} decided, {counts['expired']} expired,"
        f" {counts['closed']} closed undecided | refusals: {len(state.refusals)}"
    )
    world = ", ".join(
        f"{name} {state.variables[name]:g} (from {var.initial:g})"
        for name, var in scenario.file.variables.items()
    )
    if world:
        print(f"World: {world}")
    flags = ", ".join(f"{k}={'yes' if v else 'no'}" for k, v in state.flags.items())
    if flags:
        print(f"Flags: {flags}")
    phases = " -> ".join(p for _, p in state.phase_history)
    print(f"Phases: {phases}")
    if state.ending is not None:
        skipped = jumped(result.events)
        at = format_duration(state.last_time)
        if skipped:
            at += f"; {format_duration(state.last_time - skipped)} of play, {format_duration(skipped)} skipped by jumps"
        print(f"Ending: {state.ending} — {state.ending_title} (at {at})")
    else:
        print("Ending: none reached")
    from exercise_engine.commands import program

    journal = shlex.quote(str(exercise.journal.path))
    print(f"After-action report: {program()} report {journal} --format html --out reports")
