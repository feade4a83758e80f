"""``exercise-engine status DB [--events]``: where an exercise stands — clock, phase, world, who
owes what, who is connected; with ``--events``, every event numbered as ``fork --at SEQ`` takes it.

While the exercise is live and the facilitator has not been heard from for more than
``OFFLINE_AFTER`` seconds (its heartbeat, see ``exercise_engine.engine.presence``), the status line
says "facilitator offline since HH:MM" and the exercise time shown is where the clock stood: that
is where ``run`` resumes it."""

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
    from exercise_engine.engine.presence import FACILITATOR, LIVE
    from exercise_engine.model import format_duration
    from exercise_engine.ui.views.presence import seat_rows, wall_text

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
    presence = exercise.presence()
    wall = exercise.clock.now()
    since = presence.facilitator_offline_since(state.status, wall)
    if since is not None:
        print(
            f"  facilitator offline since {wall_text(since)} (room time): the clock stands at "
            f"{format_duration(now)} until `exercise-engine run` reopens the exercise"
        )
    if state.status in LIVE:  # who is in the room matters while play goes on
        rows = seat_rows(scenario, state, presence, wall, [FACILITATOR, *scenario.roles])
        print("  seats: " + "; ".join(f"{r.seat} {r.presence}" for r in rows))
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
