"""Playability at the shipped speed (lint check 4): windows, running time, floods.

A scenario ships a clock speed (``[clock] speed``, exercise seconds per real second) and a planned
length of play (``duration``, real time). What the room lives through is real time, so lint
converts:

- a **response window** (``respond_within``) shorter than :data:`MIN_WINDOW` real seconds at the
  shipped speed gives a syndicate no time to consult (warning per point);
- the **running time** of the shortest and the longest bot path, in real time at the shipped
  speed (the jumps of a phase's ``advance`` take no real time), against ``duration``: a warning
  when either differs from it by more than :data:`SLACK` (or when there is no ``duration``);
- a **flood**: a move (phase) that delivers more than :data:`FLOOD_COUNT` injects to one seat
  within :data:`FLOOD_SPAN` real seconds, in some run.

The bot answers each point after its ``--think`` time, so real running times are what a brisk
syndicate would take; a slower room takes longer, never shorter.
"""

from __future__ import annotations

from collections import defaultdict

from exercise_engine.authoring.explore import Run
from exercise_engine.authoring.finding import Finding
from exercise_engine.authoring.locate import Locator
from exercise_engine.loading.loaded import LoadedScenario
from exercise_engine.model.times import format_duration

MIN_WINDOW = 3 * 60
"""Real seconds a response window must last at least."""
SLACK = 0.25
"""How far the bot's running times may stray from ``duration``."""
FLOOD_COUNT = 6
"""More injects than this to one seat ..."""
FLOOD_SPAN = 2 * 60
"""... within this many real seconds of one move is a flood."""


def real_seconds(scenario: LoadedScenario, run: Run) -> int:
    """The run's real running time at the shipped speed (``advance`` jumps take none)."""
    phases = scenario.phases
    jumped = sum(phases[p].advance or 0 for _t, p in run.phase_history[1:] if p in phases)
    return round(max(run.end_time - jumped, 0) / scenario.file.clock.speed)


def _real(seconds: float) -> str:
    return format_duration(round(seconds))


def check_playability(scenario: LoadedScenario, runs: list[Run], locate: Locator) -> list[Finding]:
    """Short windows, running time against ``duration``, injects flooding one seat."""
    speed = scenario.file.clock.speed
    findings: list[Finding] = []
    for inject, point in scenario.decision_points():
        window = point.respond_within
        if window is not None and window / speed < MIN_WINDOW:
            findings.append(
                Finding(
                    "playability",
                    f"{inject.id}/{point.id}: its window of {format_duration(window)} lasts "
                    f"{_real(window / speed)} of real time at speed {speed:g}, under "
                    f"{format_duration(MIN_WINDOW)}: no time to consult",
                    locate.point(inject.id, point.id, "respond_within"),
                    "warning",
                    f"{inject.id}/{point.id}",
                )
            )
    findings += _running_time(scenario, runs, locate)
    findings += _floods(scenario, runs, locate)
    return findings


def _running_time(scenario: LoadedScenario, runs: list[Run], locate: Locator) -> list[Finding]:
    ended = [r for r in runs if r.ending is not None] or runs
    if not ended:
        return []
    timed = sorted(((real_seconds(scenario, r), n) for n, r in enumerate(ended)))
    (short, s_index), (long, l_index) = timed[0], timed[-1]
    speed = scenario.file.clock.speed
    span = f"the bot's paths run {_real(short)} to {_real(long)} of real time at speed {speed:g}"
    planned = scenario.file.duration
    if planned is None:
        return [
            Finding(
                "playability",
                f"no duration: {span}; say how long the exercise plays with "
                'duration = "HH:MM" (real time)',
                locate.top("id"),
                "warning",
                "duration",
            )
        ]
    off = [
        (which, seconds, ended[index])
        for which, seconds, index in (("shortest", short, s_index), ("longest", long, l_index))
        if abs(seconds - planned) > SLACK * planned
    ]
    if not off:
        return []
    which = " and ".join(w for w, _s, _r in off)
    return [
        Finding(
            "playability",
            f"duration {format_duration(planned)}: {span}: the {which} path "
            f"{'is' if len(off) == 1 else 'are'} more than {round(100 * SLACK)}% off "
            f"({', '.join(f'{round(100 * (s - planned) / planned):+d}%' for _w, s, _r in off)})",
            locate.top("duration"),
            "warning",
            "duration",
            tuple(f"{w} path ({r.ending or 'no ending'}): {r.path()}" for w, _s, r in off),
        )
    ]


def _floods(scenario: LoadedScenario, runs: list[Run], locate: Locator) -> list[Finding]:
    span = FLOOD_SPAN * scenario.file.clock.speed
    worst: dict[tuple[str, str], tuple[int, int, tuple[str, ...]]] = {}
    counted: dict[tuple[str, str], int] = defaultdict(int)
    for run in runs:
        per: dict[tuple[str, str], list[tuple[int, str]]] = defaultdict(list)
        for iid, delivery in run.deliveries.items():
            for role in delivery.roles:
                per[(delivery.phase, role)].append((delivery.at, iid))
        for key, items in per.items():
            items.sort()
            best: tuple[str, ...] = ()
            best_at = 0
            j = 0
            for i in range(len(items)):
                while items[i][0] - items[j][0] > span:
                    j += 1
                if i - j + 1 > len(best):
                    best = tuple(iid for _at, iid in items[j : i + 1])
                    best_at = items[j][0]
            if len(best) > FLOOD_COUNT:
                counted[key] += 1
                if key not in worst or len(best) > len(worst[key][2]):
                    worst[key] = (len(best), best_at, best)
    out: list[Finding] = []
    for (phase, role), (count, at, injects) in sorted(worst.items(), key=lambda kv: kv[1][1]):
        out.append(
            Finding(
                "playability",
                f"flood: in move {phase!r}, {count} injects reach {role!r} within "
                f"{format_duration(FLOOD_SPAN)} of real time from {format_duration(at)} "
                f"(in {counted[(phase, role)]} of {len(runs)} run(s)): {', '.join(injects)}",
                locate.phase(phase),
                "warning",
                f"{phase}/{role}",
            )
        )
    return out
