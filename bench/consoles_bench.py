"""How fast the consoles open, and whether 20 participant consoles on one journal keep up.

Run: ``.venv/bin/python bench/consoles_bench.py [--apps 20] [--seconds 15]``. Prints figures; asserts
nothing (the numbers depend on the machine). All consoles run headless in ONE process and one
event loop, with their real poll timers on the system clock; that is harsher than the room, where
each console is its own process, so a good figure here is a safe one there.

What it measures:
- open: from constructing a console (which opens and replays the journal) to its first screen;
- propagation: from an event's commit (its journal wall time) to the moment each console has it;
- loop lag: how late a 100 ms timer fires on the shared event loop while everything runs;
- decision -> board: from each decision (or advice) recorded in a second terminal to the
  facilitator's console having it (its board redraws from that snapshot): target p95 <= 300 ms
  on an idle machine;
- pause/resume -> every seat: from the facilitator's space key (its ``paused``/``resumed``
  event) to the LAST participant console having it: target <= 1 s.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from exercise_engine.clock import SystemClock, VirtualClock
from exercise_engine.exercise import Exercise
from exercise_engine.loading import load_scenario
from exercise_engine.loading.playthrough import load_playthrough
from exercise_engine.model.events import Event
from exercise_engine.runtime import play_script
from exercise_engine.ui.facilitator.app import FacilitatorApp
from exercise_engine.ui.participant.app import ParticipantApp

TUTORIAL = Path(__file__).resolve().parent.parent / "scenarios" / "tutorial.toml"
ROBUST = TUTORIAL.parent / "playthroughs" / "tutorial" / "robust.toml"


class TimedFacilitator(FacilitatorApp):
    """The facilitator's console, noting when each event reached it."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.arrivals: dict[int, float] = {}

    def on_events(self, events: list[Event]) -> None:
        super().on_events(events)
        now = time.time()
        for event in events:
            self.arrivals.setdefault(event.seq, now)


class TimedParticipant(ParticipantApp):
    """A participant console that notes when each event reached it."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.arrivals: dict[int, float] = {}

    def on_events(self, events: list[Event]) -> None:
        super().on_events(events)
        now = time.time()
        for event in events:
            self.arrivals.setdefault(event.seq, now)


def figures(values: list[float]) -> str:
    if not values:
        return "no samples"
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]
    return (
        f"median {statistics.median(ordered) * 1000:7.1f} ms   p95 {p95 * 1000:7.1f} ms   "
        f"max {ordered[-1] * 1000:7.1f} ms   (n={len(ordered)})"
    )


async def time_to_open(db: Path, make: type[FacilitatorApp] | type[ParticipantApp]) -> float:
    start = time.perf_counter()
    app: FacilitatorApp | ParticipantApp
    if make is FacilitatorApp:
        app = FacilitatorApp(db, poll_interval=None)
    else:
        app = ParticipantApp(db, "force_commander", poll_interval=None)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        return time.perf_counter() - start


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--apps", type=int, default=20, help="participant consoles")
    parser.add_argument("--seconds", type=float, default=15.0, help="wall seconds of play")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="bench-consoles-"))
    scenario = load_scenario(TUTORIAL)

    # 1. Opening a console on a journal with some history (the tutorial played to its end).
    played = folder / "played.db"
    clock = VirtualClock()
    ex = Exercise.create(played, scenario, clock)
    script, _source = load_playthrough(ROBUST, scenario)
    play_script(ex, clock, script)
    for i in range(200):  # and a long afternoon of notes
        ex.note(f"note {i}")
    events = ex.state.event_count
    ex.close()
    print(f"opening a console on a journal of {events} events (headless, 80x24):")
    for make in (FacilitatorApp, ParticipantApp):
        samples = [await time_to_open(played, make) for _ in range(5)]
        print(f"  {make.__name__:<16} {figures(samples)}")

    # 2. A facilitator and N participants on one live journal, real clock, speed 120.
    live = folder / "live.db"
    Exercise.create(live, scenario, SystemClock(), speed=120).close()
    roles = list(scenario.roles)
    fac = TimedFacilitator(live)
    apps = [TimedParticipant(live, roles[i % len(roles)]) for i in range(args.apps)]
    lags: list[float] = []
    print(f"\n{args.apps} participant consoles and a facilitator, {args.seconds:g} s at x120:")
    async with contextlib.AsyncExitStack() as stack:
        pilots = [await stack.enter_async_context(a.run_test(size=(80, 24))) for a in [fac, *apps]]
        await pilots[0].press("s")  # start the clock
        desk = Exercise.open(live, SystemClock())  # a second terminal recording decisions
        deadline = time.monotonic() + args.seconds
        recorded: list[Event] = []
        next_toggle = time.monotonic() + 1.0
        while time.monotonic() < deadline:
            before = time.perf_counter()
            await asyncio.sleep(0.1)
            lags.append(time.perf_counter() - before - 0.1)
            desk.poll()
            if time.monotonic() >= next_toggle:  # the facilitator pauses or resumes
                next_toggle = time.monotonic() + 1.0
                await pilots[0].press("space")
            if desk.state.status != "running":
                continue
            for (inject, point_id), point in list(desk.state.points.items()):
                if not point.is_open:
                    continue
                spec = scenario.decision_point(inject, point_id)
                if spec is None:
                    continue
                for role in spec.consult:  # advice first, then the decision
                    recorded += desk.advise(
                        role=role, inject=inject, decision=point_id, text="advice"
                    ).events
                option = spec.options[0].id if spec.options else None
                outcome = desk.decide(
                    role=point.role, inject=inject, decision=point_id, option=option
                )
                recorded += outcome.events[:1]
                break  # one decision per step, as a room would
        await asyncio.sleep(1.0)  # let the last events arrive
        events_now = desk.journal.events()
        journal = {e.seq: e.wall_time for e in events_now}
        desk.close()
    delays = [
        seen - journal[seq]
        for app in apps
        for seq, seen in app.arrivals.items()
        if seq in journal and journal[seq] > 0 and seq > 3
    ]
    print(f"  events in the journal     {len(journal)}")
    print(f"  propagation to consoles   {figures(delays)}")
    print(f"  event-loop lag (100 ms)   {figures(lags)}")
    board = [
        fac.arrivals[e.seq] - e.wall_time
        for e in recorded
        if e.kind in ("decision_recorded", "advice_recorded") and e.seq in fac.arrivals
    ]
    print(f"  decision -> board         {figures(board)}   (target p95 <= 300 ms idle)")
    clock_moves = [e for e in events_now if e.kind in ("paused", "resumed")]
    to_every_seat = [
        max(app.arrivals[e.seq] for app in apps) - e.wall_time
        for e in clock_moves
        if all(e.seq in app.arrivals for app in apps)
    ]
    print(f"  pause/resume -> all seats {figures(to_every_seat)}   (target <= 1 s)")
    missing = sum(1 for app in apps for seq in journal if seq not in app.arrivals)
    print(f"  events a console missed   {missing}")


if __name__ == "__main__":
    asyncio.run(main())
