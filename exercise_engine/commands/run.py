"""``exercise-engine run SCENARIO [--exercise DB] [--speed N] [--hot-seat]``: the facilitator.

Creates the exercise journal (or reopens it). Reopening after a crash (``kill -9``, a power cut)
is a recovery: the clock is paused where it stood when the facilitator was last heard from (its
heartbeat or its last tick, not the last event), every seat is told (a ``recovered`` event), and
on resume what fell due meanwhile is delivered at once, marked late (``Exercise.recover``).
``--start-at PHASE`` creates it with the earlier moves pre-played from a playthrough
(``exercise_engine.prelude``), paused where the class starts. Then it runs the clock.
``--headless`` runs it with no screen, printing each event as it
happens; otherwise the facilitator console opens (``exercise_engine.ui.facilitator``).
"""

from __future__ import annotations

import argparse
from datetime import datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from exercise_engine.exercise import Exercise
    from exercise_engine.journal.opener import OwnerLock, Target
    from exercise_engine.loading.loaded import LoadedScenario
    from exercise_engine.prelude import StartAt


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
    add_start_at_arguments(parser)
    parser.add_argument(
        "--allow-changed",
        action="store_true",
        help="reopen even if the scenario files changed since",
    )


def add_start_at_arguments(parser: argparse.ArgumentParser) -> None:
    """``--start-at`` and ``--from-playthrough`` (shared with ``play``): the short course."""
    parser.add_argument(
        "--start-at",
        metavar="PHASE",
        default=None,
        help="start a new exercise at this phase (its id, or move-N for the N-th): the moves"
        " before it are pre-played from a playthrough and journalled as the playthrough's,"
        " not scored for the seats",
    )
    parser.add_argument(
        "--from-playthrough",
        metavar="NAME",
        default=None,
        help="the playthrough that pre-plays them: a name from playthroughs/<scenario-id>/ or a"
        " decisions file (default: the scenario's reference_playthrough)",
    )


def _open_or_create(args: argparse.Namespace) -> tuple[Exercise, OwnerLock]:
    """The exercise to run, and the journal's owner lock held for as long as this process runs.

    The lock keeps ``play --overwrite`` (or a second ``run``) from replacing the journal under a
    live clock; a refusal names the holder.
    """
    from exercise_engine.clock import SystemClock
    from exercise_engine.commands import UserError
    from exercise_engine.commands.scenarios import load_scenario_arg
    from exercise_engine.exercise import Exercise
    from exercise_engine.journal.files import default_journal_name
    from exercise_engine.journal.opener import locate, lock_exercise, something_there

    scenario = load_scenario_arg(args.scenario)
    if args.speed is not None and not 0 < args.speed <= 3600:
        raise UserError("--speed must be more than 0 and at most 3600")
    start_at = _start_at(args, scenario)
    db: Target
    if args.exercise:
        db = locate(args.exercise)
    else:
        db = default_journal_name(scenario.id, f"{datetime.now():%Y%m%d-%H%M%S}")
    clock = SystemClock()
    lock = lock_exercise(db, "run")
    try:
        if start_at is not None:
            if something_there(db):
                raise UserError(f"--start-at starts a new exercise: {db} already exists")
            exercise = _create_pre_played(db, scenario, args, start_at)
        elif something_there(db):  # open refuses, by name, whatever is not a journal
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


def _start_at(args: argparse.Namespace, scenario: LoadedScenario) -> StartAt | None:
    """The checked ``--start-at`` request (None without one); refused before anything is written."""
    from exercise_engine.commands import UserError
    from exercise_engine.commands.scenarios import resolve_scenario_path
    from exercise_engine.prelude import load_start_at

    if args.start_at is None:
        if args.from_playthrough is not None:
            raise UserError("--from-playthrough goes with --start-at PHASE")
        return None
    return load_start_at(
        resolve_scenario_path(args.scenario), scenario, args.start_at, args.from_playthrough
    )


def _create_pre_played(
    db: Target, scenario: LoadedScenario, args: argparse.Namespace, start: StartAt
) -> Exercise:
    """A new exercise whose earlier moves are pre-played (fast, on a virtual clock), left paused
    at the start of ``start.phase`` at the speed the class plays."""
    import time

    from exercise_engine.clock import SystemClock, VirtualClock
    from exercise_engine.exercise import Exercise
    from exercise_engine.prelude import PREPLAY_SPEED, pre_play

    clock = VirtualClock(time.time())
    exercise = Exercise.create(db, scenario, clock, speed=PREPLAY_SPEED, syndicate=args.syndicate)
    prelude = pre_play(exercise, clock, start)
    exercise.pause(
        f"moves before {start.phase!r} pre-played from playthrough {start.name!r}"
        f" ({prelude.decisions} decisions): the class starts here"
    )
    exercise.set_speed(args.speed if args.speed is not None else scenario.file.clock.speed)
    exercise.close()
    return Exercise.open(db, SystemClock(), scenario=scenario)


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


def _console(db: Target, *, hot_seat: bool, pause_at_moves: bool = True) -> int:
    """Open the facilitator console on the journal (it reopens it on its own connection)."""
    from exercise_engine.commands import UserError
    from exercise_engine.journal import JournalError
    from exercise_engine.ui.facilitator.app import FacilitatorApp

    try:
        app = FacilitatorApp(db, hot_seat=hot_seat, pause_at_moves=pause_at_moves)
    except JournalError as exc:
        raise UserError(str(exc)) from None
    app.holds_clock = True  # this process holds the journal's lock: a crash of it is recovered
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
    from exercise_engine.engine.presence import FACILITATOR
    from exercise_engine.journal.interface import JournalUnreachable
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
        lost = False
        while exercise.state.status == "running" and not stop["now"]:
            try:
                exercise.poll()  # others' decisions and advice, then what falls due
                exercise.tick()
                exercise.heartbeat(FACILITATOR)  # the seats' "facilitator online" (not an event)
            except JournalUnreachable as exc:  # a server gone: nothing acknowledged is lost
                if not lost:
                    print(f"journal unreachable, retrying: {exc}", flush=True)
                lost = True
                time.sleep(1.0)
                continue
            if lost:
                print("journal reachable again", flush=True)
                lost = False
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
