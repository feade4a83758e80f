"""``exercise-engine run SCENARIO [--exercise DB] [--speed N] [--hot-seat]``: the facilitator.

Creates the exercise journal (or reopens it: resume after a crash continues paused where the clock
stood) and runs the clock. ``--headless`` runs it with no screen, printing each event as it
happens; otherwise the facilitator console opens (``exercise_engine.ui.facilitator``).
"""

from __future__ import annotations

import argparse
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from exercise_engine.exercise import Exercise
    from exercise_engine.journal import JournalLock


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "scenario", metavar="SCENARIO", help="a bundled scenario id or a scenario file"
    )
    parser.add_argument(
        "--exercise",
        metavar="DB",
        default=None,
        help="the exercise journal (reopened if it exists)",
    )
    parser.add_argument(
        "--speed",
        type=float,
        default=None,
        help="exercise seconds per wall second: more than 0, at most 3600",
    )
    parser.add_argument(
        "--hot-seat",
        action="store_true",
        help="one screen: the facilitator records every role's decisions",
    )
    parser.add_argument(
        "--no-pause-at-moves",
        dest="pause_at_moves",
        action="store_false",
        help="the console keeps the clock running when the scenario moves to a new phase "
        "(by default it pauses, so the room can take stock)",
    )
    parser.add_argument(
        "--headless", action="store_true", help="no console: run the clock and print events"
    )
    parser.add_argument("--syndicate", default="", help="the syndicate's name (for reports)")
    parser.add_argument(
        "--allow-changed",
        action="store_true",
        help="reopen even if the scenario files changed since",
    )


def _open_or_create(args: argparse.Namespace) -> tuple[Exercise, JournalLock]:
    """The exercise to run, and the journal's owner lock held for as long as this process runs.

    The lock keeps ``play --overwrite`` (or a second ``run``) from replacing the journal under a
    live clock; a refusal names the holder.
    """
    from exercise_engine.clock import SystemClock
    from exercise_engine.commands import UserError
    from exercise_engine.commands.scenarios import load_scenario_arg
    from exercise_engine.exercise import Exercise
    from exercise_engine.journal import JournalLock
    from exercise_engine.journal.files import default_journal_name, kind_of

    scenario = load_scenario_arg(args.scenario)
    if args.speed is not None and not 0 < args.speed <= 3600:
        raise UserError("--speed must be more than 0 and at most 3600")
    if args.exercise:
        db = Path(args.exercise)
    else:
        db = default_journal_name(scenario.id, f"{datetime.now():%Y%m%d-%H%M%S}")
    clock = SystemClock()
    lock = JournalLock.acquire(db, "run")
    try:
        if kind_of(db) is not None:  # open refuses, by name, whatever is not a journal
            exercise = Exercise.open(db, clock, scenario=scenario, allow_changed=args.allow_changed)
            exercise.recover()
            if args.speed is not None and exercise.state.status in ("running", "paused"):
                exercise.set_speed(args.speed)
        else:
            exercise = Exercise.create(
                db, scenario, clock, speed=args.speed, syndicate=args.syndicate
            )
    except BaseException:
        lock.release()
        raise
    return exercise, lock


def run(args: argparse.Namespace) -> int:
    exercise, lock = _open_or_create(args)
    try:
        if args.headless:
            return _headless(exercise)
        db = exercise.journal.path
        exercise.close()
        return _console(db, hot_seat=args.hot_seat, pause_at_moves=args.pause_at_moves)
    finally:
        lock.release()


def _console(db: Path, *, hot_seat: bool, pause_at_moves: bool = True) -> int:
    """Open the facilitator console on the journal (it reopens it on its own connection)."""
    from exercise_engine.commands import UserError
    from exercise_engine.journal import JournalError
    from exercise_engine.ui.facilitator.app import FacilitatorApp

    try:
        app = FacilitatorApp(db, hot_seat=hot_seat, pause_at_moves=pause_at_moves)
    except JournalError as exc:
        raise UserError(str(exc)) from None
    app.run()
    if app.return_code:
        return app.return_code  # the console said why (a lost journal, for one)
    print(f"exercise {db}: {app.link.view.status.replace('_', ' ')}")
    return 0


def _headless(exercise: Exercise) -> int:
    """Run the clock with no screen, printing every event of the journal as it is appended:
    the clock's own, and the decisions, advice and notes other processes record. Ctrl-C pauses
    the exercise (so the clock stops where it stood) and ends with exit status 130."""
    import signal
    import sys
    import time

    from exercise_engine.commands.exercises import describe_event
    from exercise_engine.model import format_duration

    stop = {"now": False}

    def on_signal(_signum: int, _frame: object) -> None:
        stop["now"] = True

    signal.signal(signal.SIGTERM, on_signal)
    shown = {"seq": exercise.state.last_seq}

    def show_new() -> None:
        """Print every event after the last one shown, whoever appended it."""
        if exercise.state.last_seq <= shown["seq"]:
            return
        for e in exercise.journal.events(after=shown["seq"]):
            print(
                f"{format_duration(e.exercise_time):>8}  {describe_event(exercise, e.kind, e.payload, e.role)}",
                flush=True,
            )
            shown["seq"] = e.seq

    print(
        f"exercise {exercise.journal.path} ({exercise.scenario.id}), status {exercise.state.status}",
        flush=True,
    )
    try:
        if exercise.state.status == "draft":
            exercise.open_briefing()
        if exercise.state.status == "briefing":
            exercise.start()
        elif exercise.state.status == "paused":
            exercise.resume()
        show_new()
        while exercise.state.status == "running" and not stop["now"]:
            exercise.poll()  # others' decisions and advice, then what falls due
            exercise.tick()
            show_new()
            time.sleep(0.1)
    except KeyboardInterrupt:
        _pause(exercise, "the facilitator stopped the clock (ctrl+c)")
        show_new()
        exercise.close()
        raise
    if stop["now"]:
        _pause(exercise, "the facilitator stopped the clock")
        show_new()
    print(
        f"status {exercise.state.status} at {format_duration(exercise.now())}",
        file=sys.stderr,
        flush=True,
    )
    exercise.close()
    return 0


def _pause(exercise: object, reason: str) -> None:
    from exercise_engine.exercise import Exercise

    assert isinstance(exercise, Exercise)
    exercise.refresh()
    if exercise.state.status == "running":
        exercise.pause(reason)
