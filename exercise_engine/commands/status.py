"""``exercise-engine status DB [--events]``: where an exercise stands — clock, phase, world, who
owes what; with ``--events``, every event numbered as ``fork --at SEQ`` takes it."""

from __future__ import annotations

import argparse


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("db", metavar="DB", help="the exercise journal")
    parser.add_argument(
        "--events",
        action="store_true",
        help="also list every event with its number (SEQ, as `fork --at` takes it)",
    )


def run(args: argparse.Namespace) -> int:
    from exercise_engine.commands.exercises import inject_count, open_exercise
    from exercise_engine.model import format_duration

    exercise = open_exercise(args.db, read_only=True)
    scenario, state = exercise.scenario, exercise.state
    now = exercise.now()
    start = scenario.file.clock.start
    from datetime import timedelta

    print(f"{scenario.id}: {scenario.title}")
    print(
        f"  status {state.status.replace('_', ' ')} | exercise time {format_duration(now)} "
        f"| scenario time {(start + timedelta(seconds=now)):%Y-%m-%d %H:%M} | speed x{state.speed:g}"
    )
    phase = scenario.phases.get(state.phase)
    print(f"  phase {state.phase}: {phase.title if phase else ''}")
    if state.ending:
        print(f"  ending {state.ending}: {state.ending_title}")
    for name, var in scenario.file.variables.items():
        print(f"  {var.label}: {state.variables[name]:g} ({var.min:g}-{var.max:g})")
    print(f"  injects delivered {inject_count(exercise)}; events {state.event_count}")
    open_points = state.open_points()
    if open_points:
        print("  open decisions:")
        for p in open_points:
            due = (
                f"due by {format_duration(p.deadline)}" if p.deadline is not None else "no deadline"
            )
            print(f"    {p.inject}/{p.decision}  {scenario.role_title(p.role)}  {due}")
    print(f"  journal head: {state.last_seq}:{state.last_hash} (`verify --head` checks it later)")
    if args.events:
        from exercise_engine.commands.exercises import describe_event

        print("  events (SEQ  exercise time  what):")
        for event in exercise.journal.events():
            text = describe_event(exercise, event.kind, event.payload, event.role)
            print(f"  {event.seq:>5}  {format_duration(event.exercise_time):>6}  {text}")
    exercise.close()
    return 0
